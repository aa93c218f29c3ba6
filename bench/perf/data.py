"""The benchmark's databases: one per backend and size, generated once and kept.

SQLite: var/bench/perf-{size}.sqlite3. PostgreSQL: bench_perf_{size} on BENCH_POSTGRES
(postgres://postgres@127.0.0.1:5432 by default), or {BENCH_DATABASE_PREFIX}_{size}. A
database without organizations is migrated and filled by `generate_directory --organizations
SIZE --seed 1` (people, memberships and events in its default proportions), then its
planner's statistics are gathered, as ../shared/tools/vs-datasette makes its file; one with
organizations is migrated and reused.
"""

import os
import sqlite3
import subprocess

from bench.perf.server import BIN, ROOT, django_environment

POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
# Another prefix keeps one checkout's PostgreSQL databases apart from another's.
PREFIX = os.environ.get("BENCH_DATABASE_PREFIX", "bench_perf")
SQLITE_DIR = ROOT / "var" / "bench"


def sqlite_file(size):
    return SQLITE_DIR / f"perf-{size}.sqlite3"


def database_name(size):
    return f"{PREFIX}_{size}"


def database_url(backend, size):
    if backend == "sqlite":
        return f"sqlite:///{sqlite_file(size)}"
    if backend == "postgresql":
        return f"{POSTGRES}/{database_name(size)}"
    raise ValueError(f"BENCH_BACKENDS: unknown backend {backend!r} (sqlite, postgresql)")


def connect(backend, size):
    """A DB-API connection without Django."""
    if backend == "sqlite":
        return sqlite3.connect(sqlite_file(size))
    import psycopg

    return psycopg.connect(database_url(backend, size))


def organizations(backend, size):
    """How many organizations the database holds; 0 if it or its tables do not exist."""
    if backend == "sqlite" and not sqlite_file(size).exists():
        return 0
    try:
        with connect(backend, size) as connection:
            return connection.execute("SELECT count(*) FROM directory_organization").fetchone()[0]
    except Exception:  # no database, no table: both mean "to be made"
        return 0


def create_postgresql(size):
    import psycopg

    name = database_name(size)
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')


def ensure(backend, size, out=print):
    if organizations(backend, size):
        # Kept data, brought up to the code's schema (new indexes too).
        subprocess.run(
            [str(BIN / "python"), "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env=django_environment(database_url(backend, size)),
            check=True,
        )
        return
    out(f"Generating {size:,} organizations on {backend} (kept for the next runs).")
    SQLITE_DIR.mkdir(parents=True, exist_ok=True)
    if backend == "postgresql":
        create_postgresql(size)
    environment = django_environment(database_url(backend, size))
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["generate_directory", "--organizations", str(size), "--seed", "1"],
    ):
        subprocess.run(
            [str(BIN / "python"), "manage.py", *command], cwd=ROOT, env=environment, check=True
        )
    # The planner's statistics, as autovacuum gathers them in production (PostgreSQL) and as
    # vs-datasette gathers them for its file (SQLite).
    with connect(backend, size) as connection:
        if backend == "postgresql":
            connection.autocommit = True
            connection.execute("VACUUM ANALYZE")
        else:
            connection.execute("ANALYZE")
            connection.commit()
