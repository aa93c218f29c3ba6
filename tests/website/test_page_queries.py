"""Page views run a fixed number of SQL queries whatever the size of the data."""

import pytest

from tests.factories import make_directory
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db

# list page: (queries, search matching one row, search matching a full page)
LIST_PAGES = {
    # count; page of organizations with city and parent; fields; other names; sources;
    # memberships with networks; six facet counts
    "organizations/": (12, "large organization 001", "large organization"),
    # count; people; positions; organizations; positions' sources; sources
    "people/": (6, "large person 001", "large person"),
    # count; networks with member count and secretariat; sources
    "networks/": (3, "large network 001", "large network"),
    # count; programs with network, parent, launch event; roles; organizations; sources
    "programs/": (5, "large program 001", "large program"),
    # count; events with city; sources
    "events/": (3, "large event 001", "large event"),
    # count; sources with publisher
    "sources/": (2, "large source 001", "large source"),
}
# detail page: (hub attribute, queries) for a record with 2 and with 30 related records
DETAIL_PAGES = {
    # for_detail() (12 queries, as in the API) plus the neighbourhood graph: the first
    # members of its networks, of its programs, the programs' networks and the
    # organizations' abbreviations (its parent, units, networks and programs come with
    # for_detail); its UN Committee on NGOs history: decisions with sessions, votes with
    # tallies and sessions
    "organizations": ("organization", 18),
    # as in the API
    "people": ("person", 10),
    # network with member count and secretariat; sources; programs; sources' publishers;
    # a page of members (count, page) and its founders; the graph: memberships (counted
    # for the page), programs, program roles, the organizations' abbreviations; the members
    # joined by year
    "networks": ("network", 12),
    "programs": ("program", 6),
    # event with city; participations with organizations; sessions; talks with speakers and
    # their organizations; launched programs; sources with publishers (as in the API)
    "events": ("event", 6),
    # source, and for each of the 11 kinds of citing record its first hundred with what
    # their names and addresses need (their own nested records are not read)
    "sources": ("source", 12),
}
# other pages: (params, queries)
OTHER_PAGES = [
    ("", {}, 8),  # five counts, recent events, networks by members
    # for each of five kinds, its few hits ranked in place; the Committee's decisions and
    # votes, one statement each when none match
    ("search/", {"q": "small"}, 5 + 2),
    # the organizations, memberships, program roles, programs' networks, units,
    # abbreviations; the networks and countries of the filters (and the network filtered on)
    ("graph/", {}, 8),
    ("graph/", {"network": "large-hub-network"}, 9),
]


@pytest.fixture
def hubs(db):
    return make_directory(2, prefix="small"), make_directory(30, prefix="large")


def test_the_search_page_asks_each_rank_of_each_kind_once_over_the_cap(
    client, hubs, django_assert_num_queries, monkeypatch
):
    from directory import search

    monkeypatch.setattr(search.grouped, "COUNT_CAP", 3)
    # for each of five kinds, its first hits, and for more than the cap, each rank's first;
    # the Committee's decisions and votes, one statement each when none match
    with django_assert_num_queries(10 + 2):
        response = client.get("/en/search/", {"q": "large"})
    assert_status(response, 200)
    assert response.content.decode().count('<span class="count">3+</span>') == 5


@pytest.mark.parametrize("path", LIST_PAGES)
def test_list_page_queries_do_not_grow_with_the_page(client, hubs, django_assert_num_queries, path):
    expected, one, many = LIST_PAGES[path]
    for search in (one, many):
        with django_assert_num_queries(expected):
            assert_status(client.get(f"/en/{path}", {"search": search}), 200)


@pytest.mark.parametrize("path", DETAIL_PAGES)
def test_detail_page_queries_do_not_grow_with_related_records(
    client, hubs, django_assert_num_queries, path
):
    attribute, expected = DETAIL_PAGES[path]
    for hub in hubs:
        with django_assert_num_queries(expected):
            response = client.get(f"/en/{path}/{getattr(hub, attribute).slug}/")
        assert_status(response, 200)


@pytest.mark.parametrize(("path", "params", "expected"), OTHER_PAGES)
def test_other_pages_run_a_fixed_number_of_queries(
    client, hubs, django_assert_num_queries, path, params, expected
):
    with django_assert_num_queries(expected):
        assert_status(client.get(f"/en/{path}", params), 200)
