"""directory.models.compiled: a relation's values() for a page of ids, compiled once per shape,
gives exactly what the ORM gives, converted as the ORM converts it."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import Organization, OrganizationName
from directory.models.compiled import compiled, values_for_ids
from networks.models import Membership

pytestmark = pytest.mark.django_db

MEMBERSHIP_COLUMNS = ("organization", "id", "network__slug", "role", "start_date", "end_date")


def orm_values(model, lookup, ids, columns):
    return list(model.objects.filter(**{lookup: ids}).values(*columns))


def test_it_gives_what_the_orm_gives_for_each_shape():
    members = Organization.objects.filter(memberships__isnull=False)
    ids = [
        *members.values_list("pk", flat=True).distinct(),
        *Organization.objects.exclude(pk__in=members).values_list("pk", flat=True)[:3],
    ]
    assert len(ids) > 6
    cases = [
        (Membership, "organization__in", MEMBERSHIP_COLUMNS),
        (OrganizationName, "organization__in", ("organization", "name", "end_date")),
        # A many-to-many relation, read from the other side.
        (
            Organization.fields.field.related_model,
            "organizations__in",
            ("organizations", "slug", "name_en"),
        ),
    ]
    for model, lookup, columns in cases:
        for page in (ids, ids[:1], ids[3:]):
            assert values_for_ids(model, lookup, page, columns) == orm_values(
                model, lookup, page, columns
            )


def test_dates_are_dates_on_every_database():
    membership = Membership.objects.exclude(start_date=None).first()
    [row] = [
        row
        for row in values_for_ids(
            Membership, "organization__in", [membership.organization_id], MEMBERSHIP_COLUMNS
        )
        if row["id"] == membership.id
    ]
    assert isinstance(row["start_date"], datetime.date)
    assert row["start_date"] == membership.start_date


def test_a_shape_is_compiled_once_and_run_with_each_pages_ids():
    first, second = (
        list(Organization.objects.order_by(order).values_list("pk", flat=True)[:4])
        for order in ("pk", "-pk")
    )
    compiled.cache_clear()
    with CaptureQueriesContext(connection) as queries:
        values_for_ids(Membership, "organization__in", first, MEMBERSHIP_COLUMNS)
        values_for_ids(Membership, "organization__in", second, MEMBERSHIP_COLUMNS)
    assert compiled.cache_info().misses == 1
    assert compiled.cache_info().hits == 1
    assert len(queries) == 2
    assert {
        row["organization"]
        for row in values_for_ids(Membership, "organization__in", second, MEMBERSHIP_COLUMNS)
    } <= set(second)


def test_no_ids_no_query():
    with CaptureQueriesContext(connection) as queries:
        assert values_for_ids(Membership, "organization__in", [], MEMBERSHIP_COLUMNS) == []
    assert len(queries) == 0


def test_repeated_ids_count_once():
    pk = Membership.objects.first().organization_id
    assert values_for_ids(
        Membership, "organization__in", [pk, pk], MEMBERSHIP_COLUMNS
    ) == orm_values(Membership, "organization__in", [pk], MEMBERSHIP_COLUMNS)


def test_a_query_whose_parameters_are_not_the_ids_is_left_to_the_orm():
    # Slugs are prepared as text: the compiled parameters are not the ids given.
    slugs = list(
        Organization.objects.filter(memberships__isnull=False)
        .values_list("slug", flat=True)
        .distinct()[:3]
    )
    assert compiled(Membership, "organization__slug__in", MEMBERSHIP_COLUMNS, 3, "default") is None
    assert values_for_ids(
        Membership, "organization__slug__in", slugs, MEMBERSHIP_COLUMNS
    ) == orm_values(Membership, "organization__slug__in", slugs, MEMBERSHIP_COLUMNS)
