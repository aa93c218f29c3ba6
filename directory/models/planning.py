"""Statements that PostgreSQL must plan for their own parameters every time.

A connection keeps a query prepared once it has run it DATABASE_PREPARE_THRESHOLD times
(settings.py), and PostgreSQL may then run it with a generic plan, made without the
parameters' values. That saves the planning of short lookups by id, but a count over
whatever a visitor's filters select depends on how much they select: the facet counts of
a large selection took far longer with generic plans than planned for each request.
"""

import contextlib

from django.db import connections


@contextlib.contextmanager
def planned_each_time(using="default"):
    """Run the statements inside unprepared, each planned for its parameters (on SQLite and
    with prepared statements off, a no-op)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    driver = connection.connection
    threshold = driver.prepare_threshold
    driver.prepare_threshold = None
    try:
        yield
    finally:
        driver.prepare_threshold = threshold
