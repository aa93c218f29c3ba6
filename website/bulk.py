"""Writing many records at once: bulk_create in batches with their many-to-many links, and
the search indexes built once after the writing instead of row by row. Used by the generated
directory and by restoring a backup."""

import itertools
from contextlib import contextmanager

from django.apps import apps
from django.db import connection

from directory.models.base import Searchable
from directory.search import create_index_statements, drop_index_statements

BATCH = 2000


def write(model, records, links=None):
    """Write the records; `links` holds, for each record in order, a mapping of many-to-many
    field names to the ids it points at. Returns the records with their ids (both databases
    return them from a bulk insert)."""
    created = model._default_manager.bulk_create(records, batch_size=BATCH)
    if links:
        write_links(model, created, links)
    return created


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
            through = field.remote_field.through
            own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            rows.setdefault(through, []).extend(
                through(**{own: record.pk, other: target}) for target in targets
            )
    for through, batch in rows.items():
        through._default_manager.bulk_create(batch, batch_size=BATCH)


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
