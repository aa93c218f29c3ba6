"""Run in its own process on one database (DATABASE_URL, from bench.perf.run): picks the real
records the endpoints rotate through, and counts each endpoint's SQL queries per request
in-process for each path it rotates through (django.test.Client and CaptureQueriesContext,
a warm-up request first).

    python -m bench.perf.probe OUT

Writes {"sample": ..., "queries": {endpoint: [fewest, most]}, "statuses": {endpoint: the
first status that was not 200, else 200}} as JSON to OUT (standard output is left to the
application's request log).
"""

import json
import os
import sys
from collections import Counter

ROTATION = 8
QUERIES = ["foundation", "环境", "youth", "北京"]


def sample():
    from directory.models import Organization
    from events.models import Event

    organizations = list(Organization.objects.values_list("slug", flat=True)[:ROTATION])
    events = list(Event.objects.values_list("slug", flat=True)[:ROTATION])
    # Two facets that select something: Chinese organizations of their most common kind.
    kinds = Counter(Organization.objects.filter(country="CN").values_list("kind", flat=True))
    kind = kinds.most_common(1)[0][0] if kinds else Organization.objects.first().kind
    return {
        "organizations": organizations,
        "events": events,
        "kind": kind,
        "country": "CN",
        "queries": QUERIES,
    }


def main(out):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.perf.endpoints import paths

    chosen = sample()
    client = Client(HTTP_HOST="127.0.0.1")
    queries, statuses = {}, {}
    for endpoint, addresses in paths(chosen).items():
        counts = []
        for address in addresses:
            client.get(address)
            with CaptureQueriesContext(connection) as captured:
                status = client.get(address).status_code
            counts.append(len(captured))
            if status != 200:
                statuses[endpoint] = status
        statuses.setdefault(endpoint, 200)
        queries[endpoint] = [min(counts), max(counts)]
    with open(out, "w", encoding="utf-8") as written:
        json.dump(
            {"sample": chosen, "queries": queries, "statuses": statuses},
            written,
            ensure_ascii=False,
        )


if __name__ == "__main__":
    main(*sys.argv[1:])
