"""Write the whole directory to one JSON file, reading the records in chunks so that the
directory never has to fit in memory, from one consistent snapshot of the database."""

import datetime
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path

from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.json import Serializer as JSONSerializer
from django.db import connection, transaction

from website.backup.contents import BackupError, backup_models, editor_fields, open_text
from website.bulk import batches

CHUNK = 2000  # records read at once, and the most ids in one query's IN (...)


class PreciseEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to the millisecond; a backup keeps every digit."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


class BackupSerializer(JSONSerializer):
    """Django's JSON serialization, one record to a line, with editors by username."""

    def end_object(self, obj):
        self.stream.write("\n" if self.first else ",\n")
        self.stream.write(json.dumps(self.get_dump_object(obj), **self.json_kwargs))
        self._current = None

    def end_serialization(self):
        self.stream.write("\n]\n")

    def handle_m2m_field(self, obj, field):
        self._current[field.name] = obj.backup_links[field.name]

    def handle_fk_field(self, obj, field):
        if field in self.editor_fields:
            editor = getattr(obj, field.name)
            self._current[field.name] = editor.natural_key() if editor else None
        else:
            super().handle_fk_field(obj, field)


def records(model):
    """The model's records in id order, each with `backup_links`: the ids its many-to-many
    fields point at, read from the link tables once per chunk of records (not per record,
    and without loading the records they point at)."""
    editors = [field.name for field in editor_fields(model)]
    queryset = model._base_manager.order_by("pk").select_related(*editors)
    for chunk in batches(queryset.iterator(chunk_size=CHUNK), CHUNK):
        links = {
            field.name: linked_ids(field, [record.pk for record in chunk])
            for field in model._meta.local_many_to_many
        }
        for record in chunk:
            record.backup_links = {name: ids.get(record.pk, []) for name, ids in links.items()}
            yield record


def linked_ids(field, ids):
    """{record id: sorted ids it links to} for a many-to-many field."""
    through = field.remote_field.through
    own, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    linked = {}
    for record, target in (
        through._base_manager.filter(**{f"{own}__in": ids})
        .order_by(own, other)
        .values_list(own, other)
    ):
        linked.setdefault(record, []).append(target)
    return linked


def write_backup(path, out=print):
    """Write every record to `path` (gzip-compressed if it ends in .gz) through a temporary
    file beside it, renamed into place only once complete. Returns the count per model."""
    path = Path(path)
    if not path.parent.is_dir():
        raise BackupError(f"There is no folder {path.parent}.")
    partial = path.with_name(f".partial.{path.name}")  # keeps the name's ending (.gz)
    counts, started = {}, time.perf_counter()

    def every_record():
        for model in backup_models():
            counts[model._meta.label] = 0
            for record in records(model):
                counts[model._meta.label] += 1
                yield record
            out(
                f"  {model._meta.label}: {counts[model._meta.label]:,} "
                f"({time.perf_counter() - started:.0f} s)"
            )

    serializer = BackupSerializer()
    serializer.editor_fields = {
        field for model in backup_models() for field in editor_fields(model)
    }
    try:
        with snapshot(), open_text(partial, "w") as stream:
            serializer.serialize(every_record(), stream=stream, cls=PreciseEncoder)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return counts


@contextmanager
def snapshot():
    """One transaction for the whole export. On PostgreSQL it sees the database as it was
    when it began (repeatable read), whatever is written meanwhile; a transaction that is
    already open (as in tests) is used as it is."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield
