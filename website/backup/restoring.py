"""Restore a backup into an empty database: every record with its id, in one transaction, or
nothing at all."""

import gzip
import time
from collections import Counter
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.python import Deserializer
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor

from directory.models.base import Named
from website.backup.contents import (
    BackupError,
    backup_models,
    editor_fields,
    history_models,
    open_text,
)
from website.backup.reading import read_records
from website.bulk import BATCH, analyze, search_indexes_built_at_the_end, write
from website.cache import data_changed

PROGRESS_STEP = 100_000


def restore_backup(path, out=print):
    """Returns the number of records restored per model and the usernames of editors the
    backup names that this database has no account for (their references are left empty)."""
    if not Path(path).is_file():
        raise BackupError(f"There is no file {path}.")
    loader = Loader(out)
    try:
        with open_text(path, "r") as stream, transaction.atomic():
            refuse_unmigrated()
            refuse_non_empty()
            with search_indexes_built_at_the_end():
                loader.load(read_records(stream))
                loader.out("  checking references and building the search indexes")
                connection.check_constraints(
                    table_names=[model._meta.db_table for model in loader.tables()]
                )
            with connection.cursor() as cursor:
                # New records are numbered after the restored ones.
                for statement in connection.ops.sequence_reset_sql(no_style(), backup_models()):
                    cursor.execute(statement)
            # Written in bulk, without signals: what a running site cached goes stale on commit.
            data_changed()
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError) as error:
        raise BackupError(
            f"{path} is not a backup (not UTF-8 JSON, or a damaged .gz file): {error}"
        ) from error
    analyze()
    return loader.counts, sorted(loader.missing_editors)


def refuse_unmigrated():
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise BackupError("The database is not migrated: run manage.py migrate first.")


def refuse_non_empty():
    held = [
        f"{model._base_manager.count():,} {model._meta.verbose_name_plural}"
        for model in [*backup_models(), *history_models()]
        if model._base_manager.exists()
    ]
    if held:
        raise BackupError(
            f"This database already holds directory records ({', '.join(held[:5])}"
            f"{', ...' if len(held) > 5 else ''}). A backup is restored only into an empty "
            "database: create one and run manage.py migrate, or empty this one with "
            "manage.py flush."
        )


def has_automatic_times(model) -> bool:
    return any(
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        for field in model._meta.concrete_fields
    )


class Loader:
    """Checks each record of the file, turns it into a model instance (Django's deserializer),
    and writes the instances in batches per model."""

    def __init__(self, out):
        self.out = out
        self.models = {model._meta.label_lower: model for model in backup_models()}
        self.field_names = {
            model: {
                field.name
                for field in [*model._meta.concrete_fields, *model._meta.local_many_to_many]
                if not field.primary_key
            }
            for model in self.models.values()
        }
        self.pending = {}
        self.counts = Counter()
        self.editors = {}
        self.missing_editors = set()
        self.number = 0
        self.started = time.perf_counter()

    def load(self, rows):
        try:
            for item in Deserializer(self.checked(rows), using=connection.alias):
                batch = self.pending.setdefault(type(item.object), [])
                batch.append(item)
                if len(batch) == BATCH:
                    self.write(type(item.object))
        except DeserializationError as error:
            raise BackupError(f"Record {self.number}: {error}") from error
        for model in list(self.pending):
            self.write(model)

    def checked(self, rows):
        for self.number, row in enumerate(rows, start=1):
            if not (
                isinstance(row, dict)
                and {"model", "pk", "fields"} <= set(row)
                and isinstance(row["fields"], dict)
            ):
                raise BackupError(
                    f"Record {self.number} is not a record of a directory "
                    "backup: it needs a model, a pk and fields."
                )
            model = self.models.get(str(row["model"]).lower())
            if model is None:
                raise BackupError(
                    f"Record {self.number}: {row['model']!r} is not a kind of "
                    "record a directory backup holds."
                )
            unknown = row["fields"].keys() - self.field_names[model]
            if unknown:
                raise BackupError(
                    f"Record {self.number}: {model._meta.label} has no field "
                    f"{', '.join(sorted(unknown))} (a backup of another version "
                    "of the directory?)."
                )
            for field in editor_fields(model):
                row["fields"][field.name] = self.editor(row["fields"].get(field.name))
            if self.number % PROGRESS_STEP == 0:
                self.out(
                    f"  {self.number:,} records read ({time.perf_counter() - self.started:.0f} s)"
                )
            yield row

    def editor(self, key):
        """The id of the account a backup names by username, or None when this database has
        no such account."""
        if key is None:
            return None
        if not (isinstance(key, list) and len(key) == 1 and isinstance(key[0], str)):
            raise BackupError(
                f"Record {self.number}: an editor must be given by username, "
                f'as ["name"], not {key!r}.'
            )
        if key[0] not in self.editors:
            found = get_user_model()._base_manager.filter(username=key[0]).first()
            self.editors[key[0]] = found.pk if found else None
            if not found:
                self.missing_editors.add(key[0])
        return self.editors[key[0]]

    def write(self, model):
        items = self.pending.pop(model)
        if has_automatic_times(model):
            # bulk_create would stamp them with the current time; a raw save keeps them.
            for item in items:
                item.save(using=connection.alias)
        else:
            records = [item.object for item in items]
            if issubclass(model, Named):
                # A backup written before the keys existed has none (directory.name_order).
                for record in records:
                    record.refresh_sort_keys()
            write(model, records, [item.m2m_data for item in items])
        self.counts[model._meta.label] += len(items)

    def tables(self):
        """The restored models and their many-to-many link tables."""
        models = [model for model in backup_models() if self.counts[model._meta.label]]
        return [
            *models,
            *(
                field.remote_field.through
                for model in models
                for field in model._meta.local_many_to_many
            ),
        ]
