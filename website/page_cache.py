"""Anonymous visitors' pages and API answers, served from the shared cache until the data
they show change (website.cache), for PAGE_CACHE_SECONDS at most.

Only what anyone would see is cached: GET requests without credentials or a session, and
answers that are 200, set no cookie and do not vary on cookies. Signed-in editors and token
clients always reach the database.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, has_vary_header, patch_vary_headers

from website.api import is_api_request
from website.api.throttling import allows_anonymous
from website.cache import cache_key, cached, may_store
from website.replicas import READ_PRIMARY_COOKIE

# Headers that belong to one response, not to the answer that is cached (an answer that
# sets a cookie is never cached).
UNCACHED_HEADERS = {"date", "expires", "set-cookie", "x-cache"}
# Cookies that make an answer personal: the signed-in session, messages meant for this
# visitor, and the mark of one who just wrote, who reads the primary (website.replicas)
# rather than a page a replica's older state may have built.
PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages", READ_PRIMARY_COOKIE}


def is_anonymous_read(request):
    return (
        request.method == "GET"
        and "HTTP_AUTHORIZATION" not in request.META
        and not PERSONAL_COOKIES & set(request.COOKIES)
        and not request.path.startswith(f"/{settings.ADMIN_URL}")
    )


def is_shareable(response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if has_vary_header(response, "Cookie") or has_vary_header(response, "Authorization"):
        return False
    directives = {
        d.split("=")[0].strip().lower()
        for d in cc_delim_re.split(response.get("Cache-Control", ""))
        if d
    }
    return not directives & {"private", "no-cache", "no-store"}


def page_key(request):
    """Everything an anonymous answer depends on besides the data: the address (with its
    query string and host, which absolute links contain), the language and the format asked
    for."""
    return cache_key(
        "page",
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""),
        request.META.get("HTTP_ACCEPT", ""),
    )


def stored(request, response):
    """The answer as cached: its body and headers, and whether it looked for a session (the
    API's authentication does), after which the session middleware says it varies on
    cookies. For a visitor without a session cookie it is the same answer whatever the
    cookies, which is why it may be cached; replayed, it says so again, so that a cache in
    front of the site does not give it to a signed-in editor."""
    looked_for_session = getattr(getattr(request, "session", None), "accessed", False)
    return (
        response.content,
        [(name, value) for name, value in response.items() if name.lower() not in UNCACHED_HEADERS],
        looked_for_session,
    )


def rebuilt(entry):
    content, headers, looked_for_session = entry
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    if looked_for_session:
        patch_vary_headers(response, ["Cookie"])
    return response


class AnonymousCacheMiddleware:
    """Sits after the locale middleware (the language is part of the key) and before those
    that may set cookies or read the session (CSRF, authentication, messages), so that what
    it stores is exactly what they would answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PAGE_CACHE_SECONDS
        if not seconds or not is_anonymous_read(request):
            return self.get_response(request)
        # The response built for this request, if it was not served from the cache; only a
        # shareable one is stored.
        answered = []

        def answer():
            response = self.get_response(request)
            answered.append(response)
            # Built by a replica just after a change, it may show the data before it: served,
            # not stored (website.cache.may_store; the replicas' middleware, inside this
            # one, has said where the view read).
            if not may_store(getattr(request, "read_a_replica", False)):
                return None
            return stored(request, response) if is_shareable(response) else None

        entry = cached(page_key(request), answer, seconds)
        if answered:
            [response] = answered
            if entry is not None:
                response["X-Cache"] = "miss"
            return response
        # An API client over its rate goes to the view, which answers 429 as usual.
        if is_api_request(request) and not allows_anonymous(request):
            return self.get_response(request)
        response = rebuilt(entry)
        response["X-Cache"] = "hit"
        return response
