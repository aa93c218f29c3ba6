"""`make bench`: the directory measured at several data sizes, on SQLite and PostgreSQL:

- each endpoint through a real gunicorn (one worker, one thread), uncached: without Redis,
  the page cache and every data cache are off;
- the list API's selections and an organization's detail served in-process, uncached,
  against their physical limit: the same statements through the driver alone plus
  json.dumps (bench.perf.limit);
- on SQLite, the list API uncached against Datasette on the same file, as
  ../shared/tools/vs-datasette judges it (bench.perf.peer);
- apart, and never as a comparison: the same worker with its data cached in Redis (page
  cache off), and two workers with the page cache.

    BENCH_SIZES=1000,10000 BENCH_BACKENDS=sqlite BENCH_SECONDS=3 BENCH_ROUNDS=3 \\
        python -m bench.perf.run

BENCH_SECONDS is each endpoint's time (and each side's, against the limit), shared out over
BENCH_ROUNDS rounds that alternate their order: figures are the rounds' median with the
spread of the rounds. Each run notes the load averages and the CPU time that other
processes took meanwhile (bench.perf.machine).

Writes results.json, REPORT.md and latency.png to BENCH_OUTPUT (bench/ by default: a trial
run can leave the committed report alone); exits 1 if any request was answered with
anything but 200.
"""

import contextlib
import json
import os
import subprocess
import sys
import uuid

from bench.perf import data, limit, peer, report
from bench.perf.endpoints import (
    DETAIL_PAGE,
    LIST_API,
    LIST_PAGE,
    PAGE_CACHED,
    SEARCH_API,
    datasette_path,
    limit_paths,
    list_pages,
    list_selections,
    paths,
)
from bench.perf.machine import Machine, between
from bench.perf.server import (
    BIN,
    ROOT,
    MemorySampler,
    answers,
    datasette,
    django_environment,
    gunicorn,
)
from bench.perf.stats import over_rounds
from bench.perf.targets import label

LOGS = ROOT / "var" / "bench" / "logs"
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7")
# Kept-alive connections stay with the worker that accepted them, and the connections a
# run opens at once were sometimes all accepted by one worker, even eight of them: the run
# then measured one process (about 950 requests/s where two give 2,000). They are renewed
# every RENEW_AFTER requests, as a proxy's are, so that no such draw lasts a whole run.
PAGE_CACHED_CONNECTIONS, RENEW_AFTER = 8, 50
# The page-cached runs: two workers of as many threads as `make serve` gives them by
# default, whose connections stay open between requests.
PAGE_CACHED_WORKERS, PAGE_CACHED_THREADS = 2, 4


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


def client(port, addresses, seconds, connections=1, renew=None):
    """One round of `addresses` timed from a second process (bench.perf.client)."""
    return json.loads(
        python(
            "-m",
            "bench.perf.client",
            str(port),
            str(seconds),
            f"{connections}/{renew}" if renew else str(connections),
            *addresses,
        )
    )


def drive(port, endpoints, rounds, seconds, connections=1, renew=None):
    """{endpoint: over_rounds() figures} for `endpoints` {endpoint: [path, ...]}, after one
    warm-up request of each path: `rounds` rounds, each timing every endpoint for its share
    of `seconds`, in an order that alternates from round to round."""
    for addresses in endpoints.values():
        for address in addresses:
            answers(port, address)
    timed = {endpoint: [] for endpoint in endpoints}
    for number in range(rounds):
        order = list(endpoints) if number % 2 == 0 else list(reversed(endpoints))
        for endpoint in order:
            timed[endpoint].append(
                client(port, endpoints[endpoint], seconds / rounds, connections, renew)
            )
    return {endpoint: over_rounds(raw) for endpoint, raw in timed.items()}


def uncached(run, environment, addresses, queries, rounds, seconds):
    port, server = gunicorn(environment, 1, LOGS / f"{run['backend']}-{run['size']}.log")
    with server as process, MemorySampler(process.pid) as memory:
        # What a request costs through this server and client when the application does
        # nothing (no database, no cache): the machine's own floor.
        timed = drive(port, {**addresses, "no work": ["/healthz"]}, rounds, seconds)
    run["no_work"] = timed.pop("no work")
    run["endpoints"] = {
        endpoint: {**result, "queries": queries[endpoint]} for endpoint, result in timed.items()
    }
    run["worker_rss_mb"] = memory.peak_mb


def against_limit(run, environment, rounds, seconds):
    measured = limit.measure(
        environment,
        limit_paths(run["probe"]["sample"], run["size"]),
        rounds,
        seconds / rounds,
        LOGS / f"{run['backend']}-{run['size']}-limit.log",
    )
    run["limit"] = limit.combine(measured)


def against_datasette(run, environment):
    """Our list API uncached, one worker of one thread, and Datasette, one process, on the
    same SQLite file: both running while wrk alternates between them."""
    path = data.sqlite_file(run["size"])
    log = f"sqlite-{run['size']}"
    ours_port, ours = gunicorn(environment, 1, LOGS / f"{log}-vs-datasette.log")
    theirs_port, theirs = datasette(path, LOGS / f"{log}-datasette.log")
    pairs = {
        name: (ours_path, datasette_path(path.stem, query))
        for name, (ours_path, query) in list_selections(run["size"]).items()
    }
    with ours, theirs:
        run["datasette"] = peer.combine(peer.measure(ours_port, theirs_port, pairs))


