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

import ipaddress
import logging

from django.conf import settings

logger = logging.getLogger(__name__)
# Whether this process has said that it seems to stand behind a proxy it was not told of.
HINTED = False


def hint_once(connection):
    """A request forwarded from a private address while PROXY_COUNT is 0: the site seems to
    stand behind a proxy it was not told of, so every client would share its address. Said
    once per process: a client may send the header itself."""
    global HINTED
    try:
        private = ipaddress.ip_address(connection).is_private
    except ValueError:
        return
    if private and not HINTED:
        HINTED = True
        logger.warning(
            "a request from %s carries X-Forwarded-For but PROXY_COUNT is 0: behind a proxy, "
            "every client then shares its address for sign-in lockouts and the anonymous "
            "rate; set PROXY_COUNT (docs/deploy.md, Behind a proxy)",
            connection,
        )


def client_address(request) -> str:
    connection = request.META.get("REMOTE_ADDR", "")
    proxies = settings.PROXY_COUNT
    if not proxies:
        if "HTTP_X_FORWARDED_FOR" in request.META:
            hint_once(connection)
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
