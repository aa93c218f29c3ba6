"""The routing of reads to replicas, on SQLite and PostgreSQL alike: replica_1 is the test
database's mirror (tests/settings.py), so what is read there is what the primary has, and
which connection served a query says where the router sent it. A replica's health is given
here; tests/website/test_replicas.py measures a real one's.

The tests are transactional: the mirror is another connection, which sees only what is
committed."""

import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections, router, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from directory.models import Organization, Source
from tests.helpers import assert_status
from website import replicas
from website.cache import CHANGED_AT_KEY
from website.replicas import READ_PRIMARY_COOKIE, READS, REPLICAS, Reads, State

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica_1"])

NEW_ORGANIZATION = {
    "name_zh": "新公益机构",
    "name_en": "New Public Interest Organization",
    "kind": "ngo",
    "city": "beijing",
    "country": "CN",
    "sources": ["cdb-2021-international-networks"],
}


class Health:
    """Stands in for replicas.check: answers `state`, and counts the checks."""

    def __init__(self, state="ok", lag=0.0):
        self.state, self.lag, self.checks = state, lag, 0

    def __call__(self, alias):
        self.checks += 1
        return State(self.state, self.lag, time.monotonic())


@pytest.fixture
def health(monkeypatch):
    health = Health()
    monkeypatch.setattr(replicas, "check", health)
    return health


@pytest.fixture
def with_replica(settings, health):
    """replica_1 on, healthy, checked every time unless a test says otherwise."""
    call_command("load_fixtures", verbosity=0)
    settings.DATABASE_REPLICAS = ["replica_1"]
    settings.DATABASE_ROUTERS = ["website.replicas.ReplicaRouter"]
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0
    settings.PAGE_CACHE_SECONDS = settings.DATA_CACHE_SECONDS = 0
    REPLICAS.clear()
    yield health
    REPLICAS.clear()