@contextlib.contextmanager
def with_redis(environment, **settings):
    """The environment with Redis under a prefix of its own, emptied afterwards. With Redis,
    every data cache is on by default, whatever its setting is called."""
    prefix = f"bench-perf-{uuid.uuid4().hex[:12]}"
    try:
        yield {**environment, "REDIS_URL": REDIS, "REDIS_KEY_PREFIX": prefix, **settings}
    finally:
        import redis

        connection = redis.Redis.from_url(REDIS)
        for key in connection.scan_iter(f"{prefix}:*"):
            connection.delete(key)


def page_cached(run, environment, addresses, rounds, seconds):
    with with_redis(environment, PAGE_CACHE_SECONDS="600") as environment:
        port, server = gunicorn(
            environment,
            PAGE_CACHED_WORKERS,
            LOGS / f"{run['backend']}-{run['size']}-page-cached.log",
            threads=PAGE_CACHED_THREADS,
        )
        with server as process, MemorySampler(process.pid) as memory:
            run["page_cached"] = drive(
                port,
                {endpoint: addresses[endpoint] for endpoint in PAGE_CACHED},
                rounds,
                seconds,
                PAGE_CACHED_CONNECTIONS,
                RENEW_AFTER,
            )
        run["page_cached_rss_mb"] = memory.peak_mb


def data_cached(run, environment, addresses, rounds, seconds):
    """Both lists, the organization's page and the search with the data caches on and the
    page cache off, one worker: the API's rows (directory.api.row_cache), the list page's
    counts (directory.list_counts), timed across its first pages, the organization's graph
    (directory.fragments) and common words' search answers (website.search_answers)."""
    with with_redis(environment, PAGE_CACHE_SECONDS="0") as environment:
        port, server = gunicorn(
            environment, 1, LOGS / f"{run['backend']}-{run['size']}-data-cached.log"
        )
        with server:
            run["data_cached"] = drive(
                port,
                {
                    LIST_API: addresses[LIST_API],
                    LIST_PAGE: list_pages(run["probe"]["sample"]),
                    DETAIL_PAGE: addresses[DETAIL_PAGE],
                    SEARCH_API: addresses[SEARCH_API],
                },
                rounds,
                seconds,
            )


def measure(backend, size, rounds, seconds, machine, out):
    data.ensure(backend, size, out=out)
    if backend == "postgresql":
        machine.watch(data.database_name(size))
    start = machine.reading()
    environment = django_environment(data.database_url(backend, size))
    probed = LOGS / f"{backend}-{size}-probe.json"
    python("-m", "bench.perf.probe", probed, environment=environment)
    probe = json.loads(probed.read_text(encoding="utf-8"))
    addresses = paths(probe["sample"])
    run = {"backend": backend, "size": size, "probe": probe}
    out(f"{backend} {size:,}: uncached, one worker")
    uncached(run, environment, addresses, probe["queries"], rounds, seconds)
    out(f"{backend} {size:,}: in-process, uncached, against the physical limit")
    against_limit(run, environment, rounds, seconds)
    if backend == "sqlite":
        out(f"{backend} {size:,}: against Datasette, both uncached")
        against_datasette(run, environment)
    out(f"{backend} {size:,}: data cached in Redis, page cache off, one worker")
    data_cached(run, environment, addresses, rounds, seconds)
    out(f"{backend} {size:,}: page cached, two workers")
    page_cached(run, environment, addresses, rounds, seconds)
    run["machine"] = between(start, machine.reading())
    out(report.run_table(run))
    return run


def failures(runs):
    """Every answer that was not 200, in words."""
    found = []
    for run in runs:
        for endpoint, status in run["probe"]["statuses"].items():
            if status != 200:
                found.append(f"{label(run)} {endpoint} in-process: {status}")
        for name, result in run["limit"].items():
            if result["status"] != 200:
                found.append(f"{label(run)} {name} in-process: {result['status']}")
        for group in (run["endpoints"], run.get("page_cached") or {}, run["data_cached"]):
            for endpoint, result in group.items():
                if result["errors"]:
                    found.append(f"{label(run)} {endpoint}: {result['statuses']}")
    return found


def main():
    sizes = [int(size) for size in setting("BENCH_SIZES", "1000,10000,100000")]
    backends = setting("BENCH_BACKENDS", "sqlite,postgresql")
    seconds = float(os.environ.get("BENCH_SECONDS", "5"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    if "sqlite" in backends:
        peer.wrk()
    LOGS.mkdir(parents=True, exist_ok=True)
    python(
        "manage.py",
        "collectstatic",
        "--no-input",
        "-v0",
        environment=django_environment(data.database_url("sqlite", sizes[0])),
    )
    with Machine() as machine:
        start = machine.reading()
        runs = [
            measure(
                backend,
                size,
                rounds,
                seconds,
                machine,
                out=lambda line: print(line, flush=True),
            )
            for backend in backends
            for size in sorted(sizes)
        ]
        whole = between(start, machine.reading())
    results = {
        "machine": report.machine(whole),
        "machine_load": whole,
        "seconds": seconds,
        "rounds": rounds,
        "runs": runs,
    }
    output = ROOT / os.environ.get("BENCH_OUTPUT", "bench")
    output.mkdir(parents=True, exist_ok=True)
    (output / "results.json").write_text(json.dumps(results, indent=1, ensure_ascii=False))
    report.write(results, output)
    print(f"Wrote {output}/REPORT.md, results.json and latency.png.")
    problems = failures(runs)
    for problem in problems:
        print(f"Not 200: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
