"""The shared cache in Redis, and Redis left alone for a few seconds after it fails to answer.

The cache ignores Redis errors (pages are then served uncached), but a Redis that does not
answer (a network partition, a server stuck swapping) makes each cache call wait out its
socket timeout, half a second, and a request makes several: every page would take seconds
and the workers would fill up waiting. After a failure to connect or to answer, this process
does not ask that Redis again for PAUSE_SECONDS; calls in between fail at once, which the
cache takes as "nothing cached". The first call after the pause tries again.
"""

import threading
import time
from functools import cached_property

from redis.connection import Connection, SSLConnection, UnixDomainSocketConnection
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

PAUSE_SECONDS = 5.0
# Waits for Redis, in seconds: short, as a cache that is slow is worth less than none.
SOCKET_TIMEOUT = 0.5
UNANSWERED = (RedisConnectionError, RedisTimeoutError, OSError)


def cache_settings(url, key_prefix):
    """The CACHES entry for Redis at `url` (a redis://, rediss:// or unix:// address)."""
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": url,
        # Several sites (or test runs) may share one Redis database under their own prefix.
        "KEY_PREFIX": key_prefix,
        "OPTIONS": {
            # Redis down means uncached pages and no throttling, not errors: every cache
            # call then answers "nothing cached", quickly.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": SOCKET_TIMEOUT,
            "SOCKET_TIMEOUT": SOCKET_TIMEOUT,
            "CONNECTION_POOL_KWARGS": {"connection_class": connection_class(url)},
        },
    }


class RedisPaused(RedisConnectionError):
    """Redis failed to answer moments ago, and was not asked."""


class Breaker:
    """When this process may ask one Redis again (each worker finds out for itself)."""

    def __init__(self):
        self.paused_until = 0.0

    def check(self):
        if time.monotonic() < self.paused_until:
            raise RedisPaused("Redis did not answer moments ago; it is not asked again yet.")

    def trip(self):
        self.paused_until = time.monotonic() + PAUSE_SECONDS


BREAKERS = {}
BREAKERS_LOCK = threading.Lock()


def breaker_for(address):
    with BREAKERS_LOCK:
        return BREAKERS.setdefault(address, Breaker())


class PausingAfterFailure:
    """A redis-py connection that consults its server's breaker before it connects or sends,
    and trips it when connecting, sending or reading fails for want of an answer (not when
    Redis answers with an error)."""

    @cached_property
    def breaker(self):
        # Looked up once per connection: it is consulted on every command.
        return breaker_for(
            (getattr(self, "host", None), getattr(self, "port", None), getattr(self, "path", None))
        )

    def connect(self):
        self.breaker.check()
        return self.tripping(super().connect)

    def send_packed_command(self, *args, **kwargs):
        self.breaker.check()
        return self.tripping(super().send_packed_command, *args, **kwargs)

    def read_response(self, *args, **kwargs):
        return self.tripping(super().read_response, *args, **kwargs)

    def tripping(self, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except RedisPaused:
            raise
        except UNANSWERED:
            self.breaker.trip()
            raise


class PausingConnection(PausingAfterFailure, Connection):
    pass


class PausingSSLConnection(PausingAfterFailure, SSLConnection):
    pass


class PausingUnixDomainSocketConnection(PausingAfterFailure, UnixDomainSocketConnection):
    pass


def connection_class(url):
    """The pausing connection for the address's scheme (redis-py would otherwise choose by
    it: TLS for rediss://, a socket file for unix://)."""
    if url.startswith("rediss://"):
        return PausingSSLConnection
    if url.startswith("unix://"):
        return PausingUnixDomainSocketConnection
    return PausingConnection
