import sys

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from tqdm import tqdm

from networks.ecosoc.importer import import_decisions
from networks.ecosoc.reading import KINDS, ORDER, UnreadableFile, read_path
from networks.ecosoc.summary import summary_lines


class Command(BaseCommand):
    help = (
        "Import the UN Committee on NGOs' decisions (ECOSOC_Status spreadsheets, XLSX or CSV). "
        "A file's kind is read from its name as the dataset names it "
        "(1_ecosoc_status_granted.xlsx: granted), or given with --kind; a file whose kind "
        "cannot be known, or whose columns do not fit it, is refused. Files are applied in "
        "this order whatever the order given: " + ", ".join(ORDER) + ". "
        "Organizations are matched by name; names that only resemble one are left for review "
        "in the admin (possible duplicates). Everything is written in one transaction, "
        "recorded in each record's history as one change set; running the same files again "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would be created, updated, matched, flagged and "
            "skipped, and write nothing.",
        )
        parser.add_argument(
            "--kind",
            choices=list(KINDS),
            help="The kind of decisions every file given holds, whatever its name.",
        )
        parser.add_argument("--user", help="The editor the changes are recorded under.")
        parser.add_argument(
            "--no-progress",
            action="store_true",
            help="No progress bar (it is also left out when not on a terminal).",
        )

    def handle(
        self, *args, paths, dry_run=False, user=None, no_progress=False, kind=None, **options
    ):
        editor = self.editor(user)
        try:
            files = [read_path(path, kind) for path in paths]
        except UnreadableFile as error:
            raise CommandError(str(error)) from error
        show_progress = not no_progress and sys.stderr.isatty()

        def progress(rows, desc):
            return tqdm(rows, desc=desc, unit=" rows", file=sys.stderr, disable=not show_progress)

        try:
            reports = import_decisions(files, user=editor, dry_run=dry_run, progress=progress)
        except DatabaseError as error:
            raise CommandError(f"Nothing was imported: {error}") from error
        for line in summary_lines([report.as_dict() for report in reports]):
            self.stdout.write(line)
        if dry_run:
            self.stdout.write(self.style.WARNING("Dry run: nothing was written."))
        else:
            self.stdout.write(self.style.SUCCESS("Imported."))

    @staticmethod
    def editor(username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"There is no user {username!r}.") from error
