"""The physical limit of an endpoint: the very statements it issues (captured by
bench.perf.inprocess), run through the database driver alone (sqlite3 or psycopg, the same
SQL and parameters, one connection made as the site makes its own) and every row they
return written with json.dumps. No Django: no ORM, no serializers, no URLs, no formatting,
which is the least any server of the same answer from the same queries must do.

    python -m bench.perf.replay STATEMENTS SECONDS OUT

STATEMENTS is what bench.perf.inprocess wrote; OUT gets {path: [ms, ...]} as JSON.
"""

import json
import sqlite3
import sys
import time


def connect(driver):
    """A DB-API connection as the site's: in autocommit, as Django keeps its connections;
    on PostgreSQL with the site's session options and its way of binding parameters."""
    if driver["vendor"] == "sqlite":
        return sqlite3.connect(driver["database"], isolation_level=None)
    import psycopg

    return psycopg.connect(
        driver["url"],
        autocommit=True,
        cursor_factory=psycopg.Cursor if driver["server_side_binding"] else psycopg.ClientCursor,
        **driver["options"],
    )


def replay(connection, statements):
    """Every statement executed and its rows fetched, all of them written as JSON text."""
    cursor = connection.cursor()
    rows = []
    for sql, params in statements:
        if params is None:
            cursor.execute(sql)
        else:
            cursor.execute(sql, params)
        rows.append(cursor.fetchall() if cursor.description else [])
    return json.dumps(rows, default=str, ensure_ascii=False)


def timed(function, seconds, warm_up=3):
    for _ in range(warm_up):
        function()
    samples = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(samples) < 5:
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main(argv):
    statements, seconds, out = argv
    with open(statements, encoding="utf-8") as read:
        captured = json.load(read)
    connection = connect(captured["driver"])
    try:
        samples = {
            path: timed(
                lambda served=served: replay(connection, served["statements"]), float(seconds)
            )
            for path, served in captured["paths"].items()
        }
    finally:
        connection.close()
    with open(out, "w", encoding="utf-8") as written:
        json.dump(samples, written)


if __name__ == "__main__":
    main(sys.argv[1:])
