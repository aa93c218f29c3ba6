"""A time limit on each SQL statement a web request runs (PostgreSQL's statement_timeout).

Without one, a query that runs away (a combination of filters no index serves, a plan gone
wrong) holds its worker until gunicorn kills it (GUNICORN_TIMEOUT), and PostgreSQL goes on
running it after that: a server finishes a statement whose client has gone. With one, the
statement stops at WEB_STATEMENT_TIMEOUT_MS, the database is free again, and the visitor is
told what happened (a 503, website.views.server_error).

Only the web server's connections are limited: website/wsgi.py turns it on. Migrations,
imports and other commands share the settings and may rightly run longer statements.
"""

from django.conf import settings
from django.db.backends.signals import connection_created

# PostgreSQL's SQLSTATE for a statement cancelled, by its time limit or by an administrator.
QUERY_CANCELED = "57014"


def limit_statements(sender, connection, **kwargs):
    """Give a new connection the web's time limit (a setting of its session, so it holds for
    every statement and transaction the connection runs)."""
    milliseconds = settings.WEB_STATEMENT_TIMEOUT_MS
    if connection.vendor == "postgresql" and milliseconds:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, false)", [f"{milliseconds}ms"]
            )


def limit_web_statements():
    connection_created.connect(limit_statements, dispatch_uid=__name__)


def is_statement_timeout(error) -> bool:
    """Whether a database error is a statement that was stopped (Django wraps the driver's
    error, which carries the SQLSTATE)."""
    return getattr(getattr(error, "__cause__", None), "sqlstate", None) == QUERY_CANCELED
