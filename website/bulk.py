"""Writing many records at once with their many-to-many links, and the search indexes built
once after the writing instead of row by row. Used by the generated directory and by
restoring a backup.

On PostgreSQL the rows go through COPY, which the server reads several times faster than
INSERT statements: new records take ids reserved beforehand from their table's sequence (one
statement for all of them), and each column's value is the one Django would send for it
(Field.pre_save() then get_db_prep_save(), as bulk_create does). On SQLite, bulk_create in
batches."""

import itertools
from contextlib import contextmanager

from django.apps import apps
from django.db import connection

from directory.models.base import Searchable
from directory.search import create_index_statements, drop_index_statements

BATCH = 2000


def write(model, records, links=None):
    """Write the records; `links` holds, for each record in order, a mapping of many-to-many
    field names to the ids it points at. Returns the records with their ids: a record given
    an id keeps it, the others are given the next ones of the table's sequence."""
    if copying():
        created = copy_records(model, records)
    else:
        created = model._base_manager.bulk_create(records, batch_size=BATCH)
    if links:
        write_links(model, created, links)
    return created


def copying() -> bool:
    return connection.vendor == "postgresql"


def copy_records(model, records):
    """Write the records with COPY, ids included: those without one get ids reserved from
    the table's sequence, in order, as an insert would have given them."""
    records = list(records)
    unnumbered = [record for record in records if record.pk is None]
    for record, pk in zip(unnumbered, reserve_ids(model, len(unnumbered)), strict=True):
        record.pk = pk
    fields = model._meta.concrete_fields
    copy_rows(
        model._meta.db_table,
        [field.column for field in fields],
        (
            [field.get_db_prep_save(field.pre_save(record, True), connection) for field in fields]
            for record in records
        ),
    )
    for record in records:
        record._state.adding, record._state.db = False, connection.alias
    return records


def reserve_ids(model, count):
    """`count` new ids from the sequence of the model's table, in increasing order."""
    if not count:
        return []
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [connection.ops.quote_name(table), column, count],
        )
        return sorted(pk for (pk,) in cursor.fetchall())


def copy_rows(table, columns, rows):
    """COPY the rows (lists of values ready for the database) into the table's columns."""
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN"
    connection.ensure_connection()
    # Errors come as Django's (IntegrityError...), as they would from a Django cursor.
    with (
        connection.wrap_database_errors,
        connection.connection.cursor() as cursor,
        cursor.copy(statement) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def write_children(model, fk, parents, children, links=None):
    """Write records that point at just-written parents: children[i] are the unsaved records
    of parents[i], each given its id in the foreign key `fk` and, if given, the many-to-many
    links links[i] (a part of a record is stated where the record is). Returns them with
    their ids, in order."""
    records, record_links = [], []
    for number, (parent, rows) in enumerate(zip(parents, children, strict=True)):
        for record in rows:
            setattr(record, f"{fk}_id", parent.pk)
            records.append(record)
            record_links.append(links[number] if links else {})
    return write(model, records, record_links)


def batches(rows, size=BATCH):
    rows = iter(rows)
    while batch := list(itertools.islice(rows, size)):
        yield batch


def write_links(model, records, links):
    rows = {}
    for record, record_links in zip(records, links, strict=True):
        for name, targets in record_links.items():
            field = model._meta.get_field(name)
            rows.setdefault(field, []).extend((record.pk, target) for target in targets)
    for field, pairs in rows.items():
        through = field.remote_field.through
        own = through._meta.get_field(field.m2m_field_name())
        other = through._meta.get_field(field.m2m_reverse_field_name())
        if copying():
            copy_rows(through._meta.db_table, [own.column, other.column], pairs)
        else:
            through._base_manager.bulk_create(
                [through(**{own.attname: pk, other.attname: target}) for pk, target in pairs],
                batch_size=BATCH,
            )


@contextmanager
def search_indexes_built_at_the_end():
    """Drop the search indexes while the records are written and build them once at the end:
    updating them row by row takes a large part of the writing time. Inside the transaction,
    so a failure restores them; on PostgreSQL other connections wait for the tables until the
    end."""
    searchable = [model for model in apps.get_models() if issubclass(model, Searchable)]
    run(
        statement
        for model in searchable
        for statement in drop_index_statements(model, connection.vendor)
    )
    yield
    if connection.vendor == "postgresql":
        # Check the deferred foreign keys now: PostgreSQL builds no index on a table with
        # checks pending.
        connection.check_constraints()
    run(
        statement
        for model in searchable
        for statement in create_index_statements(model, connection.vendor)
    )


def run(statements):
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def analyze():
    """Fresh planner statistics after writing many records, so that PostgreSQL plans for the
    tables' new sizes at once rather than after autovacuum's next visit."""
    if connection.vendor == "postgresql":
        run(["ANALYZE"])
