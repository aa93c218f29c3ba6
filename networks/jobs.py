"""The ECOSOC import's background jobs: its preview and its application.

A request only records the job (the run's status and a row in the database's job queue, in one
transaction) and answers at once; the job worker (`manage.py run_worker`) runs it, however many
rows it has and whether or not the editor waits. The run's page follows it: its progress (rows
done of rows to do) is kept in the cache, because the import writes in one transaction whose
rows no other connection sees until it commits.
"""

import logging
import time

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import task

from networks.ecosoc.importer import import_decisions
from networks.ecosoc.reading import read_decisions
from networks.models import ImportRun

logger = logging.getLogger(__name__)

# How often a running job tells the run's page how far it is.
PROGRESS_SECONDS = 0.5
# Long enough for any import; the key is deleted when the job ends.
PROGRESS_TIMEOUT = 24 * 60 * 60


def progress_key(run_id) -> str:
    return f"import-run:{run_id}:progress"


def read_progress(run) -> dict | None:
    """{"done", "total", "file"} of the run's job while it runs, else None."""
    return cache.get(progress_key(run.pk))


class Progress:
    """Wraps each file's rows as the importer goes through them, and reports the count done."""

    def __init__(self, run, files):
        self.key = progress_key(run.pk)
        self.total = sum(len(file.rows) for file in files)
        self.done = 0
        self.reported_at = 0.0

    def __call__(self, rows, desc):
        for row in rows:
            yield row
            self.done += 1
            if time.monotonic() - self.reported_at >= PROGRESS_SECONDS:
                self.report(desc)
        self.report(desc)

    def report(self, file_name):
        self.reported_at = time.monotonic()
        cache.set(
            self.key,
            {"done": self.done, "total": self.total, "file": file_name},
            PROGRESS_TIMEOUT,
        )


def stored_files(run):
    return [
        read_decisions(file.name, bytes(file.content), file.kind or None)
        for file in run.files.all()
    ]


def start_preview(run) -> None:
    """Queue the run's preview (call in the transaction that stores its files)."""
    run.status, run.error = ImportRun.Status.CHECKING, ""
    run.job_id = preview_import.enqueue(run.pk).id
    run.save(update_fields=["status", "error", "job_id"])


def start_import(run_id, user) -> ImportRun:
    """Queue the run's import if it is previewed and not yet queued; the run as it now is.
    Confirming twice queues one import."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run_id)
        if run.status == ImportRun.Status.PREVIEWED:
            run.status, run.error = ImportRun.Status.APPLYING, ""
            run.job_id = apply_import.enqueue(run.pk, user.pk if user else None).id
            run.save(update_fields=["status", "error", "job_id"])
    return run


@task()
def preview_import(run_id: int) -> None:
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    if run.status == ImportRun.Status.CHECKING:
        run_import(run, user=run.created_by, dry_run=True)


@task()
def apply_import(run_id: int, user_id: int | None) -> None:
    run = ImportRun.objects.get(pk=run_id)
    if run.status == ImportRun.Status.APPLYING:
        user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
        run_import(run, user=user, dry_run=False)


def run_import(run, *, user, dry_run):
    """Preview or apply the run's files and record the outcome on the run. Whatever fails,
    the import's transaction is rolled back and the run says why; a preview that failed
    cannot be applied, an import that failed may be confirmed again."""
    after_failure = ImportRun.Status.FAILED if dry_run else ImportRun.Status.PREVIEWED
    try:
        files = stored_files(run)
        reports = import_decisions(
            files, user=user, run=run, dry_run=dry_run, progress=Progress(run, files)
        )
    except DatabaseError as error:
        run.status, run.error = after_failure, str(error)
    except Exception:
        logger.exception("import run %s failed", run.pk)
        run.status = after_failure
        # Kept untranslated; the run's page shows it in the editor's language.
        run.error = gettext_noop("The import stopped on an error of the site, logged for its team.")
        raise
    else:
        run.report = {"files": [report.as_dict() for report in reports]}
        run.error = ""
        if dry_run:
            run.status = ImportRun.Status.PREVIEWED
        else:
            run.status, run.applied_at = ImportRun.Status.APPLIED, timezone.now()
    finally:
        run.save(update_fields=["status", "error", "report", "applied_at"])
        cache.delete(progress_key(run.pk))
