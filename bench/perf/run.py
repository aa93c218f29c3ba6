"""`make bench`: the directory measured through a real gunicorn against the physical limit
and a peer, at several data sizes, on SQLite and PostgreSQL. See README.md, Performance.

    BENCH_SIZES=1000,10000 BENCH_BACKENDS=sqlite BENCH_SECONDS=3 python -m bench.perf.run

Writes bench/results.json, bench/REPORT.md and bench/latency.png; exits 1 if any request
was answered with anything but 200.
"""

import contextlib
import json
import os
import subprocess
import sys
import uuid

from bench.perf import data, floor, report
from bench.perf.endpoints import (
    CACHED,
    DATASETTE_PATH,
    DETAIL_PAGE,
    LIST_API,
    LIST_PAGE,
    SEARCH_API,
    list_pages,
    paths,
)
from bench.perf.server import (
    BIN,
    ROOT,
    MemorySampler,
    answers,
    datasette,
    django_environment,
    gunicorn,
)
from bench.perf.stats import summary

LOGS = ROOT / "var" / "bench" / "logs"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
# Kept-alive connections stay with the worker that accepted them, and the connections a
# run opens at once were sometimes all accepted by one worker, even eight of them: the run
# then measured one process (about 950 requests/s where two give 2,000). They are renewed
# every RENEW_AFTER requests, as a proxy's are, so that no such draw lasts a whole run.
CACHED_CONNECTIONS, RENEW_AFTER = 8, 50
# The cached runs: two workers of as many threads as `make serve` gives them by default,
# whose connections stay open between requests.
CACHED_WORKERS, CACHED_THREADS = 2, 4


def setting(name, default):
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


