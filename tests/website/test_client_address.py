"""The client's address behind proxies (website.client_address), as failed sign-ins and the
anonymous API rate take it: what a client writes into X-Forwarded-For is never its address."""

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from tests.helpers import assert_status
from website.client_address import client_address

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the proxy in front of the site, as the site sees the connection
PASSWORD = "a-long-password"


def address(forwarded=None, remote=PROXY):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


def test_without_proxies_the_connection_is_the_client(settings):
    settings.PROXY_COUNT = 0
    assert address() == PROXY
    assert address("198.51.100.7") == PROXY


def test_a_forwarded_request_from_a_private_address_without_proxies_is_said_once(
    settings, caplog, monkeypatch
):
    from website import client_address as module

    monkeypatch.setattr(module, "HINTED", False)
    settings.PROXY_COUNT = 0
    address("198.51.100.7", remote="93.184.216.34")  # a public client's own header: nothing said
    assert "PROXY_COUNT is 0" not in caplog.text
    address("198.51.100.7")
    address("198.51.100.8")
    assert caplog.text.count("carries X-Forwarded-For but PROXY_COUNT is 0") == 1


def test_behind_proxies_the_outermost_proxys_entry_is_the_client(settings):
    settings.PROXY_COUNT = 1
    assert address("198.51.100.7") == "198.51.100.7"
    # What the client wrote itself comes first, and is not read.
    assert address("203.0.113.1, 198.51.100.7") == "198.51.100.7"
    assert address("whatever, , 198.51.100.7 ") == "198.51.100.7"
    settings.PROXY_COUNT = 2
    assert address("203.0.113.1, 198.51.100.7, 10.0.0.1") == "198.51.100.7"


def test_a_request_around_the_proxies_is_its_connections(settings, caplog):
    settings.PROXY_COUNT = 2
    assert address("198.51.100.7", remote="192.0.2.50") == "192.0.2.50"
    assert address(remote="192.0.2.50") == "192.0.2.50"
    assert "fewer proxies than PROXY_COUNT=2" in caplog.text


def sign_in(client, username, password, forwarded):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


def test_behind_a_proxy_one_client_cannot_lock_out_another(settings):
    settings.PROXY_COUNT = 1
    User.objects.create_superuser("root", "root@example.org", PASSWORD)
    attacker = Client()
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(attacker, "root", "wrong", f"203.0.113.{attempt}, 198.51.100.66")
    # Locked out, however it rewrites the header: the same client, the same address.
    assert_status(sign_in(attacker, "root", PASSWORD, "192.0.2.1, 198.51.100.66"), 429)
    assert_status(sign_in(attacker, "root", PASSWORD, "198.51.100.99, 198.51.100.66"), 429)
    # The administrator, through the same proxy from elsewhere, is not.
    assert_status(sign_in(Client(), "root", PASSWORD, "198.51.100.7"), 302)


def test_forged_headers_do_not_lift_the_anonymous_rate(anonymous, settings):
    settings.PROXY_COUNT = 1
    settings.API_ANONYMOUS_RATE = "3/minute"
    cache.clear()
    statuses = [
        anonymous.get(
            "/api/networks/",
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"203.0.113.{n}, 198.51.100.66",
        ).status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    # Another client behind the same proxy has its own count.
    other = anonymous.get("/api/networks/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert_status(other, 200)
    cache.clear()
