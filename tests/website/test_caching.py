"""Anonymous visitors are served from the cache until the data change; an edit, through the
API, the admin, a merge or an import, shows at once; editors always see live data."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, override_settings
from django.urls import reverse

from directory.merging import merge_organizations
from directory.models import FieldOfWork, Organization, Source
from networks.ecosoc.importer import import_decisions
from tests.helpers import assert_status, cut_off_the_database
from tests.networks.test_ecosoc_import import grants
from tests.website.test_admin import organization_form
from website import cache as caching
from website import page_cache

pytestmark = pytest.mark.django_db

CANGO_PAGE = "/en/organizations/cango/"
CANGO_API = "/api/organizations/cango/"


def get(client, path, **headers):
    response = client.get(path, headers=headers)
    assert_status(response, 200)
    return response


def cached_twice(client, path):
    """Ask twice; the second answer must come from the cache."""
    assert get(client, path)["X-Cache"] == "miss"
    second = get(client, path)
    assert second["X-Cache"] == "hit"
    return second


@pytest.mark.parametrize(
    "path",
    [
        CANGO_PAGE,
        "/zh-hans/organizations/",
        "/en/graph/",
        "/en/search/?q=cango",
        CANGO_API,
        "/api/networks/",
        "/sitemap.xml",
        "/robots.txt",
    ],
)
def test_anonymous_answers_are_cached_and_the_same_as_fresh_ones(anonymous, path):
    first = get(anonymous, path)
    assert first["X-Cache"] == "miss"
    second = get(anonymous, path)
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert headers(second) == headers(first)


def headers(response):
    """The headers but the cache's own, with Vary as the set it means."""
    return {
        name: {part.strip() for part in value.split(",")} if name == "Vary" else value
        for name, value in response.items()
        if name != "X-Cache"
    }


def test_language_format_and_query_string_are_cached_apart(anonymous):
    cached_twice(anonymous, CANGO_API)
    csv = get(anonymous, CANGO_API, Accept="text/csv")
    assert csv["X-Cache"] == "miss" and csv["Content-Type"].startswith("text/csv")
    assert (
        get(anonymous, "/zh-hans/organizations/cango/").content
        != get(anonymous, CANGO_PAGE).content
    )
    assert get(anonymous, "/en/organizations/?kind=foundation")["X-Cache"] == "miss"


def test_an_edit_through_the_api_is_visible_at_once(anonymous, editor):
    cached_twice(anonymous, CANGO_PAGE)
    cached_twice(anonymous, CANGO_API)
    response = editor.patch(CANGO_API, {"name_en": "China NGO Cooperation, Renamed"}, format="json")
    assert_status(response, 200)
    assert "China NGO Cooperation, Renamed" in get(anonymous, CANGO_PAGE).text
    assert get(anonymous, CANGO_API).json()["name_en"] == "China NGO Cooperation, Renamed"


def test_an_edit_in_the_admin_is_visible_at_once(anonymous, superuser_client):
    organization = Organization.objects.create(name_en="Edited In The Admin", kind="ngo")
    organization.sources.set(Source.objects.filter(slug="cdb-2021-international-networks"))
    page = f"/en/organizations/{organization.slug}/"
    cached_twice(anonymous, page)
    response = superuser_client.post(
        reverse("admin:directory_organization_change", args=[organization.pk]),
        organization_form(name_en="Renamed In The Admin", slug=organization.slug),
    )
    assert_status(response, 302)
    assert "Renamed In The Admin" in get(anonymous, page).text


def test_a_change_of_links_is_visible_at_once(anonymous):
    cached_twice(anonymous, "/en/organizations/?field=youth")
    Organization.objects.get(slug="cango").fields.add(FieldOfWork.objects.get(slug="youth"))
    assert (
        "China Association for NGO Cooperation"
        in get(anonymous, "/en/organizations/?field=youth").text
    )


def test_a_deletion_is_visible_at_once(anonymous):
    organization = Organization.objects.create(name_en="Soon Gone", kind="ngo")
    cached_twice(anonymous, "/api/organizations/?search=soon+gone")
    organization.delete()
    assert get(anonymous, "/api/organizations/?search=soon+gone").json()["count"] == 0


