from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Anonymous clients' request rate, read from settings.API_ANONYMOUS_RATE, counted in the
    shared cache (Redis in production), so that the rate holds across all workers."""

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE

    def get_cache_key(self, request, view):
        # Also asked by directory.caching before any authentication ran: a request with no
        # user yet is one without credentials or session, so anonymous.
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def allows_anonymous(request) -> bool:
    """Whether an anonymous request to the API is within the rate; if so it is counted.
    Answers served from the page cache count as any other, so caching does not lift the
    rate."""
    return AnonymousRateThrottle().allow_request(request, None)