class Served:
    """The queries each database served while the block ran."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"]).__enter__()
        self.replica = CaptureQueriesContext(connections["replica_1"]).__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)


def test_without_replicas_nothing_is_routed_and_no_cookie_is_set(editor):
    # The suite's default, and every deployment's without DATABASE_REPLICA_URLS.
    call_command("load_fixtures", verbosity=0)
    assert router.routers == []
    response = editor.post("/api/organizations/", NEW_ORGANIZATION, format="json")
    assert_status(response, 201)
    assert READ_PRIMARY_COOKIE not in response.cookies
    assert_status(Client().get("/readyz"), 200)
    assert Client().get("/readyz").json() == {"status": "ok"}


def test_an_anonymous_visitor_reads_from_the_replica(with_replica):
    with Served() as served:
        assert_status(Client().get("/en/organizations/cango/"), 200)
        assert_status(Client().get("/api/organizations/"), 200)
    assert served.replica.captured_queries
    assert not served.primary.captured_queries


def test_a_write_uses_the_primary_throughout_and_its_writer_reads_the_primary(with_replica, editor):
    with Served() as served:
        response = editor.post("/api/organizations/", NEW_ORGANIZATION, format="json")
    assert_status(response, 201)
    assert not served.replica.captured_queries
    assert response.cookies[READ_PRIMARY_COOKIE]["max-age"] == 15
    assert response.cookies[READ_PRIMARY_COOKIE]["httponly"]

    path = f"/api/organizations/{response.json()['slug']}/"
    with Served() as served:
        assert_status(editor.get(path), 200)
    assert not served.replica.captured_queries
    with Served() as served:
        assert_status(Client().get(path), 200)  # someone else: the replica
    assert served.replica.captured_queries


def test_after_the_bound_the_writer_reads_the_replica_again(with_replica, editor, settings):
    settings.DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS = 1
    assert_status(editor.post("/api/organizations/", NEW_ORGANIZATION, format="json"), 201)
    # The cookie's signature carries its time in whole seconds: past the bound, it is ignored.
    time.sleep(2.1)
    with Served() as served:
        assert_status(editor.get("/api/organizations/"), 200)
    assert served.replica.captured_queries


def test_a_forged_cookie_does_not_send_reads_to_the_primary(with_replica):
    visitor = Client()
    visitor.cookies[READ_PRIMARY_COOKIE] = "1"
    with Served() as served:
        assert_status(visitor.get("/api/organizations/"), 200)
    assert served.replica.captured_queries


def test_an_editor_saving_in_the_admin_reads_the_primary_afterwards(
    with_replica, superuser_client, settings
):
    source = Source.objects.create(slug="to-delete", title="To delete")
    admin = f"/{settings.ADMIN_URL}directory/source/{source.pk}/delete/"
    response = superuser_client.post(admin, {"post": "yes"})
    assert_status(response, 302)
    assert not Source.objects.filter(slug="to-delete").exists()
    assert READ_PRIMARY_COOKIE in response.cookies
    with Served() as served:
        assert_status(superuser_client.get(f"/{settings.ADMIN_URL}directory/source/"), 200)
    assert not served.replica.captured_queries


def test_a_write_refused_before_its_view_does_not_mark_the_visitor(with_replica):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post("/en/organizations/cango/report/", {})
    assert_status(response, 403)
    assert READ_PRIMARY_COOKIE not in response.cookies


def test_reads_in_a_transaction_and_for_update_go_to_the_primary(with_replica):
    token = READS.set(Reads(replica=True))  # as in an anonymous visitor's request
    try:
        assert router.db_for_read(Organization) == "replica_1"
        with transaction.atomic():
            assert router.db_for_read(Organization) == "default"
            assert Organization.objects.select_for_update().filter(slug="cango").db == "default"
        assert Organization.objects.all().db == "replica_1"
    finally:
        READS.reset(token)


def test_outside_a_request_reads_go_to_the_primary(with_replica):
    # Commands, the job worker, migrations, the shell.
    assert router.db_for_read(Organization) == "default"
    assert Organization.objects.all().db == "default"


def test_migrations_run_on_the_primary_only(with_replica):
    assert router.allow_migrate("default", "directory")
    assert not router.allow_migrate("replica_1", "directory")


@pytest.mark.parametrize("state", ["down", "lagging", "not a standby"])
def test_a_replica_down_or_lagging_is_skipped_and_readyz_says_so(with_replica, state):
    with_replica.state, with_replica.lag = state, (12.5 if state == "lagging" else None)
    with Served() as served:
        assert_status(Client().get("/en/organizations/cango/"), 200)
        response = Client().get("/readyz")
    assert not served.replica.captured_queries
    assert_status(response, 200)
    assert response.json() == {
        "status": "ok",
        "replicas": {"replica_1": {"state": state, "lag_seconds": with_replica.lag}},
    }


def test_readyz_reports_a_healthy_replica(with_replica):
    response = Client().get("/readyz")
    assert response.json()["replicas"] == {"replica_1": {"state": "ok", "lag_seconds": 0.0}}


def test_a_replica_is_checked_at_most_every_few_seconds(with_replica, settings):
    settings.DATABASE_REPLICA_CHECK_SECONDS = 60
    for _ in range(5):
        assert_status(Client().get("/api/organizations/"), 200)
    assert with_replica.checks == 1


def test_what_a_replica_built_just_after_a_change_is_not_cached(with_replica, settings):
    """A replica may not have replayed a change yet: a page it built within the bound of the
    change would be cached under the new generation and served as current until the next
    one. It is served, not cached, until the bound has passed."""
    settings.PAGE_CACHE_SECONDS = settings.DATA_CACHE_SECONDS = 60
    page = "/en/organizations/cango/"
    Organization.objects.filter(slug="cango").get().save()  # a change, committed
    visitor = Client()
    with Served() as served:
        first = visitor.get(page)
    assert served.replica.captured_queries, "the page was read from the replica"
    assert_status(first, 200)
    assert "X-Cache" not in first  # served, not stored
    assert "X-Cache" not in visitor.get(page)
    # Once the bound has passed since the change, what the replica builds is cached.
    cache.set(CHANGED_AT_KEY, time.time() - settings.DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS)
    assert visitor.get(page)["X-Cache"] == "miss"
    assert visitor.get(page)["X-Cache"] == "hit"


def test_without_replicas_the_time_of_a_change_is_not_kept(settings):
    call_command("load_fixtures", verbosity=0)
    Organization.objects.filter(slug="cango").get().save()
    assert cache.get(CHANGED_AT_KEY) is None
