"""Read replicas: reads go to a streaming replica of PostgreSQL, writes to the primary.

DATABASE_REPLICA_URLS names the replicas (settings: the aliases replica_1, replica_2, ...);
without it nothing here has any effect and the router is not installed. With it:

- The router sends a web request's reads to a replica and every write to the primary
  ("default"). Reads go to the primary when there is no request (commands, the job worker,
  migrations), inside a transaction (`atomic`: reads with the writes they lead to;
  `select_for_update` is a write), and for a request that is itself a write or comes from a
  visitor who wrote a moment ago.
- Read your writes: ReadYourWritesMiddleware gives a visitor whose write (a POST, PUT, PATCH
  or DELETE, the admin's and the API's alike) reached a view a signed cookie that sends
  their reads to the primary for DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS. The cookie
  travels with the visitor, so any app server honours it.
- Health: a replica is used only while it answers and its lag is within
  DATABASE_REPLICA_MAX_LAG_SECONDS. Each process checks each replica at most every
  DATABASE_REPLICA_CHECK_SECONDS (the router asks REPLICAS, which answers from memory in
  between); /readyz shows the states (website.health).

The lag: a replica that has replayed the primary's whole WAL as the primary had written it
just before (pg_current_wal_lsn() on the primary, then pg_last_wal_replay_lsn() on the
replica) lags by nothing; one that has not lags by the time since the last transaction it
replayed was committed, an upper bound of how old its data are. The replay time alone grows
without bound on a primary that writes nothing, and the WAL positions alone say bytes, not
seconds. pg_stat_replication on the primary would need each replica matched to its row, which
a proxy or a pooler in between hides.
"""

import contextvars
import random
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections

PRIMARY = "default"
# The cookie of a visitor who wrote: their reads go to the primary while it lasts.
READ_PRIMARY_COOKIE = "read_primary"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


@dataclass
class Reads:
    """Where a request's reads may go: `replica` if they may go to one at all, `chosen` the
    replica picked at its first read (one per request, so that a page reads one state)."""

    replica: bool
    chosen: str | None = None


# Outside a request (commands, the job worker, the shell) reads go to the primary.
READS = contextvars.ContextVar("database_reads", default=None)


def replica_aliases():
    return settings.DATABASE_REPLICAS


class ReadYourWritesMiddleware:
    """Sets where this request's reads go (READS, reset when it ends, so that a gunicorn
    thread's next request starts afresh), and gives a visitor who wrote the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_aliases():
            return self.get_response(request)
        writes = request.method not in SAFE_METHODS
        reads = Reads(replica=not writes and not recently_wrote(request))
        token = READS.set(reads)
        try:
            response = self.get_response(request)
        finally:
            READS.reset(token)
            # For the page cache, which stores the answer after this has returned.
            request.read_a_replica = reads.chosen not in (None, PRIMARY)
        if writes and getattr(request, "reached_view", False):
            seconds = settings.DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS
            response.set_signed_cookie(
                READ_PRIMARY_COOKIE,
                "1",
                salt=READ_PRIMARY_COOKIE,
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        # A write refused before its view (by CSRF, which comes first) wrote nothing.
        request.reached_view = True
        request.replica_view = (view_func, view_args, view_kwargs)

    def process_exception(self, request, exception):
        """A replica that went away since its last check: left for the primary at once in
        this process, and the read asked again of the primary (a read may be repeated)."""
        reads = READS.get()
        alias = reads.chosen if reads else None
        if alias in (None, PRIMARY) or not isinstance(exception, OperationalError | InterfaceError):
            return None
        REPLICAS.states[alias] = State("down", None, time.monotonic())
        connections[alias].close()
        reads.chosen = PRIMARY
        view_func, view_args, view_kwargs = request.replica_view
        return view_func(request, *view_args, **view_kwargs)


def read_a_replica():
    """Whether this request has read from a replica (website.cache.may_store asks)."""
    reads = READS.get()
    return reads is not None and reads.chosen not in (None, PRIMARY)


def recently_wrote(request):
    return (
        request.get_signed_cookie(
            READ_PRIMARY_COOKIE,
            default=None,
            salt=READ_PRIMARY_COOKIE,
            max_age=settings.DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS,
        )
        is not None
    )


class ReplicaRouter:
    """Django's router (DATABASE_ROUTERS, installed with replicas only)."""

    def db_for_read(self, model, **hints):
        reads = READS.get()
        if reads is None or not reads.replica or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        # Chosen once; a replica found unusable meanwhile is left for another, or for the
        # primary, which then serves the rest of the request.
        if reads.chosen is None or (reads.chosen != PRIMARY and not REPLICAS.usable(reads.chosen)):
            reads.chosen = REPLICAS.choose()
        return reads.chosen

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replicas are copies of the primary: an object read from one relates to any.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


