"""directory.models.counts: the organizations table's number of rows, kept by triggers in the
same transaction as every insert and delete, and read by an unfiltered count."""

import time

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext

from directory.models import Organization, TableRows
from directory.models.counts import drop_trigger_sql, keep_counts

pytestmark = pytest.mark.django_db

TABLE = Organization._meta.db_table


def stored():
    return TableRows.objects.get(table_name=TABLE).row_count


def actual():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        return cursor.fetchone()[0]


def test_every_way_of_adding_and_removing_rows_is_counted():
    assert stored() == actual() > 0
    Organization.objects.create(name_en="Counted one", kind="ngo")
    Organization.objects.bulk_create(
        [Organization(name_en=f"Counted {n}", slug=f"counted-{n}", kind="ngo") for n in range(5)]
    )
    assert stored() == actual()
    Organization.objects.get(name_en="Counted one").delete()
    Organization.objects.filter(slug__startswith="counted-").delete()
    assert stored() == actual()
    Organization.objects.create(name_en="Raw", slug="raw", kind="ngo")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} WHERE slug = %s", ["raw"])
    assert stored() == actual()


def test_an_unfiltered_count_reads_the_stored_number():
    rows = actual()
    with CaptureQueriesContext(connection) as queries:
        assert Organization.objects.count() == rows
        assert Organization.objects.all().order_by("-name_en").count() == rows
    assert all("COUNT(" not in query["sql"].upper() for query in queries)
    assert all(TableRows._meta.db_table in query["sql"] for query in queries)


@pytest.mark.parametrize(
    "narrowed",
    [
        lambda organizations: organizations.filter(kind="foundation"),
        lambda organizations: organizations.filter(memberships__isnull=False),
        lambda organizations: organizations.values("kind").distinct(),
        lambda organizations: organizations.search("基金会"),
        lambda organizations: organizations[:3],
    ],
)
def test_a_narrowed_count_counts(narrowed):
    queryset = narrowed(Organization.objects.all())
    expected = len(list(queryset))
    with CaptureQueriesContext(connection) as queries:
        assert queryset.count() == expected
    assert all(TableRows._meta.db_table not in query["sql"] for query in queries)


def test_without_a_stored_number_the_table_is_counted():
    TableRows.objects.filter(table_name=TABLE).delete()
    Organization.objects.create(name_en="Uncounted", kind="ngo")
    assert Organization.objects.count() == actual()
    keep_counts([Organization])
    assert stored() == actual()


def test_triggers_a_migration_loses_are_made_again_by_migrate():
    # A migration that rebuilds the table on SQLite (copy, drop, rename) drops its
    # triggers; the post_migrate signal remakes them and recounts.
    with connection.cursor() as cursor:
        for statement in drop_trigger_sql(connection.vendor, TABLE):
            cursor.execute(statement)
    Organization.objects.create(name_en="Not counted", kind="ngo")
    assert stored() == actual() - 1
    call_command("migrate", verbosity=0)
    assert stored() == actual()
    Organization.objects.create(name_en="After migrate", kind="ngo")
    assert stored() == actual()


def schema_changes(queries):
    """The statements of `queries` that change the schema or recount a table."""
    changes = ("CREATE ", "DROP ", "ALTER ", "COMMENT ", "LOCK ", "INSERT INTO directory_tablerows")
    return [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith(changes)]


def test_a_migrate_that_changes_nothing_makes_and_recounts_nothing():
    # A deploy runs migrate on every start: with the triggers in place, it takes no lock on
    # the table, so it never waits for an import holding one.
    call_command("migrate", verbosity=0)
    with CaptureQueriesContext(connection) as queries:
        call_command("migrate", verbosity=0)
    assert schema_changes(queries) == []
    Organization.objects.create(name_en="Still counted", kind="ngo")
    assert stored() == actual()


def test_a_trigger_that_differs_is_made_again():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"COMMENT ON TRIGGER {TABLE}_rows_added ON {TABLE} IS 'made by hand'")
        else:
            cursor.execute(f"DROP TRIGGER {TABLE}_rows_added")
            cursor.execute(
                f"CREATE TRIGGER {TABLE}_rows_added AFTER INSERT ON {TABLE} BEGIN SELECT 1; END"
            )
    with CaptureQueriesContext(connection) as queries:
        call_command("migrate", verbosity=0)
    changed = schema_changes(queries)
    assert any(f"CREATE TRIGGER {TABLE}_rows_added " in statement for statement in changed)
    assert not any(f"{TABLE}_rows_removed" in statement for statement in changed)
    Organization.objects.create(name_en="Counted again", kind="ngo")
    assert stored() == actual()


def holding_an_import_lock():
    """Another connection, in a transaction holding the lock an import's inserts hold."""
    other = psycopg.connect(
        dbname=connection.settings_dict["NAME"],
        host=connection.settings_dict["HOST"] or None,
        port=connection.settings_dict["PORT"] or None,
        user=connection.settings_dict["USER"] or None,
        password=connection.settings_dict["PASSWORD"] or None,
    )
    other.execute(f"LOCK TABLE {TABLE} IN ROW EXCLUSIVE MODE")
    return other


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's locks")
def test_a_deploy_during_an_import_neither_waits_nor_blocks(settings):
    settings.MIGRATION_LOCK_TIMEOUT_MS = 500
    importing = holding_an_import_lock()
    try:
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        assert time.monotonic() - started < 5
        # A migration that must lock the table (here: a trigger to make again) stops after
        # the time limit, with a message, instead of queueing behind the import.
        with connection.cursor() as cursor:
            cursor.execute(f"COMMENT ON TRIGGER {TABLE}_rows_added ON {TABLE} IS 'made by hand'")
        started = time.monotonic()
        with pytest.raises(CommandError, match=r"waited 0\.5 s for a lock"):
            call_command("migrate", verbosity=0)
        assert time.monotonic() - started < 5
    finally:
        importing.close()
    # Once the import has ended, the same migrate goes through.
    call_command("migrate", verbosity=0)
    Organization.objects.create(name_en="Counted after the import", kind="ngo")
    assert stored() == actual()


@pytest.mark.django_db(transaction=True)
def test_unapplying_the_counts_leaves_organizations_writable():
    try:
        call_command("migrate", "directory", "0008", verbosity=0)
        assert TableRows._meta.db_table not in connection.introspection.table_names()
        # The organization as the schema holds it at 0008 (later migrations add columns).
        at_0008 = (
            MigrationLoader(connection)
            .project_state(("directory", "0008_organization_facet_index"))
            .apps.get_model("directory", "Organization")
        )
        at_0008.objects.create(
            name_en="Written without counts", kind="ngo", slug="written-without-counts"
        )
        assert Organization.objects.filter(name_en="Written without counts").exists()
    finally:
        call_command("migrate", verbosity=0)
    assert stored() == actual()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_a_truncated_table_is_counted_again():
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {TABLE} CASCADE")
    assert not TableRows.objects.filter(table_name=TABLE).exists()
    assert Organization.objects.count() == 0
