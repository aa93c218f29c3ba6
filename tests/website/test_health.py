"""Health probes, and what visitors get while the database cannot be reached: a 503 that
says so, in both languages or in JSON, never a traceback. (tests/website/test_faults.py cuts a real
PostgreSQL away from a real gunicorn.)"""

import pytest
from django.db.backends.utils import CursorWrapper
from django.test import Client

from tests.helpers import assert_status, cut_off_the_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    cut_off_the_database(monkeypatch)


@pytest.fixture
def visitor():
    # Like a browser: an error in a view is an answer, not an exception raised in the test.
    return Client(raise_request_exception=False)


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert_status(response, 200)
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_checks_the_database_and_the_cache(client):
    response = client.get("/readyz")
    assert_status(response, 200)
    assert response.json() == {"status": "ok"}


def test_healthz_stays_ok_while_the_database_is_down(visitor, database_down):
    assert_status(visitor.get("/healthz"), 200)


def test_readyz_is_503_with_the_reason_while_the_database_is_down(visitor, database_down):
    response = visitor.get("/readyz")
    assert_status(response, 503)
    assert response.json() == {
        "status": "unavailable",
        "problems": {"database": "unreachable (OperationalError)"},
    }
    # The driver's message names hosts and ports; it is logged, not published.
    assert "5432" not in response.text
    assert response["Retry-After"]


@pytest.mark.parametrize(
    "path",
    [
        "/en/",
        "/zh-hans/organizations/",
        "/en/organizations/cango/",
        "/en/graph/",
        "/en/search/?q=cango",
    ],
)
def test_pages_say_in_both_languages_that_the_database_is_away(visitor, database_down, path):
    response = visitor.get(path)
    assert_status(response, 503)
    assert response["Content-Type"].startswith("text/html")
    assert "暂时无法访问" in response.text and "Temporarily unavailable" in response.text
    assert "Traceback" not in response.text and "OperationalError" not in response.text
    assert response["Retry-After"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/organizations/",
        "/api/organizations/cango/",
        "/api/search/?q=cango",
        "/api/popolo.json",
    ],
)
def test_the_api_answers_503_in_json_while_the_database_is_away(visitor, database_down, path):
    response = visitor.get(path)
    assert_status(response, 503)
    assert response.json() == {
        "detail": "The database cannot be reached just now; try again in a few minutes."
    }


def test_the_api_503_follows_the_language_asked_for(visitor, database_down):
    response = visitor.get("/api/organizations/", headers={"Accept-Language": "zh-hans"})
    assert_status(response, 503)
    assert "数据库" in response.json()["detail"]


def test_other_errors_stay_500s_with_the_sites_page(visitor, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(CursorWrapper, "execute", broken)
    response = visitor.get("/en/organizations/cango/")
    assert_status(response, 500)
    # In the page's language; the database that would not answer is not asked again.
    assert "Something went wrong" in response.text and 'class="site-header"' in response.text
