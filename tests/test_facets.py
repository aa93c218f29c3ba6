"""Facet counts count each organization once, and the first facets are counted from the
country-kind index alone."""

import pytest
from django.db import connection
from django.db.models import Count

from directory.models import FieldOfWork, Organization

pytestmark = pytest.mark.django_db


def counted(organizations, facet, key):
    return {row[key]: row["count"] for row in organizations.facet_counts()[facet]}


@pytest.mark.parametrize("narrowed", [{}, {"country": "CN"}, {"fields__slug": "volunteering"}])
def test_each_field_counts_the_organizations_that_work_in_it(narrowed):
    organizations = Organization.objects.filter(**narrowed)
    expected = {field.slug: organizations.filter(fields=field).count()
                for field in FieldOfWork.objects.all()}
    expected = {slug: count for slug, count in expected.items() if count}
    assert counted(organizations, "field", "fields__slug") == expected
    assert expected


def test_kinds_in_a_country_are_counted_from_the_index_alone():
    kinds = (Organization.objects.filter(country="CN", kind="ngo").order_by()
             .values("kind").annotate(count=Count("pk")))
    explained = kinds.explain()
    if connection.vendor == "postgresql":
        # a table this small may be read whole; what matters is that the index can answer
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            explained = kinds.explain()
        assert "Index Only Scan using directory_org_country_kind" in explained
    else:
        assert "COVERING INDEX directory_org_country_kind" in explained
