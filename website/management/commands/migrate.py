"""`migrate`, as Django's, but waiting at most MIGRATION_LOCK_TIMEOUT_MS for each lock on
PostgreSQL. A migration that must lock a table an import or a long edit holds then stops
with a message, its own transaction rolled back, instead of waiting in the lock's queue
with every request that touches the table waiting behind it. (Django finds a project's
command of a built-in's name first: this one is what `manage.py migrate` runs.)"""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands import migrate
from django.db import OperationalError, connections

# PostgreSQL's SQLSTATE for a lock not granted in time.
LOCK_NOT_AVAILABLE = "55P03"


class Command(migrate.Command):
    def handle(self, *args, **options):
        connection = connections[options["database"]]
        milliseconds = settings.MIGRATION_LOCK_TIMEOUT_MS
        if connection.vendor != "postgresql" or not milliseconds:
            return super().handle(*args, **options)
        set_lock_timeout(connection, f"{milliseconds}ms")
        try:
            return super().handle(*args, **options)
        except OperationalError as error:
            if getattr(error.__cause__, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
            raise CommandError(
                f"A migration waited {milliseconds / 1000:g} s for a lock that another "
                f"transaction holds (an import, a long edit or another migrate), and stopped; "
                f"what it had begun was rolled back. Run migrate again once that transaction "
                f"ends (DATABASE_MIGRATION_LOCK_TIMEOUT_MS sets the wait). The database said: "
                f"{str(error.__cause__).strip()}"
            ) from None
        finally:
            set_lock_timeout(connection, "0")


def set_lock_timeout(connection, value):
    """The connection's session's lock_timeout for the statements that follow."""
    if connection.needs_rollback:
        return  # a failed transaction, whose rollback undoes the setting
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('lock_timeout', %s, false)", [value])
