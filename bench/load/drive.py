"""Drive a mixed workload against a running server and report per kind of request: requests
per second, median and 99th-percentile latency, and errors (any answer but 2xx, or no
answer). Standard library only, so it runs apart from the server's process and settings.

    python -m bench.load.drive --base http://127.0.0.1:8000 --workload var/bench/load.json \\
        [--seconds 60] [--warmup 5] [--concurrency 8]

The workload file maps each kind to a weight and a list of paths; each thread keeps one
connection open (HTTP keep-alive, as browsers and API clients do) and picks a kind by weight,
then a path at random. Exits 1 if any request failed.
"""

import argparse
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

TIMEOUT = 60  # seconds: longer than the server's own worker timeout


@dataclass
class Tally:
    latencies: list = field(default_factory=list)  # seconds, successful requests only
    errors: list = field(default_factory=list)  # (status or exception, path)


def percentile(sorted_values, fraction):
    """The value below which `fraction` of the values lie (nearest rank), or None."""
    if not sorted_values:
        return None
    return sorted_values[min(len(sorted_values) - 1, round(fraction * (len(sorted_values) - 1)))]


def milliseconds(seconds):
    return "-" if seconds is None else f"{seconds * 1000:.0f}"


class Driver:
    def __init__(self, base, workload, seed=1):
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port or 80
        self.kinds = list(workload)
        self.weights = [workload[kind]["weight"] for kind in self.kinds]
        self.paths = {kind: workload[kind]["paths"] for kind in self.kinds}
        self.seed = seed
        self.tallies = {kind: Tally() for kind in self.kinds}
        self.lock = threading.Lock()
        self.recording = False
        self.stop = threading.Event()

    def worker(self, number):
        rng = random.Random(f"{self.seed}:{number}")
        connection = None
        while not self.stop.is_set():
            kind = rng.choices(self.kinds, self.weights)[0]
            path = rng.choice(self.paths[kind])
            if connection is None:
                connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            started = time.perf_counter()
            try:
                connection.request(
                    "GET",
                    path,
                    headers={
                        "Accept": "application/json" if path.startswith("/api/") else "text/html"
                    },
                )
                response = connection.getresponse()
                response.read()
                outcome = response.status
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                outcome = f"{type(error).__name__}: {error}"
                connection.close()
                connection = None
            elapsed = time.perf_counter() - started
            if self.recording:
                with self.lock:
                    tally = self.tallies[kind]
                    if isinstance(outcome, int) and 200 <= outcome < 300:
                        tally.latencies.append(elapsed)
                    else:
                        tally.errors.append((outcome, path))
        if connection is not None:
            connection.close()

    def run(self, seconds, warmup, concurrency):
        threads = [
            threading.Thread(target=self.worker, args=(number,), daemon=True)
            for number in range(concurrency)
        ]
        for thread in threads:
            thread.start()
        time.sleep(warmup)
        self.recording = True
        started = time.perf_counter()
        time.sleep(seconds)
        self.recording = False
        self.elapsed = time.perf_counter() - started
        self.stop.set()
        for thread in threads:
            thread.join(TIMEOUT + 5)

    def report(self):
        """A Markdown table, one row a kind and a total row; returns the number of errors."""
        lines = [
            "| kind | requests | req/s | p50 ms | p99 ms | errors |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        everything, errors = [], []
        for kind in self.kinds:
            tally = self.tallies[kind]
            latencies = sorted(tally.latencies)
            everything += latencies
            errors += tally.errors
            lines.append(self.row(kind, latencies, len(tally.errors)))
        lines.append(self.row("**all**", sorted(everything), len(errors)))
        print("\n".join(lines))
        for (outcome, path), count in Counter(errors).most_common(10):
            print(f"error: {outcome} {path} ({count}x)")
        return len(errors)

    def row(self, kind, latencies, errors):
        requests = len(latencies) + errors
        return (
            f"| {kind} | {requests:,} | {requests / self.elapsed:.1f} | "
            f"{milliseconds(percentile(latencies, 0.5))} | "
            f"{milliseconds(percentile(latencies, 0.99))} | {errors} |"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", required=True, help="http://host:port of the server")
    parser.add_argument("--workload", required=True, help="JSON: {kind: {weight, paths}}")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--concurrency", type=int, default=8)
    options = parser.parse_args(argv)
    with open(options.workload, encoding="utf-8") as file:
        workload = json.load(file)
    driver = Driver(options.base, workload)
    print(
        f"Driving {options.base} with {options.concurrency} connections for "
        f"{options.seconds:.0f} s (after {options.warmup:.0f} s of warm-up).",
        flush=True,
    )
    driver.run(options.seconds, options.warmup, options.concurrency)
    failed = driver.report()
    if failed:
        print(f"{failed} requests failed.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
