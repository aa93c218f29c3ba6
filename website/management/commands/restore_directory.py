import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from website.backup.contents import BackupError, backup_models
from website.backup.restoring import restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup written by backup_directory into an empty, migrated database: every "
        "record with its id, so that every address stays the same. A database that already "
        "holds directory records is refused. Everything is restored in one transaction: on "
        "any error (a damaged file, a record that does not fit the models) nothing is. "
        "Editors named by import records are matched to this database's accounts by "
        "username; references to accounts it does not have are left empty and listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A backup file (.json, or .json.gz).")

    def handle(self, *args, path, **options):
        started = time.perf_counter()
        self.stdout.write(f"Restoring {path} ...")
        try:
            counts, missing_editors = restore_backup(path, out=self.stdout.write)
        except BackupError as error:
            raise CommandError(f"Nothing was restored: {error}") from error
        except DatabaseError as error:
            raise CommandError(
                f"Nothing was restored: the database refused a record: {error}"
            ) from error
        for model in backup_models():
            if counts[model._meta.label]:
                self.stdout.write(f"  {model._meta.label}: {counts[model._meta.label]:,}")
        if missing_editors:
            self.stdout.write(
                self.style.WARNING(
                    "References to editors this database has no account for were left empty: "
                    + ", ".join(missing_editors)
                )
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {sum(counts.values()):,} records in "
                f"{time.perf_counter() - started:.0f} s."
            )
        )
