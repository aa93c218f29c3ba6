"""The cache: values derived from the directory's data, stored in Django's cache until the
data change.

Invalidation is by generation: one number in the cache names the current state of the
directory's data, and every cached value is stored under it, as the cache's version (the
way djangoproject.com's dashboard/utils.py does it). Any change to a record of the
directory's apps (save, delete, many-to-many change, and the bulk paths of imports and
merges, which call data_changed() themselves) moves the number on, so every value cached
before the change is never looked up again and expires on its own.

What is cached (pages, fragments of pages, list counts, API rows, search answers) is a call
site of cached() or cached_many(), under a key from cache_key(). Data-derived values live
DATA_CACHE_SECONDS, pages PAGE_CACHE_SECONDS; 0 turns caching off, as it is without a cache
that every worker shares (Redis).
"""

import hashlib
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save

from website.replicas import read_a_replica

GENERATION_KEY = "data-generation"
# When the data last changed (time.time()), kept beside the generation while replicas serve
# reads: a value a replica computed soon after a change may predate it (may_store()).
CHANGED_AT_KEY = "data-changed-at"
CACHED_APPS = {"directory", "networks", "events"}
# How often a move of the generation that the cache did not take is tried again.
RETRY_SECONDS = 0.5


def cache_key(kind, *parts):
    """The key of a `kind` of cached value ("page", "fragment", ...) for `parts`: what the
    value depends on besides the data, each of which its repr() spells out (strings,
    numbers, tuples and lists of them). The parts are hashed, so that a long address still
    makes a short key; the kind stays readable, so that one kind's keys can be found."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"{kind}:{digest}"


def cached(key, compute, seconds=None):
    """compute()'s value, cached under `key` and the data's generation for `seconds`
    (DATA_CACHE_SECONDS unless given; 0 computes it every time). None, which the cache
    answers for a key that holds nothing, is never cached: compute() returns it for what is
    not to be cached."""
    seconds = settings.DATA_CACHE_SECONDS if seconds is None else seconds
    if not seconds:
        return compute()
    # The generation is read before computing: a value computed across a change is then
    # cached under the generation before it, where no one looks.
    generation = current_generation()
    # A cache that does not answer (Redis down) has no generation; a value stored under
    # none, in Django's default version, would outlive every change.
    if generation is None:
        return compute()
    value = cache.get(key, version=generation)
    if value is None:
        value = compute()
        if value is not None and may_store():
            cache.set(key, value, seconds, version=generation)
    return value


def cached_many(keys, compute_missing, seconds=None):
    """{key: value} for `keys`: those cached under the data's generation, read in one round
    trip, and the others from compute_missing(the missing keys, in the order of `keys`),
    which answers {key: value} and is cached the same way (DATA_CACHE_SECONDS unless
    `seconds` is given; 0 computes every key every time). A key that compute_missing leaves
    out is neither cached nor answered: a record deleted meanwhile, a value not worth
    caching."""
    seconds = settings.DATA_CACHE_SECONDS if seconds is None else seconds
    keys = list(keys)
    if not seconds:
        return compute_missing(keys)
    # Read before computing, as in cached().
    generation = current_generation()
    if generation is None:
        return compute_missing(keys)
    found = cache.get_many(keys, version=generation)
    missing = [key for key in keys if key not in found]
    if missing:
        computed = compute_missing(missing)
        if computed and may_store():
            cache.set_many(computed, seconds, version=generation)
        found.update(computed)
    return found


def may_store(from_replica=None):
    """Whether what this request computed may be cached under the current generation: not if
    it read from a replica (`from_replica`, by default as the request's reads say so far)
    within DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS of the last change (the time a writer
    is sent to the primary), since the replica may not have replayed that change yet, and
    what it built would be served as current until the next change. Without replicas,
    always (and no lookup is made)."""
    if not (read_a_replica() if from_replica is None else from_replica):
        return True
    changed_at = cache.get(CHANGED_AT_KEY)
    bound = settings.DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS
    return changed_at is None or time.time() - changed_at >= bound


# Whether this process has looked up a cached value since it last moved the generation on
# (see data_changed).
_looked_up_since_bump = True


def current_generation():
    """The generation of the data, starting one if the cache has none (a new or emptied
    cache, or an evicted key). It starts from the clock, so a restarted count never reaches
    a number under which older values are still stored. None if the cache does not answer
    (Redis down, its errors ignored), or has not yet taken a change this process made."""
    global _looked_up_since_bump
    _looked_up_since_bump = True
    if PENDING.is_set():
        return None  # a change the cache has not taken yet: nothing cached is trusted
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_generation():
    global _looked_up_since_bump
    _looked_up_since_bump = False
    if not generation_moved():
        retry_until_moved()


def generation_moved():
    """Move the generation on; whether the cache took it (not if Redis is down or paused,
    its errors ignored)."""
    try:
        moved = cache.incr(GENERATION_KEY) is not None
    except ValueError:  # no generation yet: whatever is cached is unreachable already
        moved = cache.add(GENERATION_KEY, time.time_ns(), timeout=None) is not None
    if moved and settings.DATABASE_REPLICAS:
        cache.set(CHANGED_AT_KEY, time.time(), timeout=None)
    return moved


# Set while this process has made a change that the cache has not taken: until the
# generation moves, this process trusts nothing cached (current_generation() answers None),
# and a thread tries again every RETRY_SECONDS, so that once Redis answers the change is
# seen by every process within moments rather than when the values expire.
PENDING = threading.Event()
PENDING_LOCK = threading.Lock()


def retry_until_moved():
    with PENDING_LOCK:
        if PENDING.is_set():
            return
        PENDING.set()
    threading.Thread(
        target=move_when_the_cache_answers, name="cache-generation", daemon=True
    ).start()


def move_when_the_cache_answers():
    while not generation_moved():
        time.sleep(RETRY_SECONDS)
    PENDING.clear()


def data_changed():
    """Make every cached value stale. Called for each change of the apps' records.

    Outside a transaction the generation moves on at once. Inside one, other connections
    still read the data as they were, which may be cached: the generation moves on when
    the transaction commits, once however many records it changed (an import changes tens
    of thousands). It also moves on at once if this process looked up a value since the
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
    # A model that no page shows (readers' error reports) says so with
    # changes_cached_data = False: its rows are written by anyone, and must not empty the
    # cache.
    if (
        sender._meta.app_label in CACHED_APPS
        and not is_history(sender)
        and getattr(sender, "changes_cached_data", True)
    ):
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