@dataclass
class State:
    state: str  # "ok", "lagging", "down" or "not a standby"
    lag_seconds: float | None = None
    checked: float = 0.0  # time.monotonic() of the check

    @property
    def usable(self):
        return self.state == "ok"

    def as_json(self):
        lag = None if self.lag_seconds is None else round(self.lag_seconds, 3)
        return {"state": self.state, "lag_seconds": lag}


# On the replica: whether it is one, whether it has replayed what the primary had written
# (the primary's position, or else what the replica has received), and the age of the last
# transaction it replayed.
REPLICA_CHECK = """
    SELECT pg_is_in_recovery(),
           pg_last_wal_replay_lsn() >= COALESCE(%s::pg_lsn, pg_last_wal_receive_lsn()),
           EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp())::float
"""


class Replicas:
    """Each replica's state in this process, checked again once it is older than
    DATABASE_REPLICA_CHECK_SECONDS: by one thread, while the others go on with the last."""

    def __init__(self):
        self.states = {}
        self.lock = threading.Lock()

    def clear(self):
        self.states = {}

    def state(self, alias):
        known = self.states.get(alias)
        fresh = known and time.monotonic() - known.checked < settings.DATABASE_REPLICA_CHECK_SECONDS
        if not fresh and self.lock.acquire(blocking=known is None):
            try:
                known = self.states[alias] = check(alias)
            finally:
                self.lock.release()
        return known or State("down")

    def usable(self, alias):
        return self.state(alias).usable

    def choose(self):
        """A usable replica, at random, or the primary if none is."""
        usable = [alias for alias in replica_aliases() if self.usable(alias)]
        return random.choice(usable) if usable else PRIMARY

    def report(self):
        return {alias: self.state(alias).as_json() for alias in replica_aliases()}


REPLICAS = Replicas()


def check(alias):
    """The replica's state now: down if it does not answer (DATABASE_CONNECT_TIMEOUT bounds
    the wait), lagging past DATABASE_REPLICA_MAX_LAG_SECONDS, or ok."""
    now = time.monotonic()
    replica = connections[alias]
    if replica.vendor != "postgresql":  # a test's mirror of SQLite: nothing lags
        return State("ok", 0.0, now)
    try:
        with connections[PRIMARY].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()::text")
            [primary_position] = cursor.fetchone()
    except DatabaseError:
        primary_position = None  # the primary is away: the replica's own account
    try:
        with replica.cursor() as cursor:
            cursor.execute(REPLICA_CHECK, [primary_position])
            standby, caught_up, since_replayed = cursor.fetchone()
            lag = 0.0 if caught_up else since_replayed
            if standby and not caught_up and primary_position is not None:
                if reaches(cursor, primary_position):
                    lag = time.monotonic() - now
    except DatabaseError:
        replica.close()
        return State("down", None, now)
    if not standby:
        return State("not a standby", None, now)
    if lag is None:  # it has replayed no transaction yet
        return State("lagging", None, now)
    within = lag <= settings.DATABASE_REPLICA_MAX_LAG_SECONDS
    return State("ok" if within else "lagging", lag, now)


# How long a check waits for a replica a little behind to reach the primary's position.
CATCH_UP_WAIT = 0.2


def reaches(cursor, position):
    """Whether the replica replays up to `position` within CATCH_UP_WAIT: on a primary that
    writes all the time a healthy replica is always a little behind, and its last replayed
    transaction may be old (others' WAL, a long import's, is not a transaction's end)."""
    deadline = time.monotonic() + CATCH_UP_WAIT
    while time.monotonic() < deadline:
        time.sleep(0.01)
        cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position])
        if cursor.fetchone()[0]:
            return True
    return False
