"""Signing in to the admin: repeated failures lock out one username from one address
(django-axes), and the admin lives at ADMIN_URL."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-password"


@pytest.fixture
def dora():
    return User.objects.create_superuser("dora", "dora@example.org", PASSWORD)


def sign_in(client, password, username="dora", address="198.51.100.7"):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail_to_limit(client, **where):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert_status(sign_in(client, "wrong", **where), 200)  # the form, with its error
    assert_status(sign_in(client, "wrong", **where), 429)  # the last failure locks


def test_the_right_password_signs_in(client, dora):
    assert_status(sign_in(client, PASSWORD), 302)
    assert_status(client.get(reverse("admin:index")), 200)


def test_repeated_failures_lock_out_that_username_from_that_address(client, dora):
    fail_to_limit(client)
    response = sign_in(client, PASSWORD)
    assert_status(response, 429)
    assert_status(client.get(reverse("admin:index")), 302)  # still signed out


def test_a_lockout_spares_other_addresses_and_other_usernames(client, dora):
    User.objects.create_superuser("erin", "erin@example.org", PASSWORD)
    fail_to_limit(client)
    assert_status(sign_in(Client(), PASSWORD, address="203.0.113.9"), 302)
    assert_status(sign_in(Client(), PASSWORD, username="erin"), 302)


def test_a_successful_sign_in_resets_the_count(client, dora):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert_status(sign_in(client, PASSWORD), 302)
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert_status(sign_in(client, PASSWORD), 302)


def test_the_test_clients_login_shortcut_still_works(client, dora):
    assert client.login(username="dora", password=PASSWORD)
    assert_status(client.get(reverse("admin:index")), 200)


def run_with(code, **env):
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "ADMIN_URL", "DJANGO_SETTINGS_MODULE"}
    }
    clean.update(
        {
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "example.org",
            "DJANGO_SETTINGS_MODULE": "website.settings",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_the_admin_address_comes_from_admin_url():
    result = run_with(
        "from django.urls import reverse; print(reverse('admin:index'))", ADMIN_URL="/office-7f3a"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/office-7f3a/"


def test_a_custom_admin_address_is_not_published_in_robots_txt():
    code = (
        "from django.test import Client; "
        "print(Client().get('/robots.txt', HTTP_HOST='example.org').content.decode())"
    )
    custom = run_with(code, ADMIN_URL="office-7f3a/")
    assert custom.returncode == 0, custom.stderr
    assert "office-7f3a" not in custom.stdout and "Disallow: /admin/" not in custom.stdout
    assert "Disallow: /admin/" in run_with(code).stdout


@pytest.mark.parametrize("value", ["api/admin", "has space/", "en/", "../etc", "a//b"])
def test_an_admin_url_the_site_cannot_use_stops_with_a_clear_message(value):
    result = run_with("pass", ADMIN_URL=value)
    assert result.returncode != 0
    assert "ADMIN_URL" in result.stderr and "cannot be used" in result.stderr
