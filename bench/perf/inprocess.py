"""Run in its own process on one database (DATABASE_URL, without REDIS_URL: no cache): serves
requests in-process through the WSGI application that gunicorn serves (website.wsgi), with
no server, socket or client, times each path and captures the SQL statements it issues as
the database driver receives them (django.db.connection.execute_wrapper).

    python -m bench.perf.inprocess OUT SECONDS PATH [PATH ...]

Writes to OUT, as JSON: {"driver": how bench.perf.replay connects as the site does,
"paths": {path: {"status", "statements": [[sql, params], ...], "samples_ms": [...]}}}.
Standard output is left to the application's request log.
"""

import io
import json
import os
import sys
import time
from collections.abc import Mapping

# Requests before a path's statements are captured: the first opens the connection and
# compiles what the application compiles once.
WARM_UP = 3


def environ(path):
    """The WSGI environment of an anonymous GET of `path`, as gunicorn builds it."""
    path, _, query = path.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def serve(application, path):
    """The status of one request, its whole body read and the response closed (which ends
    the request as a server ends it: request_finished, the connection's age checked)."""
    statuses = []
    body = application(environ(path), lambda status, headers, *exc: statuses.append(status))
    try:
        for _chunk in body:
            pass
    finally:
        body.close()
    return int(statuses[0].split()[0])


def driver_statement(sql, params, context):
    """A statement as the driver receives it: SQLite's wrapper turns Django's placeholders
    into sqlite3's before executing (and leaves a statement without parameters as it is)."""
    if params is not None and context["connection"].vendor == "sqlite":
        names = list(params) if isinstance(params, Mapping) else None
        sql = context["cursor"].cursor.convert_query(sql, param_names=names)
    if params is None or isinstance(params, Mapping):
        written = params
    else:
        written = list(params)
    for value in written.values() if isinstance(written, Mapping) else written or []:
        if value is not None and not isinstance(value, str | int | float | bool):
            raise TypeError(f"A parameter JSON cannot carry as it is: {value!r} in {sql}")
    return [sql, written]


def captured(application, path):
    """The statements one request of `path` issues, and its status."""
    from django.db import connection

    statements = []

    def capture(execute, sql, params, many, context):
        if many:
            raise ValueError(f"{path} ran executemany(); a GET is not expected to: {sql}")
        statements.append(driver_statement(sql, params, context))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        status = serve(application, path)
    return status, statements


def timed(function, seconds):
    samples = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(samples) < 5:
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def driver():
    """How the site's connection is made, for bench.perf.replay: the SQLite file, or the
    PostgreSQL address and the options the site connects with (the planner's costs, prepared
    statements, parameters bound by the server or by the client)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        return {"vendor": "sqlite", "database": str(connection.settings_dict["NAME"])}
    parameters = connection.get_connection_params()
    return {
        "vendor": connection.vendor,
        "url": os.environ["DATABASE_URL"],
        "options": {
            key: parameters[key]
            for key in ("options", "prepare_threshold", "connect_timeout")
            if key in parameters
        },
        "server_side_binding": bool(connection.settings_dict["OPTIONS"].get("server_side_binding")),
    }


def main(argv):
    out, seconds, *paths = argv
    if os.environ.get("REDIS_URL"):
        sys.exit("bench.perf.inprocess times the site uncached: run it without REDIS_URL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings")
    from website.wsgi import application

    results = {}
    for path in paths:
        for _ in range(WARM_UP):
            serve(application, path)
        status, statements = captured(application, path)
        # A cache that answered a request would leave the next with fewer statements.
        if captured(application, path)[1] != statements:
            sys.exit(f"{path}: two requests issued different statements; is a cache on?")
        results[path] = {
            "status": status,
            "statements": statements,
            "samples_ms": timed(lambda path=path: serve(application, path), float(seconds)),
        }
    with open(out, "w", encoding="utf-8") as written:
        json.dump({"driver": driver(), "paths": results}, written, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
