"""Our list API against Datasette, like with like, as ../shared/tools/vs-datasette judges it:
our site uncached (no Redis) in one gunicorn worker of one thread, Datasette in one process
(no suggested facets, no arbitrary SQL), on the same SQLite file, each selection of
endpoints.list_selections timed by wrk (one thread, one connection) in rounds that
alternate which of the two goes first, after one warm-up run of each.

measure() runs wrk against two running servers; combine() and parse() are pure
(tests/website/test_bench_perf.py).
"""

import re
import shutil
import subprocess
import urllib.request

from bench.perf.server import HOST
from bench.perf.stats import ratio, spread

# As vs-datasette: three rounds of three seconds.
ROUNDS, SECONDS = 3, 3
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk():
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("The comparison with Datasette needs wrk (apt-get install wrk).")
    return found


def parse(output):
    """{"rps", "median_ms"} from wrk's report (with --latency); a run with any answer that
    was not 2xx counts as no requests at all, as vs-datasette counts it."""
    if "Non-2xx" in output:
        return {"rps": 0.0, "median_ms": None}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    median = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
    return {
        "rps": rps,
        "median_ms": float(median.group(1)) * UNITS_MS[median.group(2)] if median else None,
    }


def timed(url, seconds=SECONDS):
    # --latency only prints the percentiles wrk records anyway.
    command = [wrk(), "-t1", "-c1", f"-d{seconds}s", "--timeout", "10s", "--latency", url]
    return parse(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def measure(our_port, their_port, pairs, rounds=ROUNDS, seconds=SECONDS):
    """pairs: {selection: (our path, Datasette's path)}. Each answers 200 first, or this stops.
    Returns {selection: {"ours": [round, ...], "theirs": [round, ...]}}."""
    urls = {
        name: (f"http://{HOST}:{our_port}{ours}", f"http://{HOST}:{their_port}{theirs}")
        for name, (ours, theirs) in pairs.items()
    }
    for pair in urls.values():
        for url in pair:
            with urllib.request.urlopen(url, timeout=60) as answer:
                if answer.status != 200:
                    raise RuntimeError(f"{url} answered {answer.status}")
    for ours, theirs in urls.values():
        timed(ours, seconds)
        timed(theirs, seconds)
    measured = {name: {"ours": [], "theirs": []} for name in urls}
    for number in range(rounds):
        for name, (ours, theirs) in urls.items():
            sides = [("ours", ours), ("theirs", theirs)]
            for side, url in sides if number % 2 == 0 else reversed(sides):
                measured[name][side].append(timed(url, seconds))
    return measured


def combine(measured):
    """{selection: {"ours_rps", "theirs_rps", "ours_median_ms", "theirs_median_ms": medians
    over the rounds with their spread, "times": each round's ours / theirs requests per
    second, their median (vs-datasette's figure) and spread}}."""
    combined = {}
    for name, sides in measured.items():
        ours, theirs = sides["ours"], sides["theirs"]
        combined[name] = {
            "ours_rps": spread([one["rps"] for one in ours]),
            "theirs_rps": spread([one["rps"] for one in theirs]),
            "ours_median_ms": spread([one["median_ms"] for one in ours]),
            "theirs_median_ms": spread([one["median_ms"] for one in theirs]),
            "times": spread(
                [
                    ratio(one["rps"], other["rps"]) or 0.0
                    for one, other in zip(ours, theirs, strict=True)
                ]
            ),
        }
    return combined
