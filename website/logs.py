"""Logs as one JSON object per line on standard output, for the service manager to collect:
one line per request (method, path, status, duration, user id) and one per error.

Nothing a client sends is copied wholesale: no headers, cookies, query strings or bodies,
so no token, password or session key can reach the log.
"""

import json
import logging
import time
from datetime import UTC, datetime

from django.conf import settings
from django.db import DatabaseError
from django.utils.functional import SimpleLazyObject, empty

request_logger = logging.getLogger("directory.request")

# Attributes every LogRecord has; anything else on a record was passed in `extra`.
STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "pid": record.process,
            "message": record.getMessage(),
        }
        for name, value in vars(record).items():
            if name in STANDARD_ATTRIBUTES or name.startswith("_"):
                continue
            if name == "request":
                # Django's loggers attach the request object; its method and path suffice.
                entry.setdefault("method", getattr(value, "method", None))
                entry.setdefault("path", getattr(value, "path", None))
            elif name != "server_time":
                entry[name] = value
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            entry["error"] = f"{type(error).__name__}: {error}"
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def signed_in_user_id(request):
    """The signed-in user's id, if any. A session user that the request did not need is
    looked up only if there is a session cookie (anonymous visitors cost no query), and a
    database that fails then costs the id, not the answer."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        try:
            user._setup()
        except DatabaseError:
            return None
    return user.pk if user.is_authenticated else None


class RequestLogMiddleware:
    """First in the chain, so that it times and logs every answer, including those of the
    other middleware and the error pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        request_logger.info(
            "%s %s %s",
            request.method,
            request.path,
            response.status_code,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": signed_in_user_id(request),
            },
        )
        return response
