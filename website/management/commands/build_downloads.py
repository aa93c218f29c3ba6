import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from website.downloads.building import DownloadsError, age_seconds, build
from website.downloads.manifest import downloads_directory


class Command(BaseCommand):
    help = (
        "Write the daily downloads of the whole directory into DOWNLOADS_DIRECTORY: every "
        "list that has an export as gzip-compressed CSV and JSON Lines, written as "
        "/api/<list>/export.csv and export.jsonl write them, the whole directory as Popolo "
        "JSON, and manifest.json (each file's size, records, SHA-256 and time built). The "
        "new files replace the previous ones only once all of them are complete; a build "
        "that fails leaves the previous ones in place. The latest build and the one before "
        "it are kept. Run it daily (docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-older-than",
            type=float,
            metavar="HOURS",
            help="Build only if there is no build yet or the latest is older than this.",
        )
        parser.add_argument(
            "--site-url",
            help="The site's address the records' links are written with (default SITE_URL).",
        )

    def handle(self, *args, if_older_than=None, site_url=None, **options):
        directory = downloads_directory()
        if if_older_than is not None:
            age = age_seconds(directory)
            if age is not None and age < if_older_than * 3600:
                self.stdout.write(
                    f"The downloads in {directory} are {age / 3600:.1f} hours old: not built."
                )
                return
        started = time.perf_counter()
        self.stdout.write(f"Building the downloads in {directory} ...")
        try:
            manifest = build(directory, site_url=site_url, out=self.stdout.write)
        except (DownloadsError, OSError) as error:
            raise CommandError(
                f"No downloads were built, the previous ones are kept: {error}"
            ) from error
        except DatabaseError as error:
            raise CommandError(
                f"No downloads were built, the previous ones are kept: the database failed: {error}"
            ) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {len(manifest['files'])} files in {directory / manifest['build']} in "
                f"{time.perf_counter() - started:.0f} s."
            )
        )
