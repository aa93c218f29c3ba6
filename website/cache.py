"""The data's generation: what every cached answer is stored under.

Invalidation is by generation: one number in the cache names the current state of the
directory's data, and every cached answer is stored under a key that includes it. Any change
to a record of the directory's apps (save, delete, many-to-many change, and the bulk paths of
imports and merges, which call data_changed() themselves) moves the number on, so every
answer cached before the change is never looked up again and expires on its own.
"""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

GENERATION_KEY = "data-generation"
CACHED_APPS = {"directory", "networks", "events"}


# Whether this process has looked up a cached answer since it last moved the generation on
# (see data_changed).
_looked_up_since_bump = True


def current_generation():
    """The generation of the data, starting one if the cache has none (a new or emptied
    cache, or an evicted key). It starts from the clock, so a restarted count never reaches
    a number under which older answers are still stored."""
    global _looked_up_since_bump
    _looked_up_since_bump = True
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_generation():
    global _looked_up_since_bump
    _looked_up_since_bump = False
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: whatever is cached is unreachable already
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def data_changed():
    """Make every cached answer stale. Called for each change of the apps' records.

    Outside a transaction the generation moves on at once. Inside one, other connections
    still read the data as they were, which may be cached: the generation moves on when
    the transaction commits, once however many records it changed (an import changes tens
    of thousands). It also moves on at once if this process looked up an answer since the
    last move, for the reads of this same, uncommitted transaction (the test suite's, which
    never commits); otherwise nothing can be cached under the current generation that this
    transaction would make stale."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        bump_generation()
        return
    if not any(callback is bump_generation for _ids, callback, _robust in connection.run_on_commit):
        transaction.on_commit(bump_generation)
    if _looked_up_since_bump:
        bump_generation()


def record_changed(sender, **kwargs):
    if sender._meta.app_label in CACHED_APPS and not is_history(sender):
        data_changed()


def links_changed(sender, action, model, **kwargs):
    if action.startswith("post_") and (
        sender._meta.app_label in CACHED_APPS or model._meta.app_label in CACHED_APPS
    ):
        data_changed()


def is_history(model):
    """simple-history's historical records change only with the records they copy."""
    from simple_history.models import HistoricalChanges

    return issubclass(model, HistoricalChanges)


def deployed(sender, **kwargs):
    """`migrate` runs at every deployment (make serve): pages cached by the previous version
    of the code or the schema go stale with it."""
    if sender.label == "directory":
        bump_generation()


def connect():
    post_migrate.connect(deployed, dispatch_uid="directory-cache-migrate")
    post_save.connect(record_changed, dispatch_uid="directory-cache-save")
    post_delete.connect(record_changed, dispatch_uid="directory-cache-delete")
    m2m_changed.connect(links_changed, dispatch_uid="directory-cache-links")
