import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from website.backup.contents import BackupError
from website.backup.writing import write_backup


class Command(BaseCommand):
    help = (
        "Write the whole directory to one JSON file (gzip-compressed if its name ends in .gz): "
        "every record of the directory, networks and events apps with its id, its foreign "
        "keys and its many-to-many links (sources, fields of work), from one consistent "
        "snapshot. Accounts, sessions, tokens and the history of changes are not included; "
        "editors named by import records are written by username. The file appears only "
        "once it is complete. Restore it with restore_directory."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write, for example directory.json.gz.")

    def handle(self, *args, path, **options):
        started = time.perf_counter()
        self.stdout.write(f"Writing {path} ...")
        try:
            counts = write_backup(path, out=self.stdout.write)
        except (BackupError, OSError) as error:
            raise CommandError(f"No backup was written: {error}") from error
        except DatabaseError as error:
            raise CommandError(f"No backup was written: the database failed: {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {sum(counts.values()):,} records to {path} in "
                f"{time.perf_counter() - started:.0f} s."
            )
        )
