"""Search benchmark: 100,000 organizations and 50,000 people, whole /api/search/ requests.

For each query class (Chinese of 1, 2 and 3+ characters, English, pinyin) it times the full
request through Django (routing, five grouped queries with counts, serialization) and, side
by side, a plain icontains scan over the same names, then reports the median and the 95th
percentile. Run it per backend:

    make bench-search                      # SQLite (var/bench/search.sqlite3) and PostgreSQL
    DATABASE_URL=... python -m bench.search.run
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings")
os.environ.setdefault("SECRET_KEY", "benchmark-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("API_ANONYMOUS_RATE", "100000000/minute")
# One JSON line per request on standard output would bury the table.
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench' / 'search.sqlite3'}")
# Each query is timed fifteen times: what it costs to find, not to fetch from a cache.
os.environ.pop("REDIS_URL", None)
(ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q  # noqa: E402
from django.test import Client  # noqa: E402

from directory.models import Organization, Person  # noqa: E402
from events.models import Event  # noqa: E402
from networks.models import Network, Program  # noqa: E402
from website.generator.dataset import generate  # noqa: E402
from website.generator.plan import Plan  # noqa: E402

ORGANIZATIONS = int(os.environ.get("BENCH_ORGANIZATIONS", 100_000))
PEOPLE = int(os.environ.get("BENCH_PEOPLE", 50_000))
REPEATS = int(os.environ.get("BENCH_REPEATS", 15))
QUERIES = {
    "Chinese, 1 character": ["爱", "绿", "京", "童", "湖"],
    "Chinese, 2 characters": ["环境", "儿童", "北京", "志愿", "绿发"],
    "Chinese, 3+ characters": ["基金会", "青少年发展", "民促会", "生态保护研究", "朝阳社区"],
    "English": ["foundation", "youth", "Beijing Environment", "CANGO", "amity"],
    "Pinyin": ["jijinhui", "beijing huanjing", "bjhj", "qianxiaofeng", "adjjh"],
}


def plain_scan(text):
    """The obvious alternative: icontains over names and other names, five kinds, count and
    first ten each, without the search texts and their indexes."""
    organizations = Organization.objects.filter(
        Q(name_zh__icontains=text)
        | Q(name_en__icontains=text)
        | Q(other_names__name__icontains=text)
    ).distinct()
    for queryset in [
        organizations,
        *(
            model.objects.filter(Q(name_zh__icontains=text) | Q(name_en__icontains=text))
            for model in (Person, Network, Program, Event)
        ),
    ]:
        queryset.count()
        list(queryset[:10])


def timed(function, repeats):
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def p95(samples):
    return statistics.quantiles(samples, n=20)[-1]


def main():
    call_command("migrate", verbosity=0)
    if Organization.objects.count() < ORGANIZATIONS:
        if not Organization.objects.filter(slug="cango").exists():
            call_command("load_fixtures", verbosity=0)
        # Names only: memberships and events do not change what search reads.
        generate(
            Plan(organizations=ORGANIZATIONS, people=PEOPLE, memberships=0, events=0),
            seed=1,
            out=lambda line: print(line, flush=True),
        )
    if connection.vendor == "postgresql":
        # As autovacuum would in production: statistics for the planner, and the trigram
        # indexes' pending entries merged (GIN fast update), which a query otherwise scans.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    client = Client()
    backend = (
        f"{connection.vendor} ({Organization.objects.count()} organizations, "
        f"{Person.objects.count()} people)"
    )
    load = ", ".join(f"{figure:.1f}" for figure in os.getloadavg())
    print(f"\n{backend}; load average before the run {load} on {os.cpu_count()} CPUs\n")
    print(
        "| query class | search p50 ms | search p95 ms | plain icontains p50 ms | "
        "plain icontains p95 ms |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, queries in QUERIES.items():
        search, plain = [], []
        for text in queries:
            client.get("/api/search/", {"q": text})
            search += timed(lambda text=text: client.get("/api/search/", {"q": text}), REPEATS)
            plain += timed(lambda text=text: plain_scan(text), max(3, REPEATS // 3))
        print(
            f"| {label} | {statistics.median(search):.1f} | {p95(search):.1f} | "
            f"{statistics.median(plain):.1f} | {p95(plain):.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
