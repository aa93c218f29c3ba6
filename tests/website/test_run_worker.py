"""The job worker as the site runs it starts django-tasks-db's worker again after it lost the
database, and stops when told to."""

import pytest
from django.core.management import call_command
from django.db import OperationalError

from website.management.commands import run_worker


def test_the_worker_starts_again_after_losing_the_database(monkeypatch, caplog):
    runs = []

    def db_worker(name, *args, **options):
        assert (name, *args) == ("db_worker", "--no-reload", "--interval", "0.5")
        runs.append(name)
        if len(runs) < 3:
            raise OperationalError("connection failed: Connection refused\nIs the server running")

    monkeypatch.setattr(run_worker, "call_command", db_worker)
    monkeypatch.setattr(run_worker.time, "sleep", lambda seconds: None)
    call_command("run_worker", "--interval", "0.5", "--retry-seconds", "0")
    assert len(runs) == 3  # two losses, then stopped as told
    assert caplog.text.count("lost the database (connection failed: Connection refused)") == 2


def test_other_errors_and_a_stop_are_not_retried(monkeypatch):
    def db_worker(*args, **options):
        raise SystemExit(0)  # what db_worker does on SIGTERM between jobs

    monkeypatch.setattr(run_worker, "call_command", db_worker)
    with pytest.raises(SystemExit):
        call_command("run_worker")
