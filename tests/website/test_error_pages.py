"""The 404 and 500 pages: in the site's frame (header, navigation, footer) and the request's
language, the 500 without the database, and both under `make run` as visitors see them."""

import os
import re
import shlex
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf.urls.i18n import i18n_patterns
from django.urls import path

from website import urls as site_urls

ROOT = Path(__file__).resolve().parents[2]

# This module is also the URLconf of the 500's tests: the site's, and a page that breaks.


def broken(request):
    raise RuntimeError("a bug")


urlpatterns = [*site_urls.urlpatterns, *i18n_patterns(path("broken/", broken))]
handler404 = site_urls.handler404
handler500 = site_urls.handler500

FRAME = ['class="site-header"', 'class="main-nav"', 'id="site-search-q"', 'class="site-footer"']


def in_the_frame(html):
    return all(part in html for part in FRAME)


@pytest.mark.django_db
def test_a_missing_page_under_en_is_english_in_the_frame(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert in_the_frame(html)
    assert '<html lang="en">' in html
    assert "<h1>Page not found</h1>" in html and "找不到页面" not in html
    assert 'href="/en/"' in html


@pytest.mark.django_db
def test_a_missing_page_under_zh_hans_is_chinese_in_the_frame(client):
    response = client.get("/zh-hans/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert in_the_frame(html)
    assert '<html lang="zh-Hans">' in html
    assert "<h1>找不到页面</h1>" in html and "Page not found" not in html
    assert 'href="/zh-hans/"' in html


@pytest.mark.django_db
def test_a_missing_record_is_the_same_page(client):
    html = client.get("/en/organizations/no-such-organization/").content.decode()
    assert in_the_frame(html) and "<h1>Page not found</h1>" in html


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("language", "heading", "other"),
    [
        ("en", "Something went wrong", "服务器出错了"),
        ("zh-hans", "服务器出错了", "Something went wrong"),
    ],
)
def test_a_broken_page_is_a_500_in_the_frame_and_language_without_the_database(
    client, django_assert_num_queries, language, heading, other
):
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get(f"/{language}/broken/")
    assert response.status_code == 500
    html = response.content.decode()
    assert in_the_frame(html)
    assert f"<h1>{heading}</h1>" in html and other not in html
    # Plain addresses: the static files' manifest may be what broke.
    assert 'href="/static/directory/site.css"' in html


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_run_server_command(port):
    """The command `make run` starts the development server with, as make would run it."""
    plan = subprocess.run(
        ["make", "--dry-run", "run", f"PORT={port}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    line = next(line for line in plan.splitlines() if "runserver" in line)
    # The last command of the line; the worker before it is not needed here.
    return line.split(";")[-1].strip()


def test_make_run_serves_the_sites_own_404_and_its_static_files(tmp_path):
    port = free_port()
    command = make_run_server_command(port)
    assert "LOCAL_SERVER=true" in command
    own = {"DEBUG", "LOCAL_SERVER", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"}
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in own and not key.startswith(("DJANGO_", "MAKE"))
    }
    # A fresh machine: a new SQLite file, no Redis, nothing collected.
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'directory.sqlite3'}",
        CACHE_DIRECTORY=str(tmp_path / "cache"),
        STATIC_ROOT=str(tmp_path / "static"),
    )
    server = subprocess.Popen(
        ["sh", "-c", f"exec env {command} --noreload"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        not_found = wait_for(f"{base}/en/no-such-page/", server)
        assert not_found.status == 404
        html = not_found.read().decode()
        assert in_the_frame(html) and "<h1>Page not found</h1>" in html
        assert "URLconf" not in html  # Django's technical 404 lists the URL patterns
        stylesheet = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
        with urllib.request.urlopen(f"{base}{stylesheet}", timeout=10) as response:
            assert response.status == 200
            assert b".site-header" in response.read()
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for(url, server, seconds=60):
    """The answer to `url` (an HTTPError is an answer) once the server listens."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the server stopped: {server.stderr.read()}")
        try:
            return urllib.request.urlopen(url, timeout=10)
        except urllib.error.HTTPError as error:
            return error
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the server did not answer {shlex.quote(url)} in {seconds} s")
