"""On PostgreSQL a connection keeps the queries it repeats prepared (DATABASE_PREPARE_THRESHOLD),
and what they read does not change."""

import pytest
from django.conf import settings
from django.db import connection, models

from directory.models import Organization

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="prepared statements are PostgreSQL's; run in CI's PostgreSQL pass",
    ),
]


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_query_run_often_enough_is_prepared_and_reads_each_runs_own_values():
    threshold = settings.DATABASES["default"]["OPTIONS"].get("prepare_threshold")
    assert threshold, "prepared statements are off (DATABASE_PREPARE_THRESHOLD=0)"
    slugs = list(
        Organization.objects.order_by("slug").values_list("slug", flat=True)[: threshold + 2]
    )
    assert len(slugs) == threshold + 2
    read = [
        Organization.objects.filter(slug=slug).values_list("slug", flat=True).get()
        for slug in slugs
    ]
    assert read == slugs
    assert any(
        '"directory_organization"."slug" = $1' in statement for statement in prepared_statements()
    )


def test_statements_planned_each_time_are_never_prepared():
    from directory.models.planning import planned_each_time

    threshold = settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"]
    kinds = list(Organization.objects.values_list("kind", flat=True).distinct())
    with planned_each_time():
        for _run in range(threshold + 2):
            for kind in kinds:
                Organization.objects.filter(kind=kind).aggregate(facet_probe=models.Count("city"))
    assert not any("facet_probe" in statement for statement in prepared_statements())
    # and afterwards the connection prepares again
    assert connection.connection.prepare_threshold == threshold


def test_facet_counts_are_planned_for_their_filters():
    for _run in range(settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] + 2):
        Organization.objects.filter(country="CN").facet_counts()
    assert not any(
        "COUNT(" in statement and "directory_organization" in statement
        for statement in prepared_statements()
    )
