"""Read replicas against a real streaming replica: the local PostgreSQL's standby on
127.0.0.1:5433, which .ci/replica.sh makes and starts (`. .ci/replica.sh; ensure_replica`).
The alias replica_1, the test database's mirror (tests/settings.py), is pointed at it: the
standby has the test database by replication, under the same name.

Which database served a read is shown by what only one of them has: the replica's replay is
paused, a record is written on the primary, and a read that does not find it was served by
the replica. Without PostgreSQL, or without a replica answering, the tests are skipped with
the reason, except in CI (CI=true), where a missing replica fails them."""

import os
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client

from directory.models import Organization
from tests.helpers import assert_status
from website.replicas import READ_PRIMARY_COOKIE, REPLICAS

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica_1"])

ROOT = Path(__file__).resolve().parents[2]
REPLICA_PORT = 5433
NEW_ORGANIZATION = {
    "name_zh": "新公益机构",
    "name_en": "New Public Interest Organization",
    "kind": "ngo",
    "city": "beijing",
    "country": "CN",
    "sources": ["cdb-2021-international-networks"],
}
PATH = "/api/organizations/new-public-interest-organization/"


def replica_script(function):
    """Run a function of .ci/replica.sh (stop_replica, start_replica, ensure_replica)."""
    subprocess.run(
        ["bash", "-c", f". .ci/replica.sh && {function}"], cwd=ROOT, check=True, timeout=90
    )


def standby_connection(**options):
    import psycopg

    default = connections["default"].settings_dict
    return psycopg.connect(
        host="127.0.0.1",
        port=REPLICA_PORT,
        user=default["USER"],
        password=default["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=2,
        autocommit=True,
        **options,
    )


def standby_answers():
    import psycopg

    try:
        with standby_connection() as standby:
            return standby.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    except psycopg.OperationalError:
        return False


def replayed():
    """Wait until the standby has replayed all the primary has written; the seconds it took."""
    start = time.monotonic()
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        [position] = cursor.fetchone()
    with standby_connection() as standby:
        while not standby.execute(
            "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [position]
        ).fetchone()[0]:
            assert time.monotonic() - start < 30, "the replica did not catch up in 30 s"
            time.sleep(0.01)
    return time.monotonic() - start


class ReplayPaused:
    """The standby receives the primary's WAL but applies none of it until the block ends."""

    def __enter__(self):
        with standby_connection() as standby:
            standby.execute("SELECT pg_wal_replay_pause()")

    def __exit__(self, *exc):
        with standby_connection() as standby:
            standby.execute("SELECT pg_wal_replay_resume()")
        replayed()


@pytest.fixture
def replica(settings, transactional_db):
    if connections["default"].vendor != "postgresql":
        pytest.skip("read replicas are PostgreSQL's streaming replicas; this is SQLite")
    if not standby_answers():
        reason = f"no streaming replica answers on 127.0.0.1:{REPLICA_PORT}"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must start one (. .ci/replica.sh; ensure_replica).")
        pytest.skip(f"{reason} (. .ci/replica.sh; ensure_replica)")
    alias = connections["replica_1"]
    alias.close()
    alias.settings_dict.update(HOST="127.0.0.1", PORT=REPLICA_PORT)
    settings.DATABASE_REPLICAS = ["replica_1"]
    settings.DATABASE_ROUTERS = ["website.replicas.ReplicaRouter"]
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 60
    settings.DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS = 1
    settings.PAGE_CACHE_SECONDS = settings.DATA_CACHE_SECONDS = 0
    REPLICAS.clear()
    call_command("load_fixtures", verbosity=0)
    replayed()
    yield alias
    REPLICAS.clear()
    alias.close()
    default = connections["default"].settings_dict
    alias.settings_dict.update(HOST=default["HOST"], PORT=default["PORT"])


def test_the_replica_alias_is_the_standby(replica):
    with replica.cursor() as cursor:
        cursor.execute("SELECT inet_server_port(), pg_is_in_recovery(), current_database()")
        port, standby, name = cursor.fetchone()
    assert (port, standby) == (REPLICA_PORT, True)
    assert name == connections["default"].settings_dict["NAME"]


def test_an_anonymous_visitors_reads_are_served_by_the_replica(replica):
    with ReplayPaused():
        Organization.objects.create(slug="only-on-the-primary", name_en="Only on the primary")
        # The replica has not replayed it: the visitor is answered from the replica.
        assert_status(Client().get("/api/organizations/only-on-the-primary/"), 404)
        assert_status(Client().get("/en/organizations/cango/"), 200)
    assert_status(Client().get("/api/organizations/only-on-the-primary/"), 200)


def test_a_writer_reads_their_change_from_the_primary_then_the_replica_again(replica, editor):
    replayed()  # the editor's token is on the replica
    with ReplayPaused():
        response = editor.post("/api/organizations/", NEW_ORGANIZATION, format="json")
        assert_status(response, 201)
        assert READ_PRIMARY_COOKIE in response.cookies
        # Within the bound the editor reads the primary and sees the change; another
        # visitor reads the replica, which has not replayed it yet.
        assert_status(editor.get(PATH), 200)
        assert_status(Client().get(PATH), 404)
        # Past the bound the editor reads the replica again.
        time.sleep(2.1)
        assert_status(editor.get(PATH), 404)
    assert_status(editor.get(PATH), 200)
    assert_status(Client().get(PATH), 200)


def test_a_lagging_replica_is_skipped_and_readyz_reports_its_lag(replica, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 1
    with ReplayPaused():
        Organization.objects.create(slug="only-on-the-primary", name_en="Only on the primary")
        time.sleep(1.5)
        assert_status(Client().get("/api/organizations/only-on-the-primary/"), 200)
        response = Client().get("/readyz")
        assert_status(response, 200)
        state = response.json()["replicas"]["replica_1"]
        assert state["state"] == "lagging"
        assert state["lag_seconds"] > 1
    # Caught up (others' writes on a shared server may keep it a few milliseconds behind).
    state = Client().get("/readyz").json()["replicas"]["replica_1"]
    assert state["state"] == "ok"
    assert state["lag_seconds"] < 1


def test_a_stopped_replica_is_skipped_and_readyz_reports_it_down(replica):
    assert_status(Client().get("/en/organizations/cango/"), 200)  # a connection to it is open
    replica_script("stop_replica")
    try:
        for path in ["/en/organizations/cango/", "/api/organizations/", "/en/search/?q=cango"]:
            assert_status(Client().get(path), 200)
        response = Client().get("/readyz")
        assert_status(response, 200)
        assert response.json()["replicas"] == {"replica_1": {"state": "down", "lag_seconds": None}}
    finally:
        replica_script("start_replica && wait_for_replica")
    replayed()
    assert Client().get("/readyz").json()["replicas"]["replica_1"]["state"] == "ok"


def test_a_replica_that_goes_away_between_checks_costs_no_failed_request(replica, settings):
    settings.DATABASE_REPLICA_CHECK_SECONDS = 600
    assert_status(Client().get("/en/organizations/cango/"), 200)  # checked: ok, and read
    replica_script("stop_replica")
    try:
        # The first read fails on the replica and is asked again of the primary.
        for path in ["/en/organizations/cango/", "/api/organizations/cango/"]:
            assert_status(Client().get(path), 200)
        assert Client().get("/readyz").json()["replicas"]["replica_1"]["state"] == "down"
    finally:
        replica_script("start_replica && wait_for_replica")
    replayed()
