"""The production start: `make serve` refuses to start without what it needs, and
gunicorn.conf.py takes its numbers from the environment. (tests/website/test_faults.py runs it.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NEEDED = {
    "DATABASE_URL": "postgres://example/db",
    "REDIS_URL": "redis://127.0.0.1:1/5",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "example.org",
}
OWN = {
    *NEEDED,
    "DEBUG",
    "LOCAL_SERVER",
    "PORT",
    "HOST",
    "WEB_CONCURRENCY",
    "GUNICORN_THREADS",
    "GUNICORN_TIMEOUT",
    "GUNICORN_MAX_REQUESTS",
    "MAKEFLAGS",
    "MAKELEVEL",
}


def environment(**env):
    clean = {key: value for key, value in os.environ.items() if key not in OWN}
    clean.update(env)
    return clean


def make_serve(**env):
    # Each case stops at the environment check, before anything is installed or started.
    return subprocess.run(
        ["make", "serve"],
        cwd=ROOT,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_serve_names_every_missing_variable():
    result = make_serve(SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert (
        "make serve needs these environment variables: DATABASE_URL REDIS_URL ALLOWED_HOSTS"
    ) in result.stderr


def test_make_serve_refuses_debug():
    result = make_serve(**NEEDED, DEBUG="true")
    assert result.returncode != 0
    assert "make serve runs in production: unset DEBUG" in result.stderr


def test_make_serve_refuses_the_local_server():
    result = make_serve(**NEEDED, LOCAL_SERVER="true")
    assert result.returncode != 0
    assert "make serve runs in production: unset LOCAL_SERVER" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"), [("WEB_CONCURRENCY", "lots"), ("GUNICORN_THREADS", "0"), ("PORT", "80a")]
)
def test_make_serve_refuses_a_number_that_is_not_one(name, value):
    result = make_serve(**NEEDED, **{name: value})
    assert result.returncode != 0
    assert f"{name} must be a whole number above 0, not '{value}'." in result.stderr


def gunicorn_settings(**env):
    code = (
        "import runpy; c = runpy.run_path('gunicorn.conf.py'); "
        "print(c['bind'], c['workers'], c['threads'], c['timeout'], c['max_requests'], "
        "c['max_requests_jitter'], c['accesslog'], "
        "c['logconfig_dict']['formatters']['json']['()'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_gunicorn_takes_its_numbers_from_the_environment():
    result = gunicorn_settings(
        HOST="0.0.0.0",
        PORT="8080",
        WEB_CONCURRENCY="3",
        GUNICORN_THREADS="8",
        GUNICORN_TIMEOUT="90",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "0.0.0.0:8080",
        "3",
        "8",
        "90",
        "1000",
        "100",
        "None",
        "website.logs.JsonFormatter",
    ]


def test_gunicorn_defaults_follow_the_machine():
    result = gunicorn_settings()
    assert result.returncode == 0, result.stderr
    bind, workers, threads = result.stdout.split()[:3]
    assert bind == "127.0.0.1:8000"
    assert int(workers) == os.cpu_count() * 2 + 1
    assert threads == "4"


def test_gunicorn_refuses_a_bad_number_with_a_message():
    result = gunicorn_settings(GUNICORN_THREADS="many")
    assert result.returncode != 0
    assert "GUNICORN_THREADS must be a whole number, not 'many'." in result.stderr
    result = gunicorn_settings(WEB_CONCURRENCY="0")
    assert result.returncode != 0
    assert "WEB_CONCURRENCY must be 1 or more, not 0." in result.stderr


def test_env_example_lists_every_variable_the_settings_read():
    import re

    read = set()
    for source in ["website/settings.py", "gunicorn.conf.py"]:
        text = (ROOT / source).read_text()
        read |= set(
            re.findall(r"""(?:env_(?:str|bool|int|list)|os\.environ\.get)\(["']([A-Z_]+)""", text)
        )
    listed = set(re.findall(r"^#? ?([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert {"SECRET_KEY", "PORT", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"} <= read
    assert read - listed == set()


def packages_a_web_worker_loads(package, **env):
    """The modules of `package` a process has imported once it has loaded the site (every
    URL, view and admin) as the web server does."""
    script = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        "import website.wsgi; "
        f"print(sorted(name for name in sys.modules if name.split('.')[0] == {package!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment(
            **{
                **env,
                "DATABASE_URL": "sqlite:///unused.sqlite3",
                "DJANGO_SETTINGS_MODULE": "website.settings",
            }
        ),
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_web_worker_without_redis_does_not_load_the_redis_client():
    """Its memory is kept for what it uses: without REDIS_URL the cache is the process's own,
    and the redis package (some megabytes) is not imported."""
    without_redis = {key: value for key, value in NEEDED.items() if key != "REDIS_URL"}
    assert packages_a_web_worker_loads("redis", **without_redis) == "[]"


def test_a_web_worker_does_not_load_the_pinyin_dictionaries():
    """pypinyin's dictionaries take some 55 MB of a worker's memory; only saving a record
    needs them, so a worker that has loaded the site has not imported them."""
    assert packages_a_web_worker_loads("pypinyin", **NEEDED) == "[]"


def test_a_web_worker_leaves_what_it_loaded_out_of_full_garbage_collections():
    """What start-up makes lives as long as the worker: frozen, a full collection does not
    walk it (which made about one list page in a hundred wait 70-90 ms). Start-up loads
    every view, which the first request would load anyway."""
    script = (
        "import gc, sys, website.wsgi; "
        "print(gc.get_freeze_count(), len(gc.get_objects()), "
        "'directory.admin' in sys.modules, 'events.views' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment(
            **{
                **NEEDED,
                "DATABASE_URL": "sqlite:///unused.sqlite3",
                "DJANGO_SETTINGS_MODULE": "website.settings",
            }
        ),
    )
    assert result.returncode == 0, result.stderr
    frozen, tracked, admin, views = result.stdout.split()
    assert int(frozen) > 10 * int(tracked)
    assert (admin, views) == ("True", "True")


def test_the_former_wsgi_address_serves_the_same_application():
    """Deployments and tools outside the repository start directory.wsgi."""
    script = (
        "import directory.wsgi, website.wsgi; "
        "print(directory.wsgi.application is website.wsgi.application)"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=environment(**{**NEEDED, "DATABASE_URL": "sqlite:///unused.sqlite3"}),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"
