"""Servers under test, started on a free loopback port and stopped afterwards, with their
workers' resident memory sampled while they run."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
# Variables of the caller's environment that would change how the server runs, and any
# cache's lifetime (PAGE_CACHE_SECONDS, DATA_CACHE_SECONDS, whatever a cache is called).
NOT_INHERITED = (
    "DEBUG",
    "REDIS_URL",
    "REDIS_KEY_PREFIX",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "DJANGO_SETTINGS_MODULE",
    "HTTPS",
    "LOG_LEVEL",
)
CACHE_LIFETIMES = "_CACHE_SECONDS"


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def django_environment(database_url, **more):
    """The production settings on a given database, without Redis (so without any cache:
    the page cache and every data cache are off without it) unless `more` names one; each
    request logged as production logs it; the anonymous API rate too high to be reached."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in NOT_INHERITED and not key.endswith(CACHE_LIFETIMES)
    }
    environment.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "false",
            "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": HOST,
            "API_ANONYMOUS_RATE": "1000000000/second",
            "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
            **more,
        }
    )
    return environment


def answers(port, path):
    try:
        connection = http.client.HTTPConnection(HOST, port, timeout=2)
        connection.request("GET", path, headers={"Host": HOST})
        return connection.getresponse().status == 200
    except OSError:
        return False


@contextlib.contextmanager
def serving(command, environment, port, ready_path, log):
    """Run `command` until the `with` ends; yield its process once `ready_path` answers 200."""
    with open(log, "w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        deadline = time.monotonic() + 60
        while not answers(port, ready_path):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{command[0]} did not start; see {log}")
            time.sleep(0.2)
        yield process
    finally:
        stop(process)


def stop(process, seconds=30):
    """SIGTERM (gunicorn finishes the requests under way), then SIGKILL after `seconds`."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def gunicorn(environment, workers, log, threads=1):
    """gunicorn as `make serve` starts it, with `workers` processes of `threads` threads
    (one: gunicorn's sync worker, which closes each connection; more: its threaded worker,
    which keeps connections alive): its process and port."""
    port = free_port()
    environment = {
        **environment,
        "HOST": HOST,
        "PORT": str(port),
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_THREADS": str(threads),
        # No worker is replaced in the middle of a run.
        "GUNICORN_MAX_REQUESTS": "10000000",
    }
    command = [str(BIN / "gunicorn"), "--config", "gunicorn.conf.py", "website.wsgi"]
    return port, serving(command, environment, port, "/healthz", log)


def datasette(sqlite_file, log):
    port = free_port()
    command = [
        str(BIN / "datasette"),
        "serve",
        str(sqlite_file),
        "--host",
        HOST,
        "--port",
        str(port),
        "--setting",
        "suggest_facets",
        "off",
        "--setting",
        "default_allow_sql",
        "off",
    ]
    return port, serving(command, dict(os.environ), port, "/-/versions.json", log)


def children(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(stat.parent.name))
    return found


def resident_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemorySampler:
    """The largest resident memory of any child (worker) of `pid`, sampled in a thread
    every `interval` seconds between start() and stop()."""

    def __init__(self, pid, interval=0.1):
        self.pid, self.interval, self.peak_mb = pid, interval, 0.0
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self):
        while not self._stopped.is_set():
            for child in children(self.pid):
                self.peak_mb = max(self.peak_mb, resident_mb(child))
            self._stopped.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stopped.set()
        self._thread.join()
