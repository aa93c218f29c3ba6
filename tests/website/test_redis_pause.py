"""A Redis that does not answer is left alone for a few seconds (website.redis_cache):
the first call waits out its timeout, the calls after it fail at once, and after the pause
Redis is asked again."""

import socket
import threading
import time

import pytest
import redis
from django.core.cache import cache
from django.test import override_settings

from tests.helpers import assert_status
from website import redis_cache

pytestmark = pytest.mark.django_db

TIMEOUT = redis_cache.SOCKET_TIMEOUT


@pytest.fixture
def silent_redis():
    """The address of a server that accepts connections and never answers, as a Redis cut
    off by the network or stuck does."""
    listener = socket.create_server(("127.0.0.1", 0))
    held = []

    def hold():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=hold, daemon=True).start()
    address = listener.getsockname()
    yield f"redis://{address[0]}:{address[1]}/0"
    listener.close()
    for connection in held:
        connection.close()


def timed(call):
    started = time.monotonic()
    try:
        call()
    except redis.RedisError as error:
        return time.monotonic() - started, error
    return time.monotonic() - started, None


def client(url):
    pool = redis.ConnectionPool.from_url(
        url,
        connection_class=redis_cache.connection_class(url),
        socket_connect_timeout=TIMEOUT,
        socket_timeout=TIMEOUT,
    )
    return redis.Redis(connection_pool=pool)


def test_after_a_call_without_answer_redis_is_not_asked_until_the_pause_ends(
    silent_redis, monkeypatch
):
    monkeypatch.setattr(redis_cache, "PAUSE_SECONDS", 1.0)
    silent = client(silent_redis)
    seconds, error = timed(lambda: silent.get("key"))
    assert seconds >= TIMEOUT and isinstance(error, redis.TimeoutError | redis.ConnectionError)
    seconds, error = timed(lambda: silent.get("key"))
    assert seconds < 0.05 and isinstance(error, redis_cache.RedisPaused)
    time.sleep(1.0)
    seconds, error = timed(lambda: silent.get("key"))
    assert seconds >= TIMEOUT and not isinstance(error, redis_cache.RedisPaused)


def test_another_redis_is_not_paused_by_one_that_does_not_answer(silent_redis):
    timed(lambda: client(silent_redis).get("key"))
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        other = f"redis://127.0.0.1:{closed.getsockname()[1]}/0"
    _seconds, error = timed(lambda: client(other).get("key"))
    assert isinstance(error, redis.ConnectionError)
    assert not isinstance(error, redis_cache.RedisPaused)


def test_pages_are_served_promptly_while_redis_does_not_answer(silent_redis, anonymous):
    with override_settings(CACHES={"default": redis_cache.cache_settings(silent_redis, "t")}):
        assert cache.get("anything") is None  # waits once, then pauses
        started = time.monotonic()
        for path in ["/en/", "/en/organizations/", "/api/organizations/", "/en/search/?q=ngo"]:
            assert_status(anonymous.get(path), 200)
        assert time.monotonic() - started < 4 * TIMEOUT


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("redis://cache.example:6379/0", redis_cache.PausingConnection),
        ("rediss://cache.example:6380/0", redis_cache.PausingSSLConnection),
        ("unix:///run/redis.sock?db=0", redis_cache.PausingUnixDomainSocketConnection),
    ],
)
def test_each_kind_of_address_keeps_its_transport(url, kind):
    pool = redis.ConnectionPool.from_url(url, connection_class=redis_cache.connection_class(url))
    assert pool.connection_class is kind
