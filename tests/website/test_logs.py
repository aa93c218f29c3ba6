"""One JSON line per request and per error, with nothing secret in it."""

import json
import logging
import sys

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import cut_off_the_database
from website.logs import JsonFormatter

pytestmark = pytest.mark.django_db


def lines(caplog, logger):
    return [
        json.loads(JsonFormatter().format(record))
        for record in caplog.records
        if record.name == logger
    ]


def test_a_record_is_one_line_of_json_with_its_extras():
    record = logging.makeLogRecord(
        {
            "name": "directory.request",
            "levelname": "INFO",
            "msg": "GET %s",
            "args": ("/en/",),
            "status": 200,
            "duration_ms": 1.5,
        }
    )
    text = JsonFormatter().format(record)
    assert "\n" not in text
    entry = json.loads(text)
    assert entry["message"] == "GET /en/" and entry["level"] == "info"
    assert entry["status"] == 200 and entry["duration_ms"] == 1.5
    assert entry["time"].endswith("+00:00")


def test_an_error_keeps_its_traceback_inside_the_line():
    try:
        raise ValueError("bad value\non two lines")
    except ValueError:
        record = logging.makeLogRecord(
            {"name": "x", "levelname": "ERROR", "msg": "failed", "exc_info": sys.exc_info()}
        )
    text = JsonFormatter().format(record)
    assert "\n" not in text
    entry = json.loads(text)
    assert entry["error"] == "ValueError: bad value\non two lines"
    assert "Traceback" in entry["traceback"]


def test_each_request_is_logged_with_method_path_status_and_duration(client, caplog):
    caplog.set_level(logging.INFO, logger="directory.request")
    client.get("/en/organizations/?search=secret-looking-query")
    [entry] = lines(caplog, "directory.request")
    assert entry["method"] == "GET" and entry["path"] == "/en/organizations/"
    assert entry["status"] == 200 and entry["duration_ms"] > 0
    assert entry["user_id"] is None
    assert "secret-looking-query" not in json.dumps(entry)


def test_the_signed_in_user_is_logged_by_id_for_sessions_and_tokens(
    superuser_client, superuser, editor, editor_user, caplog
):
    caplog.set_level(logging.INFO, logger="directory.request")
    superuser_client.get(reverse("admin:index"))
    superuser_client.get("/en/organizations/")  # a page that does not ask who is signed in
    editor.get("/api/organizations/cango/")
    entries = lines(caplog, "directory.request")
    assert [entry["user_id"] for entry in entries] == [superuser.pk, superuser.pk, editor_user.pk]
    token = editor_user.auth_token.key
    assert token not in caplog.text


def test_a_failed_sign_in_logs_no_password(client, caplog):
    caplog.set_level(logging.INFO)
    client.post(reverse("admin:login"), {"username": "bob", "password": "hunter2-secret"})
    assert "hunter2-secret" not in caplog.text


def test_an_error_is_one_more_line_naming_it(monkeypatch, caplog):
    cut_off_the_database(monkeypatch)
    caplog.set_level(logging.INFO)
    Client(raise_request_exception=False).get("/en/organizations/cango/")
    [request] = lines(caplog, "directory.request")
    [error] = lines(caplog, "django.request")
    assert request["status"] == 503
    assert error["level"] == "error" and error["path"] == "/en/organizations/cango/"
    assert error["error"].startswith("OperationalError: connection to server at")


def test_client_errors_are_not_logged_twice(client, caplog):
    caplog.set_level(logging.INFO)
    client.get("/en/organizations/no-such-organization/")
    assert [entry["status"] for entry in lines(caplog, "directory.request")] == [404]
    assert lines(caplog, "django.request") == []
