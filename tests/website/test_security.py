"""Secure by default: Django's deployment check passes with the production environment,
every answer carries the protective headers and a Content-Security-Policy that the site's
own pages satisfy, and other sites may read the API but not write to it."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import assert_status
from tests.website.test_pages import PAGES

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "false",
    "ALLOWED_HOSTS": "directory.example.org",
    "SECRET_KEY": "k7#Qz!p2Lr9@xT4vW8mN1bC6dF3gH5jS0aE-uY_iO+eR=tZ2wq",
}
OWN_ENVIRONMENT = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "HTTPS",
    "SECURE_SSL_REDIRECT",
    "HSTS_SECONDS",
    "HSTS_INCLUDE_SUBDOMAINS",
    "HSTS_PRELOAD",
    "DATABASE_URL",
    "REDIS_URL",
    "TRUST_X_FORWARDED_PROTO",
}


def manage(*args, **env):
    # Not DJANGO_*: the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which the check refuses.
    clean = {
        key: value
        for key, value in os.environ.items()
        if key not in OWN_ENVIRONMENT and not key.startswith("DJANGO_")
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_check_passes_with_the_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, HTTPS="true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_without_https_the_deployment_check_says_what_is_missing():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode != 0
    for warning in ["security.W004", "security.W008", "security.W012", "security.W016"]:
        assert warning in result.stderr + result.stdout


def test_https_turns_on_redirects_secure_cookies_and_hsts():
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
    )
    result = manage("shell", "-v", "0", "-c", code, **PRODUCTION, HTTPS="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "31536000"]
    result = manage("shell", "-v", "0", "-c", code, **PRODUCTION)
    assert result.stdout.split() == ["False", "False", "False", "0"]


def test_pages_carry_the_protective_headers(client):
    response = client.get("/en/organizations/cango/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = response["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]:
        assert directive in policy
    assert "unsafe" not in policy


def test_cached_answers_carry_the_headers_too(client):
    client.get("/en/organizations/cango/")
    response = client.get("/en/organizations/cango/")
    assert response["X-Cache"] == "hit"
    assert response["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in response["Content-Security-Policy"]


def test_only_the_admin_and_the_browsable_api_allow_inline_style(superuser_client):
    admin = superuser_client.get(reverse("admin:directory_organization_changelist"))
    assert "style-src 'self' 'unsafe-inline'" in admin["Content-Security-Policy"]
    assert "script-src 'self';" in admin["Content-Security-Policy"]
    browsable = Client().get("/api/organizations/", headers={"Accept": "text/html"})
    assert_status(browsable, 200)
    assert "style-src 'self' 'unsafe-inline'" in browsable["Content-Security-Policy"]


# Inline script, inline style and event handler attributes: what the policy would block.
INLINE = [
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>"),
        "inline script",
    ),
    (re.compile(r"<style"), "style element"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: address"),
]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("path", PAGES)
def test_the_sites_pages_need_nothing_the_policy_forbids(client, language, path):
    html = client.get(f"/{language}/{path}").content.decode()
    for pattern, what in INLINE:
        assert not pattern.search(html), f"{what} in /{language}/{path}"


@pytest.mark.parametrize("template", ["404.html", "500.html", "503.html"])
def test_the_error_pages_need_nothing_the_policy_forbids(template):
    html = (ROOT / "templates" / template).read_text()
    for pattern, what in INLINE:
        assert not pattern.search(html), f"{what} in {template}"


def test_the_api_docs_page_loads_its_script_from_a_file(client):
    html = client.get("/api/docs/").content.decode()
    for pattern, what in INLINE:
        assert not pattern.search(html), f"{what} in /api/docs/"
    assert "swagger-ui-bundle.js" in html


def test_other_sites_may_read_the_api(client):
    response = client.get("/api/organizations/", headers={"Origin": "https://elsewhere.example"})
    assert_status(response, 200)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in response


def test_a_cross_site_write_is_refused_at_the_preflight(client):
    response = client.options(
        "/api/organizations/",
        headers={"Origin": "https://elsewhere.example", "Access-Control-Request-Method": "POST"},
    )
    allowed = {
        method.strip() for method in response.get("Access-Control-Allow-Methods", "").split(",")
    }
    assert allowed == {"GET", "HEAD", "OPTIONS"}
    assert "POST" not in allowed


def test_pages_are_not_opened_to_other_sites(client):
    response = client.get("/en/organizations/", headers={"Origin": "https://elsewhere.example"})
    assert "Access-Control-Allow-Origin" not in response
