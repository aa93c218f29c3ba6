from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from website.client_address import client_address


class AnonymousRateThrottle(AnonRateThrottle):
    """Anonymous clients' request rate, read from settings.API_ANONYMOUS_RATE, counted in the
    shared cache (Redis in production), so that the rate holds across all workers.

    A counter per client for a window that opens with its first request: one increment per
    request. DRF's own throttle reads and writes the time of every request in the window,
    a list that grows with the rate (a thousand entries a second for a fast client)."""

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        count = self.counted()
        # No count (the cache is down and its errors ignored): the request is let through.
        if count is not None and count > self.num_requests:
            return self.throttle_failure()
        return True

    def counted(self):
        """This request counted in the client's window (one round trip while it is open),
        opening one if none is; None if the cache is down and its errors ignored."""
        for _attempt in range(2):
            try:
                return self.cache.incr(self.key)
            except ValueError:  # no window open; another request may open it first
                if self.cache.add(self.key, 1, self.duration):
                    return 1
        return None

    def wait(self):
        """Seconds until the window closes, if the cache can tell; else the whole window."""
        remaining = getattr(self.cache, "ttl", lambda key: None)(self.key)
        return remaining if isinstance(remaining, int) and remaining > 0 else self.duration

    def get_ident(self, request):
        # The client's address as every per-client limit takes it; DRF's own reads the
        # whole X-Forwarded-For header, which a client writes as it likes.
        return client_address(request)

    def get_cache_key(self, request, view):
        # Also asked by website.cache before any authentication ran: a request with no
        # user yet is one without credentials or session, so anonymous.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ErrorReportThrottle(AnonymousRateThrottle):
    """How many error reports one client address may send in a window
    (settings.ERROR_REPORT_RATE; the report form, directory.record_pages, asks through
    settings.ERROR_REPORT_THROTTLE). Signed-in clients are counted too: a report form is no
    place for many."""

    scope = "error-report"

    def get_rate(self):
        return settings.ERROR_REPORT_RATE

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def allows_anonymous(request) -> bool:
    """Whether an anonymous request to the API is within the rate; if so it is counted.
    Answers served from the page cache count as any other, so caching does not lift the
    rate."""
    return AnonymousRateThrottle().allow_request(request, None)
