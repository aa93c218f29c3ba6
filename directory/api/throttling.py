from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class AnonymousRateThrottle(AnonRateThrottle):
    """Anonymous clients' request rate, read from settings.API_ANONYMOUS_RATE."""

    def get_rate(self):
        return settings.API_ANONYMOUS_RATE