def python(*args, environment=None):
    return subprocess.run(
        [str(BIN / "python"), *map(str, args)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def drive(port, addresses, seconds, connections=1, renew=None):
    """Time `addresses` from a second process (bench.perf.client), after one warm-up each;
    with `renew`, each connection is replaced after that many requests."""
    for address in addresses:
        answers(port, address)
    raw = json.loads(
        python(
            "-m",
            "bench.perf.client",
            str(port),
            str(seconds),
            f"{connections}/{renew}" if renew else str(connections),
            *addresses,
        )
    )
    return summary(raw["latencies_ms"], raw["errors"], raw["seconds"], raw["cache_hits"])


def uncached(run, environment, addresses, queries, seconds):
    port, server = gunicorn(environment, 1, LOGS / f"{run['backend']}-{run['size']}.log")
    with server as process, MemorySampler(process.pid) as memory:
        for endpoint, paths_ in addresses.items():
            run["endpoints"][endpoint] = {
                **drive(port, paths_, seconds),
                "queries": queries[endpoint],
            }
        # What a request costs through this server and client when the application does
        # nothing (no database, no cache): the machine's own floor.
        run["no_work"] = drive(port, ["/healthz"], seconds)
    run["worker_rss_mb"] = memory.peak_mb


@contextlib.contextmanager
def with_redis(environment, **settings):
    """The environment with Redis under a prefix of its own, emptied afterwards."""
    prefix = f"bench-perf-{uuid.uuid4().hex[:12]}"
    try:
        yield {**environment, "REDIS_URL": REDIS, "REDIS_KEY_PREFIX": prefix, **settings}
    finally:
        import redis

        connection = redis.Redis.from_url(REDIS)
        for key in connection.scan_iter(f"{prefix}:*"):
            connection.delete(key)


def cached(run, environment, addresses, seconds):
    with with_redis(environment, PAGE_CACHE_SECONDS="600") as environment:
        port, server = gunicorn(
            environment,
            CACHED_WORKERS,
            LOGS / f"{run['backend']}-{run['size']}-cached.log",
            threads=CACHED_THREADS,
        )
        with server as process, MemorySampler(process.pid) as memory:
            run["cached"] = {
                endpoint: drive(port, addresses[endpoint], seconds, CACHED_CONNECTIONS, RENEW_AFTER)
                for endpoint in CACHED
            }
        run["cached_rss_mb"] = memory.peak_mb


def kept(run, environment, addresses, seconds):
    """Both lists, the organization's page and the search as production serves a request the
    page cache does not answer: one worker, Redis, the API's rows kept written
    (directory.api.row_cache), the list page's counts kept (directory.list_counts), timed
    across its first pages, the organization's graph kept drawn (directory.fragments) and
    common words' search answers kept (website.search_answers)."""
    with with_redis(
        environment,
        PAGE_CACHE_SECONDS="0",
        LIST_ROW_CACHE_SECONDS="600",
        LIST_COUNTS_CACHE_SECONDS="600",
        FRAGMENT_CACHE_SECONDS="600",
        SEARCH_CACHE_SECONDS="600",
    ) as environment:
        port, server = gunicorn(environment, 1, LOGS / f"{run['backend']}-{run['size']}-kept.log")
        with server:
            run["kept_rows"] = {LIST_API: drive(port, addresses[LIST_API], seconds)}
            run["kept_counts"] = {
                LIST_PAGE: drive(port, list_pages(run["probe"]["sample"]), seconds)
            }
            run["kept_fragments"] = {DETAIL_PAGE: drive(port, addresses[DETAIL_PAGE], seconds)}
            run["kept_answers"] = {SEARCH_API: drive(port, addresses[SEARCH_API], seconds)}


def peer(run, seconds):
    """Datasette on the same SQLite file, one process, the same 50 organizations."""
    path = data.sqlite_file(run["size"])
    port, server = datasette(path, LOGS / f"datasette-{run['size']}.log")
    with server:
        run["datasette"] = drive(port, [DATASETTE_PATH.format(database=path.stem)], seconds)


def measure(backend, size, seconds, out):
    data.ensure(backend, size, out=out)
    environment = django_environment(data.database_url(backend, size))
    probed = LOGS / f"{backend}-{size}-probe.json"
    python("-m", "bench.perf.probe", probed, environment=environment)
    probe = json.loads(probed.read_text(encoding="utf-8"))
    addresses = paths(probe["sample"])
    run = {"backend": backend, "size": size, "endpoints": {}, "probe": probe}
    out(f"{backend} {size:,}: uncached, one worker")
    uncached(run, environment, addresses, probe["queries"], seconds)
    run["floor_ms"] = floor.median_ms(backend, size, seconds)
    out(
        f"{backend} {size:,}: both lists, the organization's page and the search, with rows, "
        "counts, graph and answers kept in Redis"
    )
    kept(run, environment, addresses, seconds)
    if backend == "sqlite":
        out(f"{backend} {size:,}: Datasette")
        peer(run, seconds)
    out(f"{backend} {size:,}: cached, two workers")
    cached(run, environment, addresses, seconds)
    out(report.run_table(run))
    return run


def failures(runs):
    """Every answer that was not 200, in words."""
    found = []
    for run in runs:
        for endpoint, status in run["probe"]["statuses"].items():
            if status != 200:
                found.append(f"{report.label(run)} {endpoint} in-process: {status}")
        groups = [
            run["endpoints"],
            run.get("cached") or {},
            run.get("kept_rows") or {},
            run.get("kept_counts") or {},
            {"Datasette": run["datasette"]} if run.get("datasette") else {},
        ]
        for group in groups:
            for endpoint, result in group.items():
                if result["errors"]:
                    found.append(f"{report.label(run)} {endpoint}: {result['statuses']}")
    return found


def main():
    sizes = [int(size) for size in setting("BENCH_SIZES", "1000,10000,100000")]
    backends = setting("BENCH_BACKENDS", "sqlite,postgresql")
    seconds = float(os.environ.get("BENCH_SECONDS", "5"))
    load_before = os.getloadavg()
    LOGS.mkdir(parents=True, exist_ok=True)
    python(
        "manage.py",
        "collectstatic",
        "--no-input",
        "-v0",
        environment=django_environment(data.database_url("sqlite", sizes[0])),
    )
    runs = [
        measure(backend, size, seconds, out=lambda line: print(line, flush=True))
        for backend in backends
        for size in sorted(sizes)
    ]
    results = {"machine": report.machine(load_before), "seconds": seconds, "runs": runs}
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    report.write(results)
    print(f"Wrote bench/REPORT.md and bench/latency.png ({LIST_API} and the others).")
    problems = failures(runs)
    for problem in problems:
        print(f"Not 200: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
