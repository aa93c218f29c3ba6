"""bench/REPORT.md and bench/latency.png from the results of bench.perf.run. The tables are
pure text functions (tests/test_bench_perf.py); only write() and plot() touch files."""

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench.perf.endpoints import (
    DETAIL_PAGE,
    KEPT_COUNT_PAGES,
    LIST_API,
    LIST_PAGE,
    SEARCH_API,
)
from bench.perf.stats import ratio
from bench.perf.targets import KEPT, check

BENCH = Path(__file__).resolve().parents[1]


def machine(load_before):
    """The machine in words, with its load average (1, 5, 15 minutes) before and after."""
    before, after = (", ".join(f"{figure:.1f}" for figure in load)
                     for load in (load_before, os.getloadavg()))
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()} with "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average "
            f"{before} before and {after} after")


def number(value, digits=1):
    return "-" if value is None else f"{value:,.{digits}f}"


def queries(counts):
    """SQL queries per request: a count, or [fewest, most] over the paths rotated through."""
    if counts is None:
        return "-"
    if isinstance(counts, int):
        return str(counts)
    fewest, most = counts
    return str(fewest) if fewest == most else f"{fewest}-{most}"


def served(result):
    """A timed endpoint's rate and latency, its parenthesis left open for more."""
    return (f"{number(result['rps'], 0)} requests/s (median {number(result['median_ms'])} ms, "
            f"p99 {number(result['p99_ms'])} ms, {result['errors']} errors")


def run_table(run):
    """The endpoints of one run: a Markdown table."""
    floor = run.get("floor_ms")
    lines = [f"#### {run['backend']}, {run['size']:,} organizations", "",
             "| endpoint | median ms | p99 ms | requests/s | errors | SQL queries | "
             "x physical limit |", "|---|---:|---:|---:|---:|---:|---:|"]
    for endpoint, result in run["endpoints"].items():
        lines.append(f"| {endpoint} | {number(result['median_ms'])} | "
                     f"{number(result['p99_ms'])} | {number(result['rps'], 0)} | "
                     f"{result['errors']} | {queries(result.get('queries'))} | "
                     f"{number(ratio(result['median_ms'], floor))} |")
    lines += ["", f"Physical limit of the list page (driver + json.dumps): median "
              f"{number(floor, 2)} ms. Largest worker: {number(run.get('worker_rss_mb'), 0)} MB."]
    idle = run.get("no_work")
    if idle:
        lines.append(f"A request that does no work (`/healthz`) on the same worker: "
                     f"{number(idle['rps'], 0)} requests/s, median {number(idle['median_ms'])} "
                     "ms: the floor of this machine, server and client.")
    kept = (run.get("kept_rows") or {}).get(LIST_API)
    if kept:
        lines.append(f"{LIST_API}, one worker, rows kept in Redis (page cache off): "
                     f"{served(kept)}).")
    counted = (run.get("kept_counts") or {}).get(LIST_PAGE)
    if counted:
        lines.append(f"{LIST_PAGE}, one worker, counts kept in Redis (page cache off), its "
                     f"first {KEPT_COUNT_PAGES} pages: {served(counted)}).")
    drawn = (run.get("kept_fragments") or {}).get(DETAIL_PAGE)
    if drawn:
        lines.append(f"{DETAIL_PAGE}, one worker, its graph kept in Redis (page cache off): "
                     f"{served(drawn)}).")
    answered = (run.get("kept_answers") or {}).get(SEARCH_API)
    if answered:
        lines.append(f"{SEARCH_API}, one worker, common words' answers kept in Redis (page "
                     f"cache off): {served(answered)}).")
    peer = run.get("datasette")
    if peer:
        ours = run["endpoints"].get(LIST_API, {}).get("rps")
        lines.append(f"Datasette, 50 rows of the same table: {number(peer['rps'], 0)} "
                     f"requests/s (median {number(peer['median_ms'])} ms), our {LIST_API}: "
                     f"{number((kept or {}).get('rps'), 0)} requests/s with rows kept, "
                     f"{number(ours, 0)} with every row read and written again.")
    for endpoint, result in (run.get("cached") or {}).items():
        lines.append(f"Cached, two workers of four threads, {endpoint}: {served(result)}, "
                     f"{number(100 * (result.get('cache_hit_share') or 0), 0)}% from the "
                     "cache).")
    if run.get("cached_rss_mb") is not None:
        lines.append(f"Largest cached worker: {number(run['cached_rss_mb'], 0)} MB.")
    return "\n".join(lines) + "\n"


def targets_table(runs):
    lines = ["| target | verdict | figures |", "|---|---|---|"]
    lines += [f"| {row['target']} | **{row['status']}** | {row['figures'] or '-'} |"
              for row in check(runs)]
    return "\n".join(lines) + "\n"


def document(results):
    runs = results["runs"]
    sizes = sorted({run["size"] for run in runs})
    parts = [
        "# Performance (issue 8)", "",
        "Regenerated by `make bench` (README.md, Performance); the figures are in "
        "`bench/results.json`.", "",
        f"> Measured on {results['machine']}; the load average says whether other work ran "
        "alongside, and figures vary by some milliseconds from run to run. Sizes: "
        f"{', '.join(f'{size:,}' for size in sizes)} organizations; "
        f"{results['seconds']:g} s per endpoint, one client connection to one single-threaded "
        "worker (for the cached runs, eight connections to two workers of four threads, "
        "which keep connections open); SQL queries counted in-process once per endpoint.",
        "",
        "## Targets", "", targets_table(runs),
        "## Runs", "", *(run_table(run) for run in runs),
        "## Median latency against data size", "", "![median latency](latency.png)", "",
    ]
    return "\n".join(parts)


def plot(runs, path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    endpoints = list(runs[0]["endpoints"])
    columns = 3
    rows = -(-len(endpoints) // columns)
    figure, axes = pyplot.subplots(rows, columns, figsize=(4 * columns, 3.2 * rows),
                                   squeeze=False)
    for axis, endpoint in zip(axes.flat, endpoints, strict=False):
        for backend in sorted({run["backend"] for run in runs}):
            own = sorted((run for run in runs if run["backend"] == backend),
                         key=lambda run: run["size"])
            axis.plot([run["size"] for run in own],
                      [run["endpoints"][endpoint]["median_ms"] for run in own],
                      marker="o", label=backend)
            if endpoint not in KEPT:
                continue
            key, words, _without = KEPT[endpoint]
            kept = [(run["size"], run[key][endpoint]["median_ms"]) for run in own
                    if endpoint in (run.get(key) or {})]
            if kept:
                axis.plot(*zip(*kept, strict=True), marker="o", linestyle="--",
                          label=f"{backend}, {words.removeprefix('with ')}")
        axis.set_xscale("log")
        axis.set_title(endpoint, fontsize=9)
        axis.set_xlabel("organizations")
        axis.set_ylabel("median ms")
        axis.set_ylim(bottom=0)
        axis.legend(fontsize=8)
    for axis in list(axes.flat)[len(endpoints):]:
        axis.set_visible(False)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


def write(results):
    (BENCH / "REPORT.md").write_text(document(results), encoding="utf-8")
    plot(results["runs"], BENCH / "latency.png")


if __name__ == "__main__":
    # The report again from bench/results.json, without measuring anything.
    import json

    write(json.loads((BENCH / "results.json").read_text(encoding="utf-8")))
