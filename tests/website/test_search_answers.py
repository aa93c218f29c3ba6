"""Common words' search answers cached until the data change (website.search_answers): the
same answers as found afresh, shared by every client and language, and never older than the
data; answers under the cap are found afresh every time."""

import re

import pytest
from django.test import override_settings

from directory import search
from directory.models import Organization
from tests.factories import make_directory
from tests.helpers import assert_status
from website.search_answers import answer_key

pytestmark = pytest.mark.django_db

# The Committee's decisions and votes are found afresh every time, never cached: a statement
# each, which finds none of them here (website.search_answers.counted_first).
COMMITTEE = 2
# For each of the five kinds: its hits ranked in place, and over the cap each rank's first
# from the index (tests/website/test_api_queries.py); and the Committee's groups.
UNDER_THE_CAP, OVER_THE_CAP = 5 + COMMITTEE, 10 + COMMITTEE
# A signed-in editor's page reads the editor (its session is in the cache).
SIGNED_IN = 1 + COMMITTEE


@pytest.fixture
def capped(db, monkeypatch):
    """Thirty records of each kind that "large" finds, two that "small" finds, and a cap
    that thirty are over."""
    make_directory(2, prefix="small")
    make_directory(30, prefix="large")
    monkeypatch.setattr(search.grouped, "COUNT_CAP", 3)


def searched(visitor, django_assert_num_queries, queries, text, path="/api/search/", **params):
    with django_assert_num_queries(queries):
        response = visitor.get(path, {"q": text, **params})
    assert_status(response, 200)
    return response


def answer(visitor, django_assert_num_queries, queries, text, **params):
    return searched(visitor, django_assert_num_queries, queries, text, **params).json()


def test_a_common_word_is_found_once_then_answered_as_found_afresh(
    visitor, capped, django_assert_num_queries
):
    with override_settings(DATA_CACHE_SECONDS=0):
        fresh = answer(visitor, django_assert_num_queries, OVER_THE_CAP, "large")
        assert answer(visitor, django_assert_num_queries, OVER_THE_CAP, "large") == fresh
    first = answer(visitor, django_assert_num_queries, OVER_THE_CAP, "large")
    cached = answer(visitor, django_assert_num_queries, COMMITTEE, "large")
    assert first == cached == fresh
    organizations = cached["results"]["organizations"]
    assert (organizations["count"], organizations["count_exact"]) == (3, False)
    names = [result["name_en"] for result in organizations["results"]]
    assert len(names) == 10 and all(name.startswith("large ") for name in names)


def test_an_answer_under_the_cap_is_found_afresh_every_time(
    visitor, capped, django_assert_num_queries
):
    first = answer(visitor, django_assert_num_queries, UNDER_THE_CAP, "small")
    assert answer(visitor, django_assert_num_queries, UNDER_THE_CAP, "small") == first
    assert all(group["count_exact"] for group in first["results"].values())


def test_the_query_is_cached_as_searched_and_apart_from_other_group_sizes(
    visitor, capped, django_assert_num_queries
):
    answer(visitor, django_assert_num_queries, OVER_THE_CAP, "large")
    spelled = answer(visitor, django_assert_num_queries, COMMITTEE, " LARGE ")
    assert spelled["query"] == "LARGE"
    fewer = answer(visitor, django_assert_num_queries, OVER_THE_CAP, "large", limit=2)
    assert len(fewer["results"]["people"]["results"]) == 2
    assert answer(visitor, django_assert_num_queries, COMMITTEE, "large", limit=2) == fewer


def test_an_edit_changes_the_answer_at_once(visitor, capped, django_assert_num_queries):
    answer(visitor, django_assert_num_queries, OVER_THE_CAP, "large")
    Organization.objects.create(name_en="Large", kind="ngo", country="CN")
    edited = answer(visitor, django_assert_num_queries, OVER_THE_CAP, "large")
    with override_settings(DATA_CACHE_SECONDS=0):
        assert answer(visitor, django_assert_num_queries, OVER_THE_CAP, "large") == edited
    first = edited["results"]["organizations"]["results"][0]
    assert first["name_en"] == "Large"  # an exact name ranks first

    Organization.objects.filter(name_en="Large").delete()
    after = answer(visitor, django_assert_num_queries, OVER_THE_CAP, "large")
    assert "Large" not in [
        result["name_en"] for result in after["results"]["organizations"]["results"]
    ]


def test_the_search_page_caches_its_answers_for_both_languages_and_editors(
    visitor, capped, django_assert_num_queries, client, editor_user
):
    english = searched(
        visitor, django_assert_num_queries, OVER_THE_CAP, "large", path="/en/search/"
    )
    searched(visitor, django_assert_num_queries, COMMITTEE, "large", path="/en/search/")
    chinese = searched(
        visitor, django_assert_num_queries, COMMITTEE, "large", path="/zh-hans/search/"
    )
    for response in (english, chinese):
        assert response.content.decode().count('<span class="count">3+</span>') == 5
        # the name (the word looked for marked where the page's language shows it)
        assert "large organization 000" in re.sub(r"</?mark>", "", response.content.decode())
    # A signed-in editor's page is never page-cached; its answers are the same ones.
    client.force_login(editor_user)
    signed_in = searched(client, django_assert_num_queries, SIGNED_IN, "large", path="/en/search/")
    assert signed_in.context["groups"] == english.context["groups"]


def test_answers_are_cached_apart_by_what_they_search_and_read():
    from directory.models import Person

    keys = {
        answer_key(Organization, "large", 10, ["slug"]),
        answer_key(Organization, "large", 10, ["slug", "name_en"]),
        answer_key(Organization, "large", 5, ["slug"]),
        answer_key(Organization, "small", 10, ["slug"]),
        answer_key(Person, "large", 10, ["slug"]),
    }
    assert len(keys) == 5
    assert answer_key(Organization, "Large ", 10, ["name_en", "slug"]) == answer_key(
        Organization, "large", 10, ["slug", "name_en"]
    )
