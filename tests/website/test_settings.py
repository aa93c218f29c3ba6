"""Settings come from the environment and refuse what cannot be meant."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from website.env import env_bool, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


def load_settings(show="s.DEBUG, s.DATABASES", **env):
    """Import the production settings in a fresh interpreter with exactly this environment
    and print `show`."""
    clean = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DATABASE_URL",
            "DATABASE_REPLICA_URLS",
            "REDIS_URL",
            "DATA_CACHE_SECONDS",
            "PAGE_CACHE_SECONDS",
        }
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import website.settings as s; print({show})"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_production_start_without_secret_key_stops_with_a_clear_message():
    result = load_settings(ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_start_without_allowed_hosts_stops_with_a_clear_message():
    result = load_settings(SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS is not set" in result.stderr


def test_debug_defaults_to_off():
    result = load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False")


def test_development_runs_without_a_secret_key_and_uses_sqlite_under_var():
    result = load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.sqlite3" in result.stdout
    assert str(ROOT / "var" / "directory.sqlite3") in result.stdout


def test_database_url_selects_postgresql():
    result = load_settings(DEBUG="true", DATABASE_URL="postgres://me:pw@db.example:5433/dir")
    assert result.returncode == 0, result.stderr
    assert "django.db.backends.postgresql" in result.stdout
    assert "'PORT': 5433" in result.stdout


def test_postgresql_keeps_repeated_queries_prepared_unless_told_not_to():
    url = "postgres://me:pw@db.example:5433/dir"
    result = load_settings(DEBUG="true", DATABASE_URL=url)
    assert "'server_side_binding': True, 'prepare_threshold': 5" in result.stdout
    result = load_settings(DEBUG="true", DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="0")
    assert result.returncode == 0, result.stderr
    assert "server_side_binding" not in result.stdout
    assert "prepare_threshold" not in result.stdout
    result = load_settings(DEBUG="true", DATABASE_URL=url, DATABASE_PREPARE_THRESHOLD="-1")
    assert result.returncode != 0
    assert "DATABASE_PREPARE_THRESHOLD must be 0 or more, not -1." in result.stderr


def test_replicas_get_the_primarys_options_and_the_router():
    result = load_settings(
        "s.DATABASES['replica_2'], s.DATABASE_REPLICAS, s.DATABASE_ROUTERS",
        DEBUG="true",
        DATABASE_URL="postgres://me:pw@primary.example:5432/dir",
        DATABASE_REPLICA_URLS="postgres://me:pw@one.example/dir, postgres://me:pw@two.example/dir",
    )
    assert result.returncode == 0, result.stderr
    assert "'HOST': 'two.example'" in result.stdout
    for option in ("'connect_timeout': 3", "'keepalives': 1", "'prepare_threshold': 5"):
        assert option in result.stdout
    assert "['replica_1', 'replica_2'] ['website.replicas.ReplicaRouter']" in result.stdout


def test_without_replicas_there_is_no_router():
    result = load_settings("list(s.DATABASES), s.DATABASE_ROUTERS", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default'] []"


def test_replicas_of_sqlite_stop_start_up():
    result = load_settings(DEBUG="true", DATABASE_REPLICA_URLS="postgres://me@one.example/dir")
    assert result.returncode != 0
    assert "DATABASE_REPLICA_URLS names streaming replicas of a PostgreSQL" in result.stderr


def test_reading_the_primary_after_a_write_must_outlast_a_replicas_lag():
    result = load_settings(
        DEBUG="true",
        DATABASE_URL="postgres://me@primary.example/dir",
        DATABASE_REPLICA_URLS="postgres://me@one.example/dir",
        DATABASE_REPLICA_MAX_LAG_SECONDS="10",
        DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS="12",
    )
    assert result.returncode != 0
    assert "DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS (12) must be at least" in result.stderr


def test_a_malformed_database_url_stops_with_a_clear_message():
    result = load_settings(DEBUG="true", DATABASE_URL="nosuchdb://x")
    assert result.returncode != 0
    assert "DATABASE_URL cannot be used" in result.stderr


@pytest.mark.parametrize(
    ("raw", "expected"), [("true", True), ("On", True), ("0", False), ("no", False), ("", True)]
)
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)
    assert env_bool("FLAG", default=True) is expected


def test_env_bool_refuses_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false"):
        env_bool("FLAG", default=False)


@pytest.mark.parametrize(
    "name",
    [
        "DATA_CACHE_SECONDS",
        "PAGE_CACHE_SECONDS",
        "CONN_MAX_AGE",
        "PROXY_COUNT",
    ],
)
def test_a_negative_number_of_seconds_or_proxies_stops_start_up(name):
    result = load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org", **{name: "-1"})
    assert result.returncode != 0
    assert f"{name} must be 0 or more, not -1." in result.stderr


def test_at_least_one_failed_sign_in_locks_out():
    result = load_settings(
        SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org", LOGIN_FAILURE_LIMIT="0"
    )
    assert result.returncode != 0
    assert "LOGIN_FAILURE_LIMIT must be 1 or more, not 0." in result.stderr


def test_env_int_refuses_words(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be a whole number"):
        env_int("COUNT", 1)


def test_env_list_splits_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.org, b.org ,")
    assert env_list("HOSTS", []) == ["a.org", "b.org"]


@pytest.mark.parametrize(
    ("env", "shown"),
    [
        ({}, "0 0"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0"}, "600 600"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0", "DATA_CACHE_SECONDS": "0"}, "0 600"),
        ({"REDIS_URL": "redis://127.0.0.1:6379/0", "PAGE_CACHE_SECONDS": "0"}, "600 0"),
        ({"DATA_CACHE_SECONDS": "60", "PAGE_CACHE_SECONDS": "30"}, "60 30"),
    ],
)
def test_data_and_pages_are_cached_only_in_a_shared_cache_unless_told_otherwise(env, shown):
    result = load_settings(
        "s.DATA_CACHE_SECONDS, s.PAGE_CACHE_SECONDS",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="example.org",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == shown


@pytest.mark.parametrize("former", ["LIST_ROW_CACHE_SECONDS", "SEARCH_CACHE_SECONDS"])
def test_a_retired_cache_setting_stops_start_up_and_names_the_one_to_set(former):
    result = load_settings(SECRET_KEY="x" * 50, ALLOWED_HOSTS="example.org", **{former: "0"})
    assert result.returncode != 0
    assert f"{former} is no longer read: set DATA_CACHE_SECONDS instead." in result.stderr


def test_a_proxy_trusted_for_https_but_not_counted_stops_start_up():
    production = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "example.org"}
    result = load_settings(**production, TRUST_X_FORWARDED_PROTO="true")
    assert result.returncode != 0
    assert "PROXY_COUNT is 0: every client would share the proxy's address" in result.stderr
    counted = load_settings(
        **production, TRUST_X_FORWARDED_PROTO="true", PROXY_COUNT="1", show="s.PROXY_COUNT"
    )
    assert (counted.returncode, counted.stdout.strip()) == (0, "1"), counted.stderr
