"""A bound on how long a web request waits for PostgreSQL to answer, kept by the client.

The statement time limit (website.statement_timeout) is kept by the server: it stops a
statement that runs too long, but not a wait for a server that does not answer at all (a
network partition, a frozen server or proxy). The client then waits on its socket, which the
kernel may keep open for the whole outage, and a threaded gunicorn worker goes on telling
its master it is alive while its request threads wait: nothing ends the wait.

Here a watchdog thread in each web process ends it. Each wait for the database is armed
with a bound; when a request thread's wait outlasts its bound, the watchdog shuts its
connection's socket down: the wait ends at once with a connection error, the request is
answered 503 (website.health), Django drops the connection, and the next request connects
anew (DATABASE_CONNECT_TIMEOUT bounds that), so the site recovers by itself once the
database answers again. The bounds:

- a statement: the statement time limit and STATEMENT_GRACE more, so that a statement the
  server stops is reported as the server reports it;
- Django's check of a kept connection before a request's first statement, and its check
  after an error at the request's end (a `SELECT 1` that a database that answers answers in
  well under a millisecond): DATABASE_CHECK_TIMEOUT_MS.

Only web processes are watched (website/wsgi.py turns it on); commands wait as long as their
work takes. Where no bound is armed, nothing is watched: arming is a dictionary entry.
"""

import os
import socket
import threading
import time

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import connections
from django.db.backends.signals import connection_created

# Past the statement time limit: the server's own stop arrives first when it can.
STATEMENT_GRACE = 2.0
# How often the watchdog looks.
TICK = 0.1


class Watchdog:
    def __init__(self):
        self.armed = {}  # thread id: (deadline, the thread's connection wrapper)
        self.thread = None
        self.pid = None

    def arm(self, seconds, connection):
        self.armed[threading.get_ident()] = (time.monotonic() + seconds, connection)
        if self.pid != os.getpid():  # started lazily, and again in a forked worker
            self.pid = os.getpid()
            self.thread = threading.Thread(target=self.watch, name="database-watchdog")
            self.thread.daemon = True
            self.thread.start()

    def disarm(self):
        self.armed.pop(threading.get_ident(), None)

    def watch(self):
        while True:
            time.sleep(TICK)
            now = time.monotonic()
            for ident, (deadline, connection) in list(self.armed.items()):
                if now >= deadline and self.armed.get(ident, (None,))[0] == deadline:
                    self.armed.pop(ident, None)
                    cut(connection)


def cut(connection):
    """Shut down the socket of a connection wrapper's driver connection, whatever thread
    waits on it: its wait ends with an error. A dup of the descriptor is shut down, which
    ends the connection for both, and closed; psycopg closes its own."""
    driver = connection.connection
    try:
        descriptor = os.dup(driver.fileno())
    except (AttributeError, OSError, ValueError):  # closed or gone: nothing waits on it
        return
    with socket.socket(fileno=descriptor) as duplicate:
        try:
            duplicate.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


WATCHDOG = Watchdog()


def statement_seconds():
    limit = settings.WEB_STATEMENT_TIMEOUT_MS
    return limit / 1000 + STATEMENT_GRACE if limit else None


def check_seconds():
    return settings.DATABASE_CHECK_TIMEOUT_MS / 1000


def bounded_statement(execute, sql, params, many, context):
    """An execute wrapper: the statement armed with its bound; after an error, the check
    Django makes at the request's end armed with the check's."""
    connection = context["connection"]
    seconds = statement_seconds()
    if seconds is None:
        WATCHDOG.disarm()  # no time limit: the statement may take what it takes
    else:
        WATCHDOG.arm(seconds, connection)
    try:
        result = execute(sql, params, many, context)
    except Exception:
        WATCHDOG.arm(check_seconds(), connection)
        raise
    WATCHDOG.disarm()
    return result


def watch_statements(sender, connection, **kwargs):
    if connection.vendor == "postgresql" and bounded_statement not in connection.execute_wrappers:
        # Entered for the life of the connection wrapper (a thread's), never left.
        connection.execute_wrapper(bounded_statement).__enter__()


def arm_the_first_check(sender, **kwargs):
    """At a request's start, the check Django makes of a kept connection before its first
    statement (which then arms its own bound). A request that makes none keeps this bound;
    if it outlasts it, its idle connection is cut, and the next request's check finds that
    out at once and connects anew."""
    connection = connections["default"]
    if connection.vendor == "postgresql" and connection.connection is not None:
        WATCHDOG.arm(check_seconds(), connection)


def disarm(sender, **kwargs):
    WATCHDOG.disarm()


def watch_web_database_waits():
    connection_created.connect(watch_statements, dispatch_uid=f"{__name__}.statements")
    request_started.connect(arm_the_first_check, dispatch_uid=f"{__name__}.started")
    # After Django's own receiver, which checks a connection that had an error.
    request_finished.connect(disarm, dispatch_uid=f"{__name__}.finished")
