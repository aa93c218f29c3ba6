"""What a backup holds: every model of the directory's three apps except their history and
the tables' row counts, which the database keeps itself (directory.models.counts)."""

import gzip

from django.apps import apps
from django.contrib.auth import get_user_model
from simple_history.models import HistoricalChanges

from directory.models import TableRows

APPS = ["directory", "networks", "events"]


class BackupError(Exception):
    """A backup that cannot be written or read, with the reason in words."""


def backup_models():
    """In the apps' order, which puts what records refer to first (for a reader; restoring
    does not depend on it)."""
    return [
        model
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if not is_history(model) and model is not TableRows
    ]


def history_models():
    return [
        model
        for app in APPS
        for model in apps.get_app_config(app).get_models()
        if is_history(model)
    ]


def is_history(model) -> bool:
    return issubclass(model, HistoricalChanges)


def editor_fields(model):
    """Foreign keys to accounts, written by username."""
    return [
        field
        for field in model._meta.concrete_fields
        if field.is_relation and field.related_model is get_user_model()
    ]


def open_text(path, mode):
    """A file of the backup, compressed with gzip when its name ends in .gz."""
    if str(path).endswith(".gz"):
        return gzip.open(path, mode + "t", encoding="utf-8", compresslevel=6)
    return open(path, mode, encoding="utf-8")
