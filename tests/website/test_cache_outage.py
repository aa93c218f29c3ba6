"""A change the cache could not take (Redis paused or away when the generation should have
moved) is not lost: the process that made it trusts nothing cached until the generation has
moved, and moves it as soon as the cache answers again (website.cache)."""

import time

import pytest
from django.core.cache import caches

from website import cache as data_cache


@pytest.fixture
def counted(settings):
    settings.DATA_CACHE_SECONDS = 60
    computed = []

    def compute():
        computed.append(len(computed) + 1)
        return computed[-1]

    return compute


def wait_until(condition, seconds=3):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def test_a_change_made_while_the_cache_is_away_is_taken_when_it_answers(counted, monkeypatch):
    assert data_cache.cached("answer", counted) == 1
    assert data_cache.cached("answer", counted) == 1  # cached
    # The cache stops answering, for every thread: it takes neither the move nor a new
    # generation (the answers of a cache whose errors are ignored).
    backend = type(caches["default"])
    monkeypatch.setattr(backend, "incr", lambda *args, **kwargs: None)
    monkeypatch.setattr(backend, "add", lambda *args, **kwargs: None)
    monkeypatch.setattr(backend, "get", lambda self, key, default=None, version=None: default)
    data_cache.data_changed()
    assert data_cache.PENDING.is_set()
    # Meanwhile nothing cached is served by this process, old or new.
    assert data_cache.cached("answer", counted) == 2
    assert data_cache.cached("answer", counted) == 3
    # The cache answers again: the move is made by itself, within moments.
    monkeypatch.undo()
    assert wait_until(lambda: not data_cache.PENDING.is_set())
    # The value cached before the change is never served again.
    assert data_cache.cached("answer", counted) == 4
    assert data_cache.cached("answer", counted) == 4


def test_a_change_the_cache_takes_leaves_nothing_pending(counted):
    data_cache.data_changed()
    assert not data_cache.PENDING.is_set()
    assert data_cache.cached("answer", counted) == 1
    assert data_cache.cached("answer", counted) == 1
