"""Querysets whose SQL is compiled once per shape (directory.library_internals) read exactly
what the ORM's own queries read, and keep SQL only where that is safe."""

import pytest
from django.db import connection
from django.db.models import Prefetch, Value
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from directory.library_internals import reusing_sql, sql_store
from directory.models import Organization
from networks.models import Membership
from tests.factories import make_directory

pytestmark = pytest.mark.django_db


@pytest.fixture
def compilations(monkeypatch):
    """How many times the ORM compiles a SELECT in full."""
    counted = {"count": 0}
    original = SQLCompiler.as_sql

    def counting(self, *args, **kwargs):
        counted["count"] += 1
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SQLCompiler, "as_sql", counting)
    return counted


def memberships(store):
    return reusing_sql(Membership.objects.select_related("network", "organization"), store)


def rows(records):
    return [(m.pk, m.organization.slug, m.network.slug, m.start) for m in records]


def test_a_shape_is_compiled_once_and_each_query_reads_its_own_rows(compilations):
    make_directory(3, prefix="reuse")
    store = {}
    organizations = list(
        Organization.objects.filter(memberships__isnull=False)
        .distinct()
        .values_list("pk", flat=True)[:6]
    )
    expected = [
        rows(Membership.objects.select_related("network", "organization").filter(organization=pk))
        for pk in organizations
    ]
    before = compilations["count"]
    assert [rows(memberships(store).filter(organization=pk)) for pk in organizations] == expected
    assert len(store) == 1
    # the first query compiled its SQL; each later one, only its own WHERE clause
    assert compilations["count"] - before == 1

    pair = organizations[:2]
    assert rows(memberships(store).filter(organization__in=pair)) == rows(
        Membership.objects.select_related("network", "organization").filter(organization__in=pair)
    )
    assert rows(memberships(store).filter(organization__in=pair)[:1]) == rows(
        Membership.objects.select_related("network", "organization").filter(organization__in=pair)[
            :1
        ]
    )
    assert len(store) == 3


def test_sql_with_parameters_outside_its_where_clause_is_not_kept():
    make_directory(2, prefix="param")
    store = {}
    labelled = (
        memberships(store)
        .annotate(label=Value("x"))
        .filter(organization__name_en="param organization 000")
    )
    assert [m.label for m in labelled] == ["x"] * labelled.count()
    assert labelled.exists()
    assert store == {}


def test_a_query_that_can_select_nothing_is_left_to_the_orm():
    store = {}
    with CaptureQueriesContext(connection) as captured:
        assert list(memberships(store).filter(organization__in=[])) == []
    assert len(captured) == 0 and store == {}


def test_prefetches_through_sql_store_fill_each_record_with_its_own_related_records():
    make_directory(4, prefix="fill")
    organizations = list(Organization.objects.filter(name_en__startswith="fill organization"))
    store = sql_store("test", "memberships")
    for organization in organizations:
        reused = Organization.objects.prefetch_related(
            Prefetch("memberships", queryset=memberships(store))
        ).get(pk=organization.pk)
        plain = Organization.objects.prefetch_related(
            "memberships__network", "memberships__organization"
        ).get(pk=organization.pk)
        assert rows(reused.memberships.all()) == rows(plain.memberships.all())
        assert rows(reused.memberships.all())
    assert len(store) == 1


def test_an_organizations_detail_reads_the_same_whichever_is_read_first():
    make_directory(3, prefix="detail")
    slugs = ["detail-organization-000", "detail-hub", "detail-organization-002"]

    def described(slug):
        organization = Organization.objects.for_detail().get(slug=slug)
        return (
            organization.city_id,
            organization.parent_id,
            [m.network.slug for m in organization.memberships.all()],
            [u.slug for u in organization.units.all()],
            [r.program.slug for r in organization.program_roles.all()],
            [f.slug for f in organization.fields.all()],
        )

    first = [described(slug) for slug in slugs]
    assert [described(slug) for slug in reversed(slugs)] == list(reversed(first))
    assert first[1][3] == [f"detail-organization-{n:03}" for n in range(3)]
