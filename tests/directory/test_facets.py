"""Facet counts count each organization once, and the first facets are counted from the
country-kind index alone."""

import datetime

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
    expected = {
        field.slug: organizations.filter(fields=field).count()
        for field in FieldOfWork.objects.all()
    }
    expected = {slug: count for slug, count in expected.items() if count}
    assert counted(organizations, "field", "fields__slug") == expected
    assert expected


def test_kinds_in_a_country_are_counted_from_the_index_alone():
    kinds = (
        Organization.objects.filter(country="CN", kind="ngo")
        .order_by()
        .values("kind")
        .annotate(count=Count("pk"))
    )
    explained = kinds.explain()
    if connection.vendor == "postgresql":
        # a table this small may be read whole; what matters is that the index can answer
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            # In a table this small and never vacuumed, an index-only scan costs as much as
            # reading the table through the lists' indexes of one facet in name order; at
            # scale, only this index matches both conditions. Those two are dropped inside
            # the test's transaction, which is rolled back.
            cursor.execute("DROP INDEX directory_org_kind_slug")
            cursor.execute("DROP INDEX directory_org_country_slug")
            explained = kinds.explain()
        assert "Index Only Scan using directory_org_country_kind" in explained
    else:
        assert "COVERING INDEX directory_org_country_kind" in explained


def truth(organizations, rows):
    """{value: organizations} from (organization id, value) pairs, each pair once."""
    chosen = set(organizations.values_list("pk", flat=True))
    counts = {}
    for pk, value in set(rows):
        if pk in chosen and value not in (None, ""):
            counts[value] = counts.get(value, 0) + 1
    return counts


@pytest.fixture
def repeated_memberships():
    """An organization twice a member of one network (two roles) and twice holding
    special consultative status (from two dates)."""
    from networks.models import Membership, Network

    organization = Organization.objects.create(name_en="Twice over", kind="ngo", country="CN")
    network = Network.objects.exclude(slug="un-ecosoc-consultative-status").first()
    ecosoc = Network.objects.get(slug="un-ecosoc-consultative-status")
    Membership.objects.create(organization=organization, network=network, role="member")
    Membership.objects.create(organization=organization, network=network, role="partner")
    for year in (2001, 2011):
        Membership.objects.create(
            organization=organization,
            network=ecosoc,
            role="consultative_status",
            level="special",
            start_date=datetime.date(year, 7, 1),
        )
    return network


# Filters across memberships repeat an organization once per membership they match: the
# filter set asks for distinct rows, and every facet must still count it once.
NARROWED = [
    {},
    {"country": "CN"},
    {"memberships__role": "consultative_status"},
    {"memberships__network__slug": "un-ecosoc-consultative-status"},
]


@pytest.mark.parametrize("narrowed", NARROWED)
def test_every_facet_counts_each_organization_once(repeated_memberships, narrowed):
    from networks.models import Membership

    organizations = Organization.objects.filter(**narrowed)
    if narrowed:
        organizations = organizations.distinct()
    memberships = Membership.objects.all()
    expected = {
        ("kind", "kind"): truth(organizations, organizations.values_list("pk", "kind")),
        ("country", "country"): truth(organizations, organizations.values_list("pk", "country")),
        ("city", "city__slug"): truth(organizations, organizations.values_list("pk", "city__slug")),
        ("field", "fields__slug"): truth(
            organizations,
            Organization.fields.through.objects.values_list("organization_id", "fieldofwork__slug"),
        ),
        ("network", "memberships__network__slug"): truth(
            organizations, memberships.values_list("organization_id", "network__slug")
        ),
        ("consultative_level", "memberships__level"): truth(
            organizations,
            memberships.filter(role="consultative_status").values_list("organization_id", "level"),
        ),
    }
    for (facet, key), counts in expected.items():
        assert counted(organizations, facet, key) == counts, facet
    assert expected["network", "memberships__network__slug"]


def test_facets_are_most_frequent_first_and_ties_in_the_values_order(repeated_memberships):
    for facet, rows in Organization.objects.facet_counts().items():
        assert rows, facet
        order = [(-row["count"], row.get("kind", row.get("country"))) for row in rows]
        counts = [row["count"] for row in rows]
        assert counts == sorted(counts, reverse=True), facet
        if facet in ("kind", "country"):
            assert order == sorted(order), facet


def test_facets_of_nothing_are_empty():
    assert all(rows == [] for rows in Organization.objects.none().facet_counts().values())


def test_levels_are_read_from_the_consultative_status_index():
    from networks.models import Membership

    levels = (
        Membership.objects.order_by()
        .filter(
            role="consultative_status",
            organization__in=Organization.objects.filter(country="CN").values("pk"),
        )
        .values("level", "organization_id")
        .distinct()
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            explained = levels.explain()
    else:
        explained = levels.explain()
    assert "networks_membership_status" in explained


def related_counts_sql(organizations):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        organizations.facet_counts()
    return [
        query["sql"]
        for query in queries.captured_queries
        if "networks_membership" in query["sql"] or "directory_organization_fields" in query["sql"]
    ]


def test_every_organization_is_counted_from_the_related_rows_alone(repeated_memberships):
    """Without filters, fields, networks and levels are counted without matching 100,000
    organizations first; a selection's are matched against it."""
    everything = related_counts_sql(Organization.objects.all())
    chosen = related_counts_sql(Organization.objects.filter(country="CN"))
    assert len(everything) == len(chosen) == 3
    assert not any('FROM "directory_organization" ' in sql for sql in everything)
    assert all('FROM "directory_organization" ' in sql for sql in chosen)


def test_each_facets_link_selects_as_many_organizations_as_it_counts(repeated_memberships):
    """A facet is declared once (directory.facets): the value its link sets is the one its
    filter takes, and the filter selects the organizations the facet counted."""
    from directory.facets import FACETS
    from website.records.filters import OrganizationFilterSet

    counts = Organization.objects.facet_counts()
    assert list(counts) == [facet.name for facet in FACETS]
    for facet in FACETS:
        assert counts[facet.name], facet.name
        for row in counts[facet.name]:
            selected = OrganizationFilterSet({facet.name: row[facet.value]}).qs
            assert selected.count() == row["count"], (facet.name, row)
            assert str(facet.label(row))
