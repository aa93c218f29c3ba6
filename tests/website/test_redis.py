"""The cache in Redis: shared by every worker when it is up, and when it is down the site
serves uncached pages, keeps editors signed in (sessions live in the database) and says so
on /readyz, instead of failing."""

import os
import socket
import time
import uuid

import pytest
import redis
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Organization
from tests.helpers import assert_status
from website import cache as caching
from website.redis_cache import cache_settings

pytestmark = pytest.mark.django_db

# Database 5 of the local Redis is this project's; keys carry a prefix of their own per run.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/5")


def redis_cache_settings(url, prefix):
    return {"default": cache_settings(url, prefix)}


@pytest.fixture
def redis_up():
    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.ConnectionError as error:
        reason = f"Redis does not answer at {TEST_REDIS_URL} ({error})"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must start it (.ci/redis.sh).")
        pytest.skip(reason)
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    with override_settings(CACHES=redis_cache_settings(TEST_REDIS_URL, prefix)):
        yield redis.Redis.from_url(TEST_REDIS_URL), prefix
        cache.delete_pattern("*")


def closed_port():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        return listener.getsockname()[1]


@pytest.fixture
def redis_down():
    with override_settings(
        CACHES=redis_cache_settings(f"redis://127.0.0.1:{closed_port()}/5", "down")
    ):
        yield


def test_pages_and_the_generation_are_cached_in_redis(redis_up, anonymous):
    server, prefix = redis_up
    assert anonymous.get("/en/organizations/cango/")["X-Cache"] == "miss"
    assert anonymous.get("/en/organizations/cango/")["X-Cache"] == "hit"
    keys = {key.decode() for key in server.keys(f"{prefix}:*")}
    # the generation under Django's default version; each page under the generation's
    assert f"{prefix}:1:{caching.GENERATION_KEY}" in keys
    generation = caching.current_generation()
    assert any(key.startswith(f"{prefix}:{generation}:page:") for key in keys)
    Organization.objects.filter(slug="cango").first().save()
    assert anonymous.get("/en/organizations/cango/")["X-Cache"] == "miss"


def test_the_organization_lists_rows_are_cached_in_redis(
    redis_up, editor, django_assert_num_queries
):
    server, prefix = redis_up
    first = editor.get("/api/organizations/", {"page_size": 5})
    assert_status(first, 200)
    generation = caching.current_generation()
    assert len(server.keys(f"{prefix}:{generation}:organization-row:*")) == 5
    # the editor's token, the page's ids: neither the count (cached under the list's filters,
    # directory.list_counts) nor any row is read again
    with django_assert_num_queries(2):
        again = editor.get("/api/organizations/", {"page_size": 5})
    assert again.content == first.content
    Organization.objects.filter(slug=first.json()["results"][0]["slug"]).update(
        description_en="Changed in bulk."
    )
    caching.data_changed()
    changed = editor.get("/api/organizations/", {"page_size": 5}).json()["results"][0]
    assert changed["description_en"] == "Changed in bulk."


def test_a_list_pages_counts_are_cached_in_redis(redis_up, editor, django_assert_num_queries):
    server, prefix = redis_up
    first = editor.get("/en/organizations/", {"country": "CN"})
    assert_status(first, 200)
    # the count, and the facets' counts
    generation = caching.current_generation()
    assert len(server.keys(f"{prefix}:{generation}:list-counts:*")) == 2
    # the page of organizations and its four nested relations (the client signs in with a
    # token): neither the count nor the six facets are counted again
    with django_assert_num_queries(5):
        again = editor.get("/en/organizations/", {"country": "CN", "page": 1})
    assert again.context["page"].paginator.count == first.context["page"].paginator.count
    assert again.context["facets"] == first.context["facets"]
    # the API's list of the same selection takes the count the page cached
    with CaptureQueriesContext(connection) as api_queries:
        listed = editor.get("/api/organizations/", {"country": "CN"})
    assert listed.json()["count"] == first.context["page"].paginator.count
    assert not [query for query in api_queries if "COUNT(" in query["sql"]]


def test_a_common_words_search_answer_is_cached_in_redis(
    redis_up, editor, monkeypatch, django_assert_num_queries
):
    from directory import search

    server, prefix = redis_up
    monkeypatch.setattr(search.grouped, "COUNT_CAP", 1)
    first = editor.get("/api/search/", {"q": "foundation"})
    assert_status(first, 200)
    groups = first.json()["results"].values()
    over = sum(not group["count_exact"] for group in groups)
    generation = caching.current_generation()
    assert over and len(server.keys(f"{prefix}:{generation}:search:*")) == over
    # the editor's token, and one statement for each kind under the cap
    with django_assert_num_queries(1 + len(groups) - over):
        again = editor.get("/api/search/", {"q": "foundation"})
    assert again.content == first.content


def test_the_anonymous_rate_is_counted_in_redis(redis_up, anonymous, settings):
    server, prefix = redis_up
    settings.API_ANONYMOUS_RATE = "3/minute"
    answers = [anonymous.get(f"/api/networks/?page_size={size}") for size in (1, 2, 3, 4)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429]
    # one counter, which Redis expires when the minute is over
    [key] = server.keys(f"{prefix}:1:throttle_anon_*")
    assert int(server.get(key)) == 4
    assert 0 < server.ttl(key) <= 60
    assert 0 < int(answers[-1]["Retry-After"]) <= 60


def test_with_redis_down_pages_and_the_api_are_served_uncached(redis_down, anonymous):
    for path in [
        "/en/",
        "/en/organizations/cango/",
        "/api/organizations/cango/",
        "/healthz",
        "/en/search/?q=foundation",
        "/api/search/?q=foundation",
    ]:
        started = time.monotonic()
        assert_status(anonymous.get(path), 200)
        assert time.monotonic() - started < 3, f"{path} waited for Redis"


def test_with_redis_down_the_list_is_written_afresh(redis_down, anonymous, settings):
    settings.PAGE_CACHE_SECONDS = 0
    fresh = anonymous.get("/api/organizations/")
    assert_status(fresh, 200)
    with override_settings(DATA_CACHE_SECONDS=0):
        assert anonymous.get("/api/organizations/").content == fresh.content


def test_with_redis_down_edits_still_save(redis_down, editor):
    response = editor.patch(
        "/api/organizations/cango/", {"description_en": "Still saved."}, format="json"
    )
    assert_status(response, 200)
    assert Organization.objects.get(slug="cango").description_en == "Still saved."


def test_with_redis_down_editors_sign_in_and_stay_signed_in(redis_down, client):
    User.objects.create_superuser("dora", "dora@example.org", "a-long-password")
    response = client.post(
        reverse("admin:login"), {"username": "dora", "password": "a-long-password"}
    )
    assert_status(response, 302)
    assert_status(client.get(reverse("admin:index")), 200)
    assert_status(client.get(reverse("admin:directory_organization_changelist")), 200)


def test_with_redis_down_readiness_names_the_cache(redis_down, client):
    response = client.get("/readyz")
    assert_status(response, 503)
    assert set(response.json()["problems"]) == {"cache"}
