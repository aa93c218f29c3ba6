"""Health probes for the process manager or load balancer, and the answer a visitor gets
while the database is unreachable or when it stopped a statement that took too long.

/healthz says the process answers (it touches nothing else, so a database outage does not
get healthy workers restarted); /readyz says whether it can serve: the database and the
cache both answer. With read replicas it also shows each one's state and lag; a replica down
or lagging leaves the instance ready, since the primary serves its reads (website.replicas).
"""

import logging
import uuid

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from website.api import is_api_request
from website.replicas import REPLICAS, replica_aliases

logger = logging.getLogger("website.health")

# Seconds a client should wait before trying again while the database is away.
RETRY_AFTER = "10"


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    problems = {
        name: problem
        for name, problem in [("database", database_problem()), ("cache", cache_problem())]
        if problem
    }
    replicas = {"replicas": REPLICAS.report()} if replica_aliases() else {}
    if problems:
        response = JsonResponse(
            {"status": "unavailable", "problems": problems, **replicas}, status=503
        )
        response["Retry-After"] = RETRY_AFTER
        return response
    return JsonResponse({"status": "ok", **replicas})


def database_problem():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # The error names hosts and ports: logged, not shown to whoever asks.
        logger.warning("readiness: database unreachable: %s", error)
        return f"unreachable ({type(error).__name__})"
    return None


def cache_problem():
    """The cache backend hides Redis errors (so that pages are served uncached when it is
    down); a value that does not come back is how an outage shows."""
    key, value = f"readyz:{uuid.uuid4().hex}", uuid.uuid4().hex
    cache.set(key, value, timeout=10)
    answered = cache.get(key)
    cache.delete(key)
    if answered != value:
        logger.warning("readiness: the cache did not keep a value")
        return "unreachable (a value stored could not be read back)"
    return None


# PostgreSQL's SQLSTATEs, besides its connection exceptions (class 08), that say the server
# cannot serve this connection: shutting down, crashed, starting, or full.
SERVER_UNAVAILABLE = {"57P01", "57P02", "57P03", "53300"}


def is_database_unavailable(error) -> bool:
    """Errors of the connection, not of a query: the server is down, unreachable, or went
    away mid-request. Django wraps the driver's errors in these two classes, which hold
    errors of a query too (one the driver refuses to send, say): on PostgreSQL those are
    bugs, answered 500 and logged, never reported as an outage."""
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    if connection.vendor != "postgresql":
        return True
    sqlstate = getattr(error.__cause__, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith("08") or sqlstate in SERVER_UNAVAILABLE
    # An error of the client's own: an outage if it left the connection unusable.
    driver = connection.connection
    return driver is None or driver.closed or driver.broken


def database_unavailable(request):
    """503 with Retry-After: the database cannot be reached."""
    response = unavailable(
        request,
        _("The database cannot be reached just now; try again in a few minutes."),
        "503.html",
    )
    response["Retry-After"] = RETRY_AFTER
    return response


def statement_stopped(request):
    """503: a statement of this request ran past its time limit (website.statement_timeout).
    The database is up; this request asked too much of it, and asking again will not help."""
    logger.warning("a statement ran past its time limit: %s %s", request.method, request.path)
    return unavailable(
        request,
        _(
            "This request took the database too long and was stopped; "
            "ask for less (a narrower search or fewer filters)."
        ),
        "503_too_slow.html",
    )


def unavailable(request, detail, template):
    """503: JSON under /api/, else a bilingual page rendered without a request context (its
    context processors might query the database)."""
    if is_api_request(request):
        return JsonResponse({"detail": detail}, status=503)
    return HttpResponse(loader.render_to_string(template), status=503)
