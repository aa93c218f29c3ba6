"""HAProxy in front of several app servers, started from docs/haproxy.cfg (the file the
deployment guide gives) with the addresses in the environment: for the two-server tests and
the load benchmark through the balancer."""

import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "docs" / "haproxy.cfg"
# HAProxy as Debian installs it; not on PATH for a user without /usr/sbin.
HAPROXY = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")


def start(port, server_ports, host, log):
    """HAProxy listening on 127.0.0.1:port in the foreground, balancing over the app servers
    on 127.0.0.1:server_ports (two, as the config names); its output goes to `log`."""
    if HAPROXY is None:
        raise FileNotFoundError("haproxy is not installed (apt-get install haproxy)")
    first, second = server_ports
    environment = {
        **os.environ,
        "BALANCER_BIND": f"127.0.0.1:{port}",
        "APP_SERVER_1": f"127.0.0.1:{first}",
        "APP_SERVER_2": f"127.0.0.1:{second}",
        "APP_HOST": host,
    }
    return subprocess.Popen(
        [HAPROXY, "-db", "-f", str(CONFIG)],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def servers_answering(address, path="/healthz", tries=20):
    """The names of the app servers (X-App-Server) that answered `tries` requests."""
    seen = set()
    for _ in range(tries):
        try:
            with urllib.request.urlopen(address + path, timeout=5) as answer:
                seen.add(answer.headers.get("X-App-Server"))
        except (urllib.error.URLError, OSError):
            pass
    return seen - {None}


def wait_until_balanced(balancer, address, servers=2, seconds=30):
    """Whether every app server answers through the balancer within `seconds` (its health
    checks take a server into rotation after two answers a second apart)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if balancer.poll() is not None:
            return False
        if len(servers_answering(address, tries=2 * servers)) == servers:
            return True
        time.sleep(0.5)
    return False
