"""List pages' counts cached under their filters (directory.list_counts): the same counts as
counted afresh, shared by every page, language and client of a selection, and never older
than the data."""

import pytest
from django.http import QueryDict
from django.test import override_settings

from directory.list_counts import counts_key
from directory.models import Organization
from networks.models import Membership
from tests.factories import DIRECTORY_SIZE
from tests.helpers import assert_status
from website.records.filters import OrganizationFilterSet, PersonFilterSet

pytestmark = pytest.mark.django_db

ORGANIZATIONS = "/en/organizations/"
# count; page of organizations with city and parent; fields; other names; sources;
# memberships with networks; six facet counts
COUNTED = 12
# the same without the count and the facets
CACHED = COUNTED - 7


@pytest.fixture
def generated(generated_directory, db):
    return generated_directory


def shown(visitor, django_assert_num_queries, queries, path=ORGANIZATIONS, **params):
    """The counts a list page shows: how many it selects, and each facet's options."""
    with django_assert_num_queries(queries):
        response = visitor.get(path, params)
    assert_status(response, 200)
    facets = [
        (
            facet["name"],
            [(option["label"], option["count"], option["selected"]) for option in facet["options"]],
        )
        for facet in response.context.get("facets", [])
    ]
    return response.context["page"].paginator.count, facets


@pytest.mark.parametrize(
    ("params", "validated"),
    [
        ({}, 0),
        ({"kind": "ngo"}, 0),
        ({"kind": "ngo", "country": "CN"}, 0),
        ({"search": "gen organization"}, 0),
        ({"consultative_level": "special"}, 0),
        # the form looks the network up by its slug
        ({"network": "gen-hub-network"}, 1),
    ],
)
def test_cached_counts_are_the_counts_made_afresh(
    visitor, generated, django_assert_num_queries, params, validated
):
    with override_settings(DATA_CACHE_SECONDS=0):
        fresh = shown(visitor, django_assert_num_queries, COUNTED + validated, **params)
    first = shown(visitor, django_assert_num_queries, COUNTED + validated, **params)
    cached = shown(visitor, django_assert_num_queries, CACHED + validated, **params)
    assert first == fresh == cached
    assert cached[0] and cached[1]


@pytest.fixture
def signed_in(client, editor_user):
    client.force_login(editor_user)
    return client


def test_every_page_language_and_client_of_a_selection_shares_its_counts(
    visitor, editor, signed_in, generated, django_assert_num_queries
):
    selection = {"kind": "ngo", "country": "CN"}
    counts = shown(visitor, django_assert_num_queries, COUNTED, **selection)
    assert counts[0] > 25
    assert shown(visitor, django_assert_num_queries, CACHED, page=2, **selection) == counts
    # other parameters than filters, and empty filters, select the same
    assert (
        shown(visitor, django_assert_num_queries, CACHED, city="", utm_source="mail", **selection)
        == counts
    )
    zh_total, zh_facets = shown(
        visitor, django_assert_num_queries, CACHED, path="/zh-hans/organizations/", **selection
    )
    assert zh_total == counts[0]
    assert [[count for _label, count, _selected in options] for _name, options in zh_facets] == [
        [count for _label, count, _selected in options] for _name, options in counts[1]
    ]
    # a script with a token
    assert shown(editor, django_assert_num_queries, CACHED, **selection) == counts
    # an editor signed in to the site: the user is read as well (the session is cached)
    response = signed_in.get(ORGANIZATIONS, selection)
    assert response.wsgi_request.user.is_authenticated
    assert shown(signed_in, django_assert_num_queries, CACHED + 1, **selection) == counts


def test_another_selection_is_counted_for_itself(visitor, generated, django_assert_num_queries):
    everything, _ = shown(visitor, django_assert_num_queries, COUNTED)
    chinese, _ = shown(visitor, django_assert_num_queries, COUNTED, country="CN")
    assert everything == Organization.objects.count()
    assert chinese == Organization.objects.filter(country="CN").count() < everything


def test_counts_follow_every_edit(visitor, generated, django_assert_num_queries):
    selection = {"country": "CN"}
    total, facets = shown(visitor, django_assert_num_queries, COUNTED, **selection)
    Organization.objects.create(name_en="Newly listed", kind="foundation", country="CN")
    after_create, facets_after_create = shown(
        visitor, django_assert_num_queries, COUNTED, **selection
    )
    assert after_create == total + 1
    assert dict(facets_after_create)["kind"] != dict(facets)["kind"]

    members = dict(facets_after_create)["network"]
    Membership.objects.filter(network__slug="gen-hub-network").delete()
    _, facets_after_delete = shown(visitor, django_assert_num_queries, COUNTED, **selection)
    assert dict(facets_after_delete)["network"] != members
    assert "gen hub network" not in {
        label for label, _count, _selected in dict(facets_after_delete)["network"]
    }


@override_settings(DATA_CACHE_SECONDS=0)
def test_without_the_setting_every_page_counts(visitor, generated, django_assert_num_queries):
    for page in (1, 2, 1):
        shown(visitor, django_assert_num_queries, COUNTED, country="CN", page=page)


