"""The organization list, filtered by one facet or paged deep, is read in name order from an
index and stopped at its page: its cost follows the page, not the selection."""

import pytest
from django.db import connection

from directory.models import Organization

pytestmark = pytest.mark.django_db


def plan_of(queryset):
    """The plan the database would choose with a large table: PostgreSQL reads a table as
    small as the fixtures' whole, so sequential scans and sorts are ruled out for it."""
    if connection.vendor != "postgresql":
        return queryset.explain()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        return queryset.explain()


@pytest.mark.parametrize(
    ("condition", "index"),
    [
        ({"country": "CN"}, "directory_org_country_slug"),
        ({"kind": "ngo"}, "directory_org_kind_slug"),
    ],
)
def test_a_list_filtered_by_one_facet_is_read_in_name_order_from_its_index(condition, index):
    page = Organization.objects.filter(**condition).order_by("slug")[:50]
    explained = plan_of(page)
    assert index in explained
    assert "TEMP B-TREE FOR ORDER BY" not in explained  # SQLite sorting the selection
    assert "Sort" not in explained  # PostgreSQL sorting it
