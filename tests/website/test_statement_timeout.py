"""A time limit on each statement of a web request (website.statement_timeout): what the
visitor is told when one is stopped, and which connections are limited. The limit at work
behind gunicorn is tested in tests/website/test_faults.py."""

import psycopg
import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.db.backends.signals import connection_created
from django.test import Client

from tests.website.test_settings import load_settings
from website import statement_timeout

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite has no time limit on a statement; run in CI's PostgreSQL pass",
)


def stopped(*args, **kwargs):
    """Raise what Django raises when PostgreSQL stops a statement at its time limit."""
    try:
        raise psycopg.errors.QueryCanceled("canceling statement due to statement timeout")
    except psycopg.Error as cause:
        raise OperationalError(str(cause)) from cause


@pytest.fixture
def visitor():
    # Like a browser: an error in a view is an answer, not an exception raised in the test.
    return Client(raise_request_exception=False)


def test_a_stopped_statement_is_told_apart_from_an_outage():
    with pytest.raises(OperationalError) as raised:
        stopped()
    assert statement_timeout.is_statement_timeout(raised.value)
    assert not statement_timeout.is_statement_timeout(OperationalError("connection refused"))
    assert not statement_timeout.is_statement_timeout(ValueError("anything else"))


@pytest.mark.django_db
def test_a_page_whose_statement_was_stopped_says_so_in_both_languages(visitor, monkeypatch):
    monkeypatch.setattr("website.search_answers.first_matches", stopped)
    response = visitor.get("/en/search/?q=fund")
    assert response.status_code == 503
    text = response.content.decode()
    assert "请求用时过长" in text and "This request took too long" in text
    assert "cannot reach its database" not in text
    assert "Retry-After" not in response  # asking again soon will not help


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "This request took the database too long and was stopped"),
        ("zh-hans", "数据库处理这个请求用时过长"),
    ],
)
def test_the_api_says_so_in_json(visitor, monkeypatch, language, detail):
    monkeypatch.setattr("website.search_answers.first_matches", stopped)
    response = visitor.get("/api/search/?q=fund", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 503
    assert response.json()["detail"].startswith(detail)


def shown_limit(database):
    with database.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


@on_postgresql
@pytest.mark.django_db
def test_a_limited_connection_stops_a_long_statement(settings):
    settings.WEB_STATEMENT_TIMEOUT_MS = 100
    statement_timeout.limit_statements(sender=None, connection=connection)
    with pytest.raises(OperationalError) as raised, connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    assert statement_timeout.is_statement_timeout(raised.value)


@on_postgresql
@pytest.mark.django_db
def test_only_the_web_servers_connections_are_limited(settings):
    settings.WEB_STATEMENT_TIMEOUT_MS = 1234
    # This process is not the web server (website/wsgi.py turns the limit on), as
    # migrations, imports and other commands are not.
    assert shown_limit(connection) == "0"
    statement_timeout.limit_web_statements()
    try:
        fresh = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            assert shown_limit(fresh) == "1234ms"
        finally:
            fresh.close()
        settings.WEB_STATEMENT_TIMEOUT_MS = 0
        unlimited = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            assert shown_limit(unlimited) == "0"
        finally:
            unlimited.close()
    finally:
        connection_created.disconnect(dispatch_uid=statement_timeout.__name__)


def test_the_limit_is_ten_seconds_on_postgresql_none_on_sqlite_and_never_negative():
    show = "s.WEB_STATEMENT_TIMEOUT_MS"
    url = "postgres://me:pw@db.example:5433/dir"
    assert load_settings(show, DEBUG="true", DATABASE_URL=url).stdout.strip() == "10000"
    assert (
        load_settings(
            show, DEBUG="true", DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT_MS="0"
        ).stdout.strip()
        == "0"
    )
    assert load_settings(show, DEBUG="true").stdout.strip() == "0"
    result = load_settings(show, DEBUG="true", DATABASE_URL=url, DATABASE_STATEMENT_TIMEOUT_MS="-5")
    assert result.returncode != 0
    assert "DATABASE_STATEMENT_TIMEOUT_MS must be 0 (no limit) or more, not -5." in (result.stderr)