def test_other_list_pages_cache_their_count(visitor, generated, django_assert_num_queries):
    # count; people; positions; organizations; positions' sources; sources
    people = shown(visitor, django_assert_num_queries, 6, path="/en/people/", search="gen person")
    assert (
        shown(
            visitor, django_assert_num_queries, 5, path="/en/people/", search="gen person", page=2
        )
        == people
        == (DIRECTORY_SIZE, [])
    )


def test_malformed_filters_are_refused_and_counted_as_nothing(
    visitor, generated, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = visitor.get(ORGANIZATIONS, {"founded_after": "last spring"})
    assert_status(response, 400)
    assert response.context["page"].paginator.count == 0
    assert response.context["errors"] == ["Founded on or after: Enter a valid date."]


def key(filterset_class, query, counted=None):
    return counts_key(filterset_class(QueryDict(query)), counted)


def facets(records):
    return {}


def test_the_key_is_the_filters_values_whatever_else_the_address_holds():
    selection = key(OrganizationFilterSet, "kind=ngo&country=CN")
    assert key(OrganizationFilterSet, "country=CN&page=3&kind=ngo&city=&utm=x") == selection
    assert key(OrganizationFilterSet, "kind=ngo&country=CH") != selection
    assert key(OrganizationFilterSet, "kind=ngo") != selection
    # the same filter of another list selects other records
    assert key(OrganizationFilterSet, "search=gen") != key(PersonFilterSet, "search=gen")
    assert selection.startswith("list-counts:")
    # what a page counts of the selection besides its count is cached apart from it
    assert key(OrganizationFilterSet, "kind=ngo&country=CN", facets) != selection


# The API's organization list, its rows read afresh: count; the page's ids; its
# organizations; other names; fields; memberships; sources
API_COUNTED = 7
API_CACHED = API_COUNTED - 1


def listed(client, django_assert_num_queries, queries, endpoint="organizations", **params):
    """How many records an API list says its filters select. Asked as indented JSON, which is
    written afresh from its rows on every request (directory.api.row_cache): only the count
    is cached."""
    with django_assert_num_queries(queries):
        response = client.get(f"/api/{endpoint}/", params, HTTP_ACCEPT="application/json; indent=2")
    assert_status(response, 200)
    return response.json()["count"]


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "ngo", "country": "CN"},
        {"search": "gen organization"},
        {"consultative_level": "special"},
    ],
)
def test_api_lists_cache_the_count_made_afresh(
    visitor, generated, django_assert_num_queries, params
):
    with override_settings(DATA_CACHE_SECONDS=0):
        fresh = listed(visitor, django_assert_num_queries, API_COUNTED, **params)
    assert listed(visitor, django_assert_num_queries, API_COUNTED, **params) == fresh
    assert (
        listed(
            visitor, django_assert_num_queries, API_CACHED, page_size=5, ordering="-slug", **params
        )
        == fresh
    )
    assert fresh == OrganizationFilterSet(QueryDict(mutable=True) | params).qs.count()


def test_an_api_list_and_its_list_page_share_the_count(
    visitor, editor, generated, django_assert_num_queries
):
    selection = {"kind": "ngo", "country": "CN"}
    counted = listed(visitor, django_assert_num_queries, API_COUNTED, **selection)
    # the page counts its facets, which the API does not cache, but not the selection
    total, facets = shown(visitor, django_assert_num_queries, COUNTED - 1, **selection)
    assert total == counted
    with override_settings(DATA_CACHE_SECONDS=0):
        assert (total, facets) == shown(visitor, django_assert_num_queries, COUNTED, **selection)
    # a script with a token (read as well)
    assert listed(editor, django_assert_num_queries, API_CACHED + 1, **selection) == counted

    people = shown(visitor, django_assert_num_queries, 6, path="/en/people/", search="gen person")[
        0
    ]
    # people; positions; their organizations; their sources; sources
    assert listed(visitor, django_assert_num_queries, 5, "people", search="gen person") == people


def test_an_api_list_counts_again_after_an_edit_through_the_api(
    editor, generated, django_assert_num_queries
):
    selection = {"country": "CN"}
    # the token is read, then the selection counted
    before = listed(editor, django_assert_num_queries, API_COUNTED + 1, **selection)
    assert_status(
        editor.post(
            "/api/organizations/",
            {
                "name_en": "Listed through the API",
                "kind": "foundation",
                "country": "CN",
                "sources": ["gen-source-000"],
            },
            format="json",
        ),
        201,
    )
    assert listed(editor, django_assert_num_queries, API_COUNTED + 1, **selection) == before + 1


def test_a_malformed_api_filter_is_refused_and_counts_nothing(
    visitor, generated, django_assert_num_queries
):
    with django_assert_num_queries(0):
        response = visitor.get("/api/organizations/", {"founded_after": "last spring"})
    assert_status(response, 400)
    assert response.json() == {"founded_after": ["Enter a valid date."]}
