"""Assertions that explain themselves when they fail, and the shared data tests read."""

from pathlib import Path

import pytest

# ../shared beside the checkout: the source articles, the ECOSOC files, the Popolo schemas.
SHARED = Path(__file__).resolve().parents[2] / "shared"


def shared_path(*parts):
    """A file or folder of ../shared; the test is skipped, saying what it needs, in a
    checkout that has no ../shared beside it."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path}, which is not beside this checkout")
    return path


def assert_status(response, expected):
    """Like assert response.status_code == expected, but shows what the page said."""
    if response.status_code == expected:
        return
    detail = ""
    context = getattr(response, "context", None)
    if context and "adminform" in context:
        detail = f"form errors: {context['adminform'].form.errors.as_data()}"
        for formset in context.get("inline_admin_formsets", []):
            errors = formset.formset.errors, formset.formset.non_form_errors()
            detail += f"\ninline errors: {errors}"
    else:
        detail = response.content.decode(errors="replace")[:2000]
    raise AssertionError(f"expected status {expected}, got {response.status_code}\n{detail}")


def cut_off_the_database(monkeypatch):
    """From now on every query fails as it does when the database server is gone: the
    driver's connection error (SQLSTATE class 08), which Django turns into its
    OperationalError."""
    import psycopg
    from django.db import OperationalError
    from django.db.backends.utils import CursorWrapper

    def refuse(*args, **kwargs):
        message = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        raise OperationalError(message) from psycopg.errors.ConnectionFailure(message)

    monkeypatch.setattr(CursorWrapper, "execute", refuse)
    monkeypatch.setattr(CursorWrapper, "executemany", refuse)


def run_jobs() -> int:
    """Run the queued background jobs with the site's worker (`manage.py db_worker`), in this
    process, until none is left; how many ran. For tests that commit (transaction=True)."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    queued = DBTaskResult.objects.ready().count()
    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval", "0")
    return queued - DBTaskResult.objects.ready().count()
