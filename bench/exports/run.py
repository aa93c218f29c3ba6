"""Export benchmark: the organizations in China as one CSV download, at several sizes.

For each size a generated directory (var/bench/exports-SIZE.sqlite3, or PostgreSQL with
DATABASE_URL, made on the first run and kept) is exported through Django in-process, in a
process of its own, so that its peak memory is the export's: /api/organizations/export.csv
?country=CN, read to its end. It reports the rows, the megabytes, the time to the first
bytes and to the last, the peak of the Python heap while streaming (tracemalloc) and the
process's peak resident memory. Rounds alternate the sizes; figures are medians with the
lowest and highest round in brackets. Constant memory means the peaks do not grow with
the rows.

    make bench-export                      # SQLite and PostgreSQL
    BENCH_EXPORT_SIZES=2000,20000 BENCH_EXPORT_ROUNDS=3 python -m bench.exports.run
"""

import csv
import io
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZES = [int(size) for size in os.environ.get("BENCH_EXPORT_SIZES", "2000,20000").split(",")]
ROUNDS = int(os.environ.get("BENCH_EXPORT_ROUNDS", 3))
PATH = "/api/organizations/export.csv?country=CN"


def database_url(size):
    base = os.environ.get("DATABASE_URL")
    if base:
        return f"{base.rsplit('/', 1)[0]}/bench_export_{size}"
    return f"sqlite:///{ROOT / 'var' / 'bench' / f'exports-{size}.sqlite3'}"


def environment(size):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "website.settings",
        "SECRET_KEY": "benchmark-only",
        "ALLOWED_HOSTS": "testserver",
        "API_ANONYMOUS_RATE": "100000000/minute",
        "LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url(size),
        "REDIS_URL": "",
    }


def prepare(size):
    """Make the size's directory if it is not there yet."""
    url = database_url(size)
    if url.startswith("postgres"):
        name = url.rsplit("/", 1)[1]
        exists = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname = '{name}'",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not exists:
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
    else:
        (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "bench.exports.run", "--prepare", str(size)],
        cwd=ROOT,
        env=environment(size),
        check=True,
    )


def measure(size):
    """One export in a fresh process: its figures as a dict."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.exports.run", "--measure", str(size)],
        cwd=ROOT,
        env=environment(size),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def in_process(action, size):
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from directory.models import Organization

    if action == "--prepare":
        call_command("migrate", verbosity=0)
        if not Organization.objects.exists():
            from website.generator.dataset import generate
            from website.generator.plan import Plan

            plan = Plan(organizations=size, people=size // 2, memberships=size * 3, events=0)
            generate(plan, seed=1, out=lambda line: print(line, file=sys.stderr, flush=True))
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
        return
    client = Client()
    client.get("/api/")  # routes and settings loaded: what every worker has already
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Timed without tracemalloc, which slows every allocation; then again for the heap.
    started = time.perf_counter()
    response = client.get(PATH)
    assert response.status_code == 200, response.status_code
    chunks = iter(response.streaming_content)
    first = next(chunks)
    first_seconds = time.perf_counter() - started
    size_bytes = len(first) + sum(len(chunk) for chunk in chunks)
    total_seconds = time.perf_counter() - started
    tracemalloc.start()
    for _chunk in client.get(PATH).streaming_content:
        pass
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # The CSV reads back whole: a header and one row per organization in China.
    check = client.get(PATH)
    text = b"".join(check.streaming_content).decode("utf-8-sig")
    parsed = list(csv.DictReader(io.StringIO(text)))
    expected = Organization.objects.filter(country="CN").count()
    assert len(parsed) == expected, (len(parsed), expected)
    print(
        json.dumps(
            {
                "rows": len(parsed),
                "megabytes": size_bytes / 1e6,
                "first_ms": first_seconds * 1000,
                "total_s": total_seconds,
                "heap_peak_mb": peak / 1e6,
                "rss_peak_mb": after / 1024,
                "rss_growth_mb": (after - before) / 1024,
                "vendor": connection.vendor,
            }
        )
    )


def spread(values, digits=1):
    median = statistics.median(values)
    return f"{median:.{digits}f} [{min(values):.{digits}f}-{max(values):.{digits}f}]"


def main():
    for size in SIZES:
        prepare(size)
    figures = {size: [] for size in SIZES}
    for round_number in range(ROUNDS):
        order = SIZES if round_number % 2 == 0 else list(reversed(SIZES))
        for size in order:
            figures[size].append(measure(size))
    vendor = figures[SIZES[0]][0]["vendor"]
    print(f"\nOrganizations in China as CSV ({PATH}), {vendor}, {ROUNDS} rounds:")
    print("| organizations | rows | MB | first bytes ms | whole s | heap peak MB | RSS peak MB |")
    print("|---|---|---|---|---|---|---|")
    for size in SIZES:
        runs = figures[size]
        cells = [
            f"{size:,}",
            f"{runs[0]['rows']:,}",
            f"{runs[0]['megabytes']:.1f}",
            spread([run["first_ms"] for run in runs]),
            spread([run["total_s"] for run in runs], 2),
            spread([run["heap_peak_mb"] for run in runs]),
            spread([run["rss_peak_mb"] for run in runs]),
        ]
        print(f"| {' | '.join(cells)} |")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    if len(sys.argv) == 3:
        in_process(sys.argv[1], int(sys.argv[2]))
    else:
        main()
