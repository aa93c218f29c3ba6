"""The background job worker as the site runs it: django-tasks-db's `db_worker`, started
again after the database went away. `db_worker` stops on the first error of its connection,
which would leave the site without a worker after any outage of the database or the network;
the web server recovers by itself, and so must the worker."""

import logging
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import InterfaceError, OperationalError, connections

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run the background jobs (imports) as they are queued: manage.py db_worker, started "
        "again when it stops on losing the database. SIGTERM or Ctrl+C stop it after the job "
        "under way."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds between looks at an empty queue (default: 1).",
        )
        parser.add_argument(
            "--retry-seconds",
            type=float,
            default=5.0,
            help="Seconds to wait before starting again after losing the database (default: 5).",
        )

    def handle(self, *args, interval, retry_seconds, verbosity, **options):
        while True:
            try:
                call_command(
                    "db_worker", "--no-reload", "--interval", str(interval), verbosity=verbosity
                )
                return  # told to stop
            except (OperationalError, InterfaceError) as error:
                logger.warning(
                    "The job worker lost the database (%s); starting again in %s s.",
                    str(error).strip().splitlines()[0] if str(error).strip() else type(error),
                    retry_seconds,
                )
                connections.close_all()
                time.sleep(retry_seconds)
