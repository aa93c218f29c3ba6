"""Anonymous visitors' pages and API answers, served from the shared cache until the data
they show change.

Invalidation is by generation: one number in the cache names the current state of the
directory's data, and every cached answer is stored under a key that includes it. Any change
to a record of the directory's apps (save, delete, many-to-many change, and the bulk paths of
imports and merges, which call data_changed() themselves) moves the number on, so every
answer cached before the change is never looked up again and expires on its own.

Only what anyone would see is cached: GET requests without credentials or a session, and
answers that are 200, set no cookie and do not vary on cookies. Signed-in editors and token
clients always reach the database.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.http import HttpResponse
from django.utils.cache import cc_delim_re, has_vary_header, patch_vary_headers

from directory.api.throttling import allows_anonymous

GENERATION_KEY = "data-generation"
CACHED_APPS = {"directory", "networks", "events"}
# Headers that belong to one response, not to the answer that is kept (an answer that sets
# a cookie is never kept).
UNKEPT_HEADERS = {"date", "expires", "set-cookie", "x-cache"}
# Cookies that make an answer personal: the signed-in session and messages meant for
# this visitor.
PERSONAL_COOKIES = {settings.SESSION_COOKIE_NAME, "messages"}


# Whether this process has looked up a cached answer since it last moved the generation on
# (see data_changed).
_looked_up_since_bump = True


def current_generation():
    """The generation of the data, starting one if the cache has none (a new or emptied
    cache, or an evicted key). It starts from the clock, so a restarted count never reaches
    a number under which older answers are still stored."""
    global _looked_up_since_bump
    _looked_up_since_bump = True
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(GENERATION_KEY)
    return generation


def bump_generation():
    global _looked_up_since_bump
    _looked_up_since_bump = False
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # no generation yet: whatever is cached is unreachable already
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)


def data_changed():
    """Make every cached answer stale. Called for each change of the apps' records.

    Outside a transaction the generation moves on at once. Inside one, other connections
    still read the data as they were, which may be cached: the generation moves on when
    the transaction commits, once however many records it changed (an import changes tens
    of thousands). It also moves on at once if this process looked up an answer since the
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
    if sender._meta.app_label in CACHED_APPS and not is_history(sender):
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


def cache_key(request, generation):
    """Everything an anonymous answer depends on: the address (with its query string and
    host, which absolute links contain), the language and the format asked for."""
    parts = [
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", ""),
        request.META.get("HTTP_ACCEPT", ""),
    ]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page:{generation}:{digest}"


def stored(request, response):
    """The answer as kept: its body and headers, and whether it looked for a session (the
    API's authentication does), after which the session middleware says it varies on
    cookies. For a visitor without a session cookie it is the same answer whatever the
    cookies, which is why it may be kept; replayed, it says so again, so that a cache in
    front of the site does not give it to a signed-in editor."""
    looked_for_session = getattr(getattr(request, "session", None), "accessed", False)
    return (
        response.content,
        [(name, value) for name, value in response.items() if name.lower() not in UNKEPT_HEADERS],
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
        key = cache_key(request, current_generation())
        entry = cache.get(key)
        # An API client over its rate goes to the view, which answers 429 as usual.
        if entry is not None and (
            not request.path.startswith("/api/") or allows_anonymous(request)
        ):
            response = rebuilt(entry)
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if is_shareable(response):
            cache.set(key, stored(request, response), seconds)
            response["X-Cache"] = "miss"
        return response
