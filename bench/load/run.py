"""Load benchmark: the site under gunicorn on PostgreSQL with a full-size directory, driven by
a mixed workload of pages and API requests from a second process.

    make bench-load                 # PostgreSQL database bench_load
    DATABASE_URL=... python -m bench.load.run

The database is migrated and, if it holds no generated data yet, filled with
generate_directory (100,000 organizations, 50,000 people, 300,000 memberships, 2,000
events; kept for the next run). gunicorn then serves the site with DEBUG off and
REDIS_URL set, and bench.load.drive requests home pages, organization lists with filters,
organization and event pages, API lists with filters, API details and the search API, and
prints a Markdown table. Any answer but 2xx is an error, and the run fails if there is one.

Environment (defaults in brackets): BENCH_LOAD_SECONDS [60], BENCH_LOAD_WARMUP [5],
BENCH_LOAD_CONCURRENCY [8] connections, BENCH_LOAD_WORKERS [2] and BENCH_LOAD_THREADS [4]
for gunicorn, BENCH_LOAD_GUNICORN_ARGS (replaces the worker, thread and timeout flags),
BENCH_ORGANIZATIONS, BENCH_PEOPLE, BENCH_MEMBERSHIPS, BENCH_EVENTS (the size to generate),
BENCH_LOAD_SERVERS [1]: with 2, two gunicorns (each with the workers and threads above)
share the database and Redis behind HAProxy (docs/haproxy.cfg, bench/balancer.py), and the
load goes through the balancer, as docs/deploy.md's two-server topology serves it.
"""

import json
import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "var" / "bench"
READY_TIMEOUT = 90


def setting(name, default):
    return os.environ.get(name, "").strip() or default


def configure():
    """The production settings, with a throttle rate the benchmark cannot reach: one client
    making all the requests would otherwise be answered 429 after 120 a minute, which is the
    throttle working, not the site failing."""
    defaults = {
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/bench_load",
        "DEBUG": "false",
        "SECRET_KEY": "load-benchmark-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "API_ANONYMOUS_RATE": "100000000/minute",
        "REDIS_URL": "redis://127.0.0.1:6379/6",
        "DJANGO_SETTINGS_MODULE": "website.settings",
    }
    for name, value in defaults.items():
        os.environ.setdefault(name, value)
    sys.path.insert(0, str(ROOT))
    OUTPUT.mkdir(parents=True, exist_ok=True)


def prepare_database():
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from directory.models import Organization
    from website.generator.dataset import generate, generated_sources
    from website.generator.plan import Plan

    plan = Plan(
        organizations=int(setting("BENCH_ORGANIZATIONS", 100_000)),
        people=int(setting("BENCH_PEOPLE", 50_000)),
        memberships=int(setting("BENCH_MEMBERSHIPS", 300_000)),
        events=int(setting("BENCH_EVENTS", 2_000)),
    )
    call_command("migrate", verbosity=0)
    if not generated_sources().exists():
        generate(plan, seed=1, out=lambda line: print(line, flush=True))
    elif Organization.objects.count() < plan.organizations:
        sys.exit(
            f"The database holds fewer organizations than {plan.organizations:,}: "
            "drop it (dropdb bench_load) and run again to generate a full-size one."
        )
    call_command("collectstatic", interactive=False, verbosity=0)
    from bench.load.workload import build

    workload = OUTPUT / "load-workload.json"
    workload.write_text(json.dumps(build(), ensure_ascii=False, indent=1), encoding="utf-8")
    print(describe(), flush=True)
    connections.close_all()
    return workload


def describe():
    from directory.models import Organization, Person
    from events.models import Event
    from networks.models import Membership

    return (
        f"Directory: {Organization.objects.count():,} organizations, "
        f"{Person.objects.count():,} people, {Membership.objects.count():,} memberships, "
        f"{Event.objects.count():,} events."
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port, log):
    flags = shlex.split(setting("BENCH_LOAD_GUNICORN_ARGS", "")) or [
        "--workers",
        setting("BENCH_LOAD_WORKERS", "2"),
        "--threads",
        setting("BENCH_LOAD_THREADS", "4"),
        "--timeout",
        "60",
        "--graceful-timeout",
        "10",
        "--keep-alive",
        "5",
    ]
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "website.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        *flags,
    ]
    print(f"Starting {' '.join(command[1:])}", flush=True)
    return subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)


def wait_until_ready(server, port):
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/", timeout=5) as answer:
                if answer.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    return False


def stop(server):
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def main():
    configure()
    workload = prepare_database()
    servers = int(setting("BENCH_LOAD_SERVERS", "1"))
    if servers not in (1, 2):
        return "BENCH_LOAD_SERVERS is 1 or 2 (docs/haproxy.cfg balances two app servers)."
    ports = [free_port() for _ in range(servers)]
    logs = [OUTPUT / f"load-gunicorn-{number}.log" for number in range(1, servers + 1)]
    processes = []
    try:
        for port, log_path in zip(ports, logs, strict=True):
            with open(log_path, "w", encoding="utf-8") as log:
                processes.append(start_gunicorn(port, log))
        for server, port, log_path in zip(processes, ports, logs, strict=True):
            if not wait_until_ready(server, port):
                print(log_path.read_text(encoding="utf-8")[-3000:])
                return f"gunicorn did not answer within {READY_TIMEOUT} s (its log is above)."
        address = f"http://127.0.0.1:{ports[0]}"
        if servers == 2:
            from bench import balancer

            port = free_port()
            with open(OUTPUT / "load-haproxy.log", "w", encoding="utf-8") as log:
                processes.append(balancer.start(port, ports, "127.0.0.1", log))
            address = f"http://127.0.0.1:{port}"
            if not balancer.wait_until_balanced(processes[-1], address):
                return "HAProxy did not balance over both servers (var/bench/load-haproxy.log)."
            print(f"Through HAProxy at {address}, over {', '.join(map(str, ports))}", flush=True)
        driven = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.load.drive",
                "--base",
                address,
                "--workload",
                str(workload),
                "--seconds",
                setting("BENCH_LOAD_SECONDS", "60"),
                "--warmup",
                setting("BENCH_LOAD_WARMUP", "5"),
                "--concurrency",
                setting("BENCH_LOAD_CONCURRENCY", "8"),
            ],
            cwd=ROOT,
            check=False,
        )
    finally:
        for process in reversed(processes):
            stop(process)
    print(f"gunicorn's logs: {', '.join(map(str, logs))}")
    return driven.returncode


if __name__ == "__main__":
    sys.exit(main())
