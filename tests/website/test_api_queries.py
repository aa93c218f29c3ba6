"""Every list and detail endpoint runs a fixed number of SQL queries, whatever the number of
rows on the page or of records related to the one shown."""

import pytest
from django.core.cache import cache

from tests.factories import make_directory
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

# endpoint: (queries, search text matching at least 50 generated rows)
LIST_QUERIES = {
    # count; the page's ids; for the rows not cached (directory.api.row_cache), the
    # organizations with city and parent; other names; fields; memberships with their
    # networks; sources (directory.api.writers.RowWriter)
    "organizations": (7, "gen organization"),
    # count; people; positions; their organizations; their sources; sources
    "people": (6, "gen person"),
    # count; positions with person and organization; sources
    "positions": (3, "gen person"),
    # count; sources with publisher
    "sources": (2, "gen source"),
    # count; networks with member count and secretariat; sources
    "networks": (3, "gen network"),
    # count; memberships with organization and network; sources
    "memberships": (3, "gen network"),
    # count; programs with network, parent and launch event; roles; their organizations;
    # sources
    "programs": (5, "gen program"),
    # count; events with city; sources
    "events": (3, "gen event"),
    # count; sessions with event; talks; speakers; speakers' organizations; sources
    "sessions": (6, "gen event"),
    # count; talks with session, event, speaker and organization; sources
    "talks": (3, "gen person"),
    # count; participations with event and organization; sources
    "participations": (3, "gen event"),
}

# endpoint: queries for a record whatever the number of its related records
DETAIL_QUERIES = {
    # organization with city and parent; fields; other names; sources with publishers;
    # memberships with networks; identifiers; units; positions with people; the positions'
    # sources (Position.as_of); program roles with programs; participations with events;
    # talks with sessions, events and speakers (for_detail(), as the organization's page
    # reads them)
    "organizations": ("organization", 12),
    # person; positions; their organizations; their sources; sources; talks; their
    # sessions; their events; the speakers' organizations; the sources' publishers
    "people": ("person", 10),
    # source with publisher; organizations, people, networks, programs, events citing it
    "sources": ("source", 6),
    # network with member count and secretariat; sources; programs; the sources'
    # publishers; its first memberships with their organizations
    "networks": ("network", 5),
    # program with network, parent and launch event; roles; their organizations; sources;
    # subprograms; the sources' publishers
    "programs": ("program", 6),
    # event with city; participations with organizations; sessions; talks with speakers and
    # their organizations; launched programs; sources with publishers
    "events": ("event", 6),
}


@pytest.fixture
def generated(generated_directory, db):
    return generated_directory


@pytest.mark.parametrize("endpoint", LIST_QUERIES)
def test_list_runs_the_same_queries_for_one_item_and_for_fifty(
    anonymous, generated, django_assert_num_queries, endpoint
):
    expected, search = LIST_QUERIES[endpoint]
    # The first request counts the selection; the second finds the count cached under the
    # same filters (directory.list_counts).
    for size, queries in ((1, expected), (50, expected - 1)):
        with django_assert_num_queries(queries):
            response = anonymous.get(f"/api/{endpoint}/", {"search": search, "page_size": size})
        assert_status(response, 200)
        assert len(response.json()["results"]) == size


@pytest.mark.parametrize("endpoint", LIST_QUERIES)
def test_keyset_pages_run_the_same_queries_for_one_item_and_for_fifty(
    anonymous, generated, django_assert_num_queries, endpoint
):
    # The same queries as numbered pages: the page is read from its cursor's place instead
    # of after an offset, and the record after it tells whether there is a next page. The
    # next page finds the count cached under the same filters (directory.list_counts).
    expected, search = LIST_QUERIES[endpoint]
    for size in (1, 50):
        with django_assert_num_queries(expected):
            first = anonymous.get(
                f"/api/{endpoint}/", {"search": search, "page_size": size, "pagination": "keyset"}
            )
        assert_status(first, 200)
        assert len(first.json()["results"]) == size
        with django_assert_num_queries(expected - 1):
            second = anonymous.get(first.json()["next"])
        assert_status(second, 200)
        assert 1 <= len(second.json()["results"]) <= size
        # Each size from nothing cached: its first page counts the selection again.
        cache.clear()


@pytest.mark.parametrize("endpoint", DETAIL_QUERIES)
def test_detail_runs_the_same_queries_for_few_and_many_related_records(
    anonymous, django_assert_num_queries, endpoint
):
    attribute, expected = DETAIL_QUERIES[endpoint]
    for hub in (make_directory(2, prefix="small"), make_directory(40, prefix="large")):
        record = getattr(hub, attribute)
        with django_assert_num_queries(expected):
            response = anonymous.get(f"/api/{endpoint}/{record.slug}/")
        assert_status(response, 200)


@pytest.mark.parametrize("limit", ["1", "50"])
def test_search_runs_one_statement_per_kind_under_the_cap_and_two_over_it(
    anonymous, db, django_assert_num_queries, monkeypatch, limit
):
    from directory import search

    make_directory(2, prefix="small")
    make_directory(30, prefix="large")
    monkeypatch.setattr(search.grouped, "COUNT_CAP", 3)
    # for each of the five kinds: its hits ranked in place, and when they are over the cap,
    # each rank's first few from the index; the Committee's decisions and votes, one
    # statement each when none match
    for text, capped, expected in (("small", False, 5 + 2), ("large", True, 10 + 2)):
        with django_assert_num_queries(expected):
            response = anonymous.get("/api/search/", {"q": text, "limit": limit})
        assert_status(response, 200)
        groups = [
            group
            for key, group in response.json()["results"].items()
            if key not in {"decisions", "votes"}
        ]
        assert all(group["results"] for group in groups)
        assert all(group["count_exact"] is not capped for group in groups)
