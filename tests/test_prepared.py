"""On PostgreSQL a connection keeps the queries it repeats prepared (DATABASE_PREPARE_THRESHOLD),
and what they read does not change."""

import pytest
from django.conf import settings
from django.db import connection

from directory.models import Organization

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="prepared statements are PostgreSQL's; run in CI's PostgreSQL pass"),
]


def prepared_statements():
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


def test_a_query_run_often_enough_is_prepared_and_reads_each_runs_own_values():
    threshold = settings.DATABASES["default"]["OPTIONS"].get("prepare_threshold")
    assert threshold, "prepared statements are off (DATABASE_PREPARE_THRESHOLD=0)"
    slugs = list(Organization.objects.order_by("slug").values_list("slug", flat=True)
                 [:threshold + 2])
    assert len(slugs) == threshold + 2
    read = [Organization.objects.filter(slug=slug).values_list("slug", flat=True).get()
            for slug in slugs]
    assert read == slugs
    assert any('"directory_organization"."slug" = $1' in statement
               for statement in prepared_statements())
