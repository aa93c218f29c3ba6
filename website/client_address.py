"""The address a request comes from: the one declaration that every limit kept per client
uses (failed sign-ins, through django-axes's AXES_CLIENT_IP_CALLABLE; the anonymous API
rate, website.api.throttling).

Without proxies (PROXY_COUNT=0) it is the connection's own address. Behind PROXY_COUNT
proxies, each of which appends the address it received the request from to
X-Forwarded-For, it is the entry the outermost proxy wrote: the PROXY_COUNT-th from the
end. Whatever a client writes into the header itself stands before that and is never read,
so a client can neither borrow another's address nor take a new one for each request. A
request with fewer entries than proxies did not come through them all (it reached the site
directly): its connection's address is taken."""

import logging

from django.conf import settings

logger = logging.getLogger(__name__)


def client_address(request) -> str:
    connection = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PROXY_COUNT
    if not proxies:
        return connection
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if len(hops) < proxies:
        logger.warning(
            "a request from %s came through fewer proxies than PROXY_COUNT=%d "
            "(X-Forwarded-For: %r): the site is reachable around its proxies, or PROXY_COUNT "
            "is too high",
            connection,
            proxies,
            forwarded,
        )
        return connection
    return hops[-proxies]
