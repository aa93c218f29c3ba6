"""Malformed requests are clear 4xx answers, never 500s: NUL characters anywhere in the
address, bodies too large or nested too deeply, a deletion asked for as CSV; and health
probes are answered over plain HTTP whatever HTTPS says."""

from types import SimpleNamespace

import pytest
from django.db import OperationalError

from directory.models import Organization
from tests.helpers import assert_status
from website import health

pytestmark = pytest.mark.django_db

NUL_ADDRESSES = [
    "/api/search/?q=%00",
    "/api/organizations/?search=a%00b",
    "/api/organizations/%00/",
    "/api/organizations/?city=%00",
    "/en/search/?q=a%00b",
    "/en/graph/?network=%00",
    "/en/organizations/?network=%00",
    "/en/organizations/?search=+%00+",
]


@pytest.mark.parametrize("address", NUL_ADDRESSES)
def test_a_nul_character_in_the_address_is_a_400(anonymous, address):
    response = anonymous.get(address)
    assert_status(response, 400)
    if address.startswith("/api/"):
        assert "NUL" in response.json()["detail"]
    else:
        assert "Bad request" in response.content.decode()


def test_a_nul_character_in_a_written_reference_is_a_field_error(editor):
    response = editor.post(
        "/api/organizations/",
        {"name_en": "With a NUL city", "kind": "ngo", "city": "bei\u0000jing"},
        format="json",
    )
    assert_status(response, 400)
    assert "city" in response.json()
    assert not Organization.objects.filter(name_en="With a NUL city").exists()


def test_json_nested_too_deeply_is_a_400(editor):
    body = "[" * 100_000 + "]" * 100_000
    response = editor.generic("POST", "/api/organizations/", body, content_type="application/json")
    assert_status(response, 400)
    assert "nested too deeply" in response.json()["detail"]


def test_a_form_body_over_the_limit_is_a_json_413(editor, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    response = editor.generic(
        "POST",
        "/api/organizations/",
        "name_en=" + "x" * 5_000,
        content_type="application/x-www-form-urlencoded",
    )
    assert_status(response, 413)
    assert response["Content-Type"] == "application/json"


def test_a_deletion_asked_for_as_csv_is_a_204(editor):
    organization = Organization.objects.create(name_en="To delete as CSV", kind="ngo")
    response = editor.delete(f"/api/organizations/{organization.slug}/?format=csv")
    assert_status(response, 204)
    assert not Organization.objects.filter(pk=organization.pk).exists()


@pytest.mark.parametrize("probe", ["/healthz", "/readyz"])
def test_health_probes_answer_plain_http_when_the_site_redirects_it(client, settings, probe):
    settings.SECURE_SSL_REDIRECT = True
    assert_status(client.get(probe), 200)
    assert_status(client.get("/en/"), 301)


def postgresql(driver):
    return SimpleNamespace(vendor="postgresql", connection=driver)


USABLE = SimpleNamespace(closed=False, broken=False)


def test_a_query_the_driver_refuses_is_not_reported_as_an_outage(monkeypatch):
    # psycopg refuses a statement of more than 65,535 parameters with an OperationalError,
    # without a SQLSTATE, on a connection that stays usable.
    error = OperationalError("number of parameters must be between 0 and 65535")
    monkeypatch.setattr(
        health, "connection", postgresql(SimpleNamespace(closed=False, broken=False))
    )
    assert not health.is_database_unavailable(error)
    for lost in (
        SimpleNamespace(closed=True, broken=False),
        SimpleNamespace(closed=False, broken=True),
        None,
    ):
        monkeypatch.setattr(health, "connection", postgresql(lost))
        assert health.is_database_unavailable(error)


class DriverError(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def test_the_servers_connection_errors_are_an_outage(monkeypatch):
    monkeypatch.setattr(
        health, "connection", postgresql(SimpleNamespace(closed=False, broken=False))
    )
    for sqlstate, outage in (("08006", True), ("57P01", True), ("53300", True), ("42601", False)):
        error = OperationalError("from the server")
        error.__cause__ = DriverError(sqlstate)
        assert health.is_database_unavailable(error) is outage
