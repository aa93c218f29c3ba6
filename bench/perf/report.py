"""bench/REPORT.md and bench/latency.png from the results of bench.perf.run. The tables are
pure text functions (tests/website/test_bench_perf.py); only write() and plot() touch files."""

import os
import platform
from datetime import UTC, datetime
from pathlib import Path

from bench.perf.endpoints import CACHED_COUNT_PAGES, LIST_PAGE
from bench.perf.targets import DATA_CACHED, check

BENCH = Path(__file__).resolve().parents[1]

MEASURES = """\
## What each figure measures

- **Uncached**: the site without Redis, so without its page cache and without any data
  cache; one gunicorn worker of one thread, one client connection (bench.perf.client).
- **Against the physical limit**: the list API's selections and an organization's detail
  served in-process (the WSGI application gunicorn serves, no server or socket), uncached,
  against the very statements each request issued, captured with
  `connection.execute_wrapper`, run through the database driver alone (sqlite3 or psycopg,
  the same SQL and parameters, one connection) plus json.dumps of their rows: no ORM, no
  DRF. Rounds alternate which side goes first.
- **Against Datasette**: as ../shared/tools/vs-datasette judges it: our list API uncached,
  one gunicorn worker of one thread, and one Datasette process (no suggested facets, no
  arbitrary SQL) on the same SQLite file, each timed by wrk (one thread, one connection,
  3 s) in 3 rounds alternating which goes first; the figure is our requests per second
  over Datasette's. The deep page is reached by Datasette's keyset (`_next`) and by our
  page number.
- **Data cached** and **page cached** (Redis): reported apart; no target is judged on them.
- A figure is the median of the rounds' medians, with the lowest and highest round in
  brackets. The machine line says how loaded the machine was: its load averages, and the
  share of all its cores' time taken by processes other than the benchmark's (the
  PostgreSQL backends serving it count as its own; Redis does not). Figures from a busy
  machine are slower and wider, and are not verdicts to keep.
"""


def load_words(measured):
    """What the machine was doing, from machine.between()."""
    before, after = (
        ", ".join(f"{figure:.1f}" for figure in load)
        for load in (measured["load_before"], measured["load_after"])
    )
    words = f"load average {before} at the start and {after} at the end"
    share = measured.get("other_cpu_share")
    if share is not None:
        words += (
            f"; other processes took {100 * share:.0f}% of the CPU time (about "
            f"{share * measured['cpus']:.1f} of {measured['cpus']} CPUs)"
        )
    return words


def machine(measured):
    """The machine in words, with what it was doing during the whole run."""
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()} with "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}; {load_words(measured)}"
    )


def number(value, digits=1):
    return "-" if value is None else f"{value:,.{digits}f}"


def ranged(median, spread, digits=1):
    """A median with its rounds' range: `6.4 (6.1-7.0)`."""
    if median is None:
        return "-"
    if not spread or None in spread:
        return number(median, digits)
    low, high = spread
    return f"{number(median, digits)} ({number(low, digits)}-{number(high, digits)})"


def spread_words(figure, digits=1):
    return ranged(figure["median"], [figure["low"], figure["high"]], digits)


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
    return (
        f"{ranged(result['rps'], result.get('rps_spread'), 0)} requests/s (median "
        f"{ranged(result['median_ms'], result.get('median_ms_spread'))} ms, p99 "
        f"{number(result['p99_ms'])} ms, {result['errors']} errors"
    )