def test_a_merge_is_visible_at_once(anonymous):
    kept = Organization.objects.create(name_en="Kept After Merge", kind="ngo")
    duplicate = Organization.objects.create(name_en="Merged Away", kind="ngo")
    cached_twice(anonymous, "/api/organizations/?search=merged+away")
    merge_organizations(kept, [duplicate])
    # The duplicate's name is now another name of the one kept.
    found = get(anonymous, "/api/organizations/?search=merged+away").json()["results"]
    assert [organization["slug"] for organization in found] == [kept.slug]


def test_an_import_is_visible_at_once(anonymous):
    cached_twice(anonymous, "/api/organizations/?search=cache+test+alliance")
    import_decisions([grants(("Cache Test Alliance", "2020-02-07"))])
    assert get(anonymous, "/api/organizations/?search=cache+test+alliance").json()["count"] == 1


def test_a_transaction_moves_the_generation_on_when_it_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        for name in ["First Of Many", "Second Of Many", "Third Of Many"]:
            Organization.objects.create(name_en=name, kind="ngo")
    # One bump at commit, however many records changed (an import changes thousands).
    assert callbacks.count(caching.bump_generation) == 1
    before = caching.current_generation()
    callbacks[0]()
    assert caching.current_generation() != before


def test_a_lost_generation_restarts_above_every_earlier_one():
    first = caching.current_generation()
    caching.bump_generation()
    cache.delete(caching.GENERATION_KEY)
    assert caching.current_generation() > first + 1


def test_signed_in_editors_and_token_clients_always_get_live_data(
    anonymous, editor, superuser_client
):
    cached_twice(anonymous, CANGO_API)
    # A change that no signal announces: the cache goes stale, and only anonymous
    # visitors may see that.
    Organization.objects.filter(slug="cango").update(description_en="Changed quietly.")
    assert get(anonymous, CANGO_API)["X-Cache"] == "hit"
    for client in (editor, superuser_client):
        for _ in range(2):
            response = get(client, CANGO_API)
            assert "X-Cache" not in response
            assert response.json()["description_en"] == "Changed quietly."
    assert "X-Cache" not in get(superuser_client, CANGO_PAGE)


def test_a_visitor_with_a_session_cookie_is_not_served_from_the_cache(client):
    cached_twice(client, CANGO_PAGE)
    client.cookies["sessionid"] = "not-a-session"
    assert "X-Cache" not in get(client, CANGO_PAGE)


@pytest.mark.parametrize(
    "path", ["/en/organizations/no-such-org/", "/api/nowhere/", "/healthz", "/readyz"]
)
def test_errors_and_health_answers_are_never_cached(client, path):
    client.get(path)
    assert "X-Cache" not in client.get(path)


def answer(**headers):
    response = HttpResponse("x")
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def test_only_plain_200_answers_may_be_shared():
    assert page_cache.is_shareable(answer())
    assert not page_cache.is_shareable(HttpResponse("x", status=404))
    assert not page_cache.is_shareable(answer(Vary="Accept, Cookie"))
    assert not page_cache.is_shareable(answer(Cache_Control="private, max-age=60"))
    assert not page_cache.is_shareable(answer(Cache_Control="no-store"))
    with_cookie = answer()
    with_cookie.set_cookie("csrftoken", "x")
    assert not page_cache.is_shareable(with_cookie)


def test_cached_api_answers_count_against_the_anonymous_rate(anonymous, settings):
    settings.API_ANONYMOUS_RATE = "3/minute"
    statuses = [anonymous.get("/api/networks/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_admin_is_never_cached(superuser_client, client):
    url = reverse("admin:login")
    client.get(url)
    assert "X-Cache" not in client.get(url)


@override_settings(PAGE_CACHE_SECONDS=0)
def test_caching_can_be_turned_off(anonymous):
    get(anonymous, CANGO_PAGE)
    assert "X-Cache" not in get(anonymous, CANGO_PAGE)


def test_a_page_cached_before_a_database_outage_is_still_served(monkeypatch):
    visitor = Client(raise_request_exception=False)
    assert_status(visitor.get("/en/organizations/cango/"), 200)

    cut_off_the_database(monkeypatch)
    response = visitor.get("/en/organizations/cango/")
    assert_status(response, 200)
    assert response["X-Cache"] == "hit"
    assert_status(visitor.get("/en/organizations/amity-foundation/"), 503)
