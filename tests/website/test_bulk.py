"""website.bulk.write: on PostgreSQL the rows go through COPY; what it writes is what
bulk_create writes, ids included."""

import datetime

import pytest
from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction

from directory.models import Organization, Source
from tests.canonical import directory_snapshot
from website import bulk
from website.generator.dataset import generate
from website.generator.plan import Plan

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is used on PostgreSQL only"),
]

SMALL = Plan(organizations=60, people=30, memberships=150, events=5)


def restart_sequences():
    """Sequences are not rolled back with a transaction: set them back to the tables'
    contents, so that two writings in turn are given the same ids."""
    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


def link_rows():
    """Every many-to-many link row, without the link's own id."""
    return {
        model._meta.label: sorted(
            model._base_manager.values_list(
                *(field.attname for field in model._meta.concrete_fields if not field.primary_key)
            )
        )
        for model in apps.get_models(include_auto_created=True)
        if model._meta.auto_created
    }


def written(monkeypatch, copying, write):
    """What `write` leaves in the database, read and rolled back, through COPY or not."""
    restart_sequences()
    with monkeypatch.context() as patched:
        patched.setattr(bulk, "copying", lambda: copying)
        with transaction.atomic():
            write()
            contents = directory_snapshot(ids=True), link_rows()
            transaction.set_rollback(True)
    return contents


def generated():
    generate(SMALL, seed=5, out=lambda line: None)


def test_a_generated_directory_written_with_copy_equals_one_written_with_bulk_create(
    monkeypatch,
):
    copied = written(monkeypatch, True, generated)
    assert copied == written(monkeypatch, False, generated)
    assert copied[0]["directory.Organization"]


def records_of_every_kind():
    """Records with dates, JSON, empty and filled optional fields, given ids and not."""
    source = Source(
        slug="copy-source",
        title="Rapport «annuel» \\ 年报\twith a tab",
        kind=Source.Kind.values[0],
        language="zh",
        published_on=datetime.date(2020, 2, 29),
    )
    (source,) = bulk.write(Source, [source])
    organizations = [
        Organization(
            name_zh="测试组织",
            slug="ce-shi",
            founded_on=datetime.date(1999, 1, 1),
            founded_precision="year",
            country="CN",
            citations=[{"field": "", "source": "copy-source", "passage": 'a "quote"\nline'}],
        ),
        Organization(pk=900_001, name_en="Given Id", slug="given-id", description_en="\\N"),
    ]
    bulk.write(Organization, organizations, [{"sources": [source.pk]}, {}])


def test_records_of_every_kind_written_with_copy_equal_those_written_with_bulk_create(
    monkeypatch,
):
    copied = written(monkeypatch, True, records_of_every_kind)
    assert copied == written(monkeypatch, False, records_of_every_kind)
    assert any("given-id" in row for row in copied[0]["directory.Organization"])