def endpoints_table(endpoints):
    lines = [
        "| endpoint | median ms | p99 ms | requests/s | errors | SQL queries |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for endpoint, result in endpoints.items():
        lines.append(
            f"| {endpoint} | {ranged(result['median_ms'], result.get('median_ms_spread'))} | "
            f"{number(result['p99_ms'])} | {ranged(result['rps'], result.get('rps_spread'), 0)} "
            f"| {result['errors']} | {queries(result.get('queries'))} |"
        )
    return lines


def limit_table(limit):
    lines = [
        "| selection | statements | in-process ms | limit ms | x limit |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, result in limit.items():
        lines.append(
            f"| {name} | {result['statements']} | {spread_words(result['served_ms'], 2)} | "
            f"{spread_words(result['limit_ms'], 2)} | {spread_words(result['times'])} |"
        )
    return lines


def datasette_table(compared):
    lines = [
        "| selection | ours requests/s | Datasette requests/s | ours / Datasette | ours median "
        "ms | Datasette median ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, result in compared.items():
        lines.append(
            f"| {name} | {spread_words(result['ours_rps'], 0)} | "
            f"{spread_words(result['theirs_rps'], 0)} | {spread_words(result['times'], 2)} | "
            f"{spread_words(result['ours_median_ms'])} | "
            f"{spread_words(result['theirs_median_ms'])} |"
        )
    return lines


def run_table(run):
    """One run (a backend and a size): Markdown."""
    lines = [f"#### {run['backend']}, {run['size']:,} organizations", ""]
    if run.get("machine"):
        lines += [f"During this run: {load_words(run['machine'])}.", ""]
    lines += [
        "Uncached, one worker of one thread:",
        "",
        *endpoints_table(run["endpoints"]),
        "",
        f"Largest worker: {number(run.get('worker_rss_mb'), 0)} MB.",
    ]
    idle = run.get("no_work")
    if idle:
        lines.append(
            f"A request that does no work (`/healthz`) on the same worker: "
            f"{ranged(idle['rps'], idle.get('rps_spread'), 0)} requests/s, median "
            f"{number(idle['median_ms'])} ms: the floor of this machine, server and client."
        )
    if run.get("limit"):
        lines += [
            "",
            "In-process, uncached, against the physical limit (the same statements through "
            "the driver alone, plus json.dumps):",
            "",
            *limit_table(run["limit"]),
        ]
    if run.get("datasette"):
        lines += [
            "",
            "Against Datasette, both uncached, one process each, wrk as vs-datasette:",
            "",
            *datasette_table(run["datasette"]),
        ]
    cached_lines = []
    for endpoint, result in (run.get("data_cached") or {}).items():
        pages = f", its first {CACHED_COUNT_PAGES} pages" if endpoint == LIST_PAGE else ""
        cached_lines.append(
            f"{endpoint}, one worker, {DATA_CACHED.get(endpoint, 'data')} cached in Redis "
            f"(page cache off){pages}: {served(result)})."
        )
    for endpoint, result in (run.get("page_cached") or {}).items():
        cached_lines.append(
            f"Page cached, two workers of four threads, {endpoint}: {served(result)}, "
            f"{number(100 * (result.get('cache_hit_share') or 0), 0)}% from the cache)."
        )
    if run.get("page_cached_rss_mb") is not None:
        cached_lines.append(
            f"Largest page-cached worker: {number(run['page_cached_rss_mb'], 0)} MB."
        )
    if cached_lines:
        lines += ["", "Apart, never a comparison: cached in Redis.", "", *cached_lines]
    return "\n".join(lines) + "\n"


def targets_table(runs):
    lines = ["| target | verdict | figures |", "|---|---|---|"]
    lines += [
        f"| {row['target']} | **{row['status']}** | {row['figures'] or '-'} |"
        for row in check(runs)
    ]
    return "\n".join(lines) + "\n"


def document(results):
    runs = results["runs"]
    sizes = sorted({run["size"] for run in runs})
    parts = [
        "# Performance",
        "",
        "Regenerated by `make bench` (docs/performance.md); the figures are in "
        "`bench/results.json`.",
        "",
        f"> Measured on {results['machine']}. Sizes: "
        f"{', '.join(f'{size:,}' for size in sizes)} organizations; "
        f"{results['seconds']:g} s per endpoint in {results['rounds']} rounds; SQL queries "
        "counted in-process once per endpoint.",
        "",
        "## Targets",
        "",
        targets_table(runs),
        MEASURES,
        "## Runs",
        "",
        *(run_table(run) for run in runs),
        "## Median latency against data size",
        "",
        "![median latency](latency.png)",
        "",
    ]
    return "\n".join(parts)


def plot(runs, path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    endpoints = list(runs[0]["endpoints"])
    columns = 3
    rows = -(-len(endpoints) // columns)
    figure, axes = pyplot.subplots(rows, columns, figsize=(4 * columns, 3.2 * rows), squeeze=False)
    for axis, endpoint in zip(axes.flat, endpoints, strict=False):
        for backend in sorted({run["backend"] for run in runs}):
            own = sorted(
                (run for run in runs if run["backend"] == backend), key=lambda run: run["size"]
            )
            axis.plot(
                [run["size"] for run in own],
                [run["endpoints"][endpoint]["median_ms"] for run in own],
                marker="o",
                label=f"{backend}, uncached",
            )
            cached = [
                (run["size"], run["data_cached"][endpoint]["median_ms"])
                for run in own
                if endpoint in (run.get("data_cached") or {})
            ]
            if cached:
                axis.plot(
                    *zip(*cached, strict=True),
                    marker="o",
                    linestyle="--",
                    label=f"{backend}, {DATA_CACHED[endpoint]} cached",
                )
        axis.set_xscale("log")
        axis.set_title(endpoint, fontsize=9)
        axis.set_xlabel("organizations")
        axis.set_ylabel("median ms")
        axis.set_ylim(bottom=0)
        axis.legend(fontsize=8)
    for axis in list(axes.flat)[len(endpoints) :]:
        axis.set_visible(False)
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


def write(results, folder=BENCH):
    (folder / "REPORT.md").write_text(document(results), encoding="utf-8")
    plot(results["runs"], folder / "latency.png")


if __name__ == "__main__":
    # The report again from bench/results.json, without measuring anything.
    import json

    write(json.loads((BENCH / "results.json").read_text(encoding="utf-8")))
