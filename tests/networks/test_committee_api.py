"""The UN Committee on NGOs' record in the API: read-only lists of sessions, decisions and
votes (with each member state's vote), their filters, and fixed query counts."""

import pytest

from tests.factories import make_committee
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db


def found(client, endpoint, params, key):
    response = client.get(f"/api/{endpoint}/", {**params, "page_size": 100})
    assert_status(response, 200)
    return sorted(key(item) for item in response.json()["results"])


def session_date(item):
    return item["session"]


def organization(item):
    return item["organization"]["slug"]


@pytest.fixture
def committee(db):
    return make_committee(3)


# (endpoint, params, key, expected): the fixture's applicant was deferred in 2001 (January
# and July) and granted in January 2002; the other organization was granted in January 2001.
FILTERS = [
    ("committee-sessions", {"year": 2001}, lambda s: s["date"], ["2001-01-15", "2001-07-15"]),
    ("decisions", {"kind": "granted"}, organization, ["committee-applicant", "committee-other"]),
    ("decisions", {"session": "2001-07-15"}, organization, ["committee-applicant"]),
    ("decisions", {"year": 2002}, organization, ["committee-applicant"]),
    ("decisions", {"organization": "committee-other"}, session_date, ["2001-01-15"]),
    ("decisions", {"country": "GB"}, organization, ["committee-other"]),
    ("votes", {"session": "2001-07-15"}, session_date, ["2001-07-15"]),
    ("votes", {"year": 2001}, session_date, ["2001-01-15", "2001-07-15"]),
    ("votes", {"organization": "committee-other"}, session_date, []),
    ("votes", {"outcome": "rejected"}, session_date, ["2001-01-15", "2001-07-15", "2002-01-15"]),
    ("votes", {"member_state": "CN"}, session_date, ["2001-01-15", "2001-07-15", "2002-01-15"]),
    ("votes", {"member_state": "US"}, session_date, []),
    ("votes", {"choice": "abstained"}, session_date, ["2001-01-15", "2001-07-15", "2002-01-15"]),
    (
        "votes",
        {"member_state": "CN", "choice": "against"},
        session_date,
        [
            "2001-01-15",
            "2001-07-15",
            "2002-01-15",
        ],
    ),
    ("votes", {"member_state": "CN", "choice": "in_favour"}, session_date, []),
]
# The filters tests/website/test_api_filters.py finds tested here.
TESTED = {(endpoint, name) for endpoint, params, _key, _expected in FILTERS for name in params}


@pytest.mark.parametrize(("endpoint", "params", "key", "expected"), FILTERS)
def test_filter(anonymous, committee, endpoint, params, key, expected):
    assert found(anonymous, endpoint, params, key) == expected


def test_a_vote_nests_each_member_state_vote_and_the_tally(anonymous, committee):
    vote = anonymous.get("/api/votes/", {"session": "2001-01-15"}).json()["results"][0]
    assert {cast["country"]: cast["choice"] for cast in vote["casts"]} == {
        "CN": "against",
        "FR": "in_favour",
        "KE": "abstained",
        "BR": "absent",
    }
    assert vote["tally"] == {"in_favour": 1, "against": 1, "abstained": 1, "absent": 1}
    assert vote["organization"]["slug"] == "committee-applicant"


def test_a_session_is_found_by_its_date(anonymous, committee):
    response = anonymous.get("/api/committee-sessions/2001-01-15/")
    assert_status(response, 200)
    assert response.json()["decision_count"] == 2


@pytest.mark.parametrize("date", ["1950-01-01", "2001-13-45", "yesterday"])
def test_an_unknown_or_malformed_session_date_is_a_404(anonymous, committee, date):
    assert_status(anonymous.get(f"/api/committee-sessions/{date}/"), 404)


@pytest.mark.parametrize(
    "query", ["member_state=XX", "choice=maybe", "session=2001-13-45", "year=abc", "kind=won"]
)
def test_a_malformed_filter_is_a_400(anonymous, committee, query):
    endpoint = "decisions" if query.startswith(("kind", "session")) else "votes"
    assert_status(anonymous.get(f"/api/{endpoint}/?{query}"), 400)


@pytest.mark.parametrize("endpoint", ["committee-sessions", "decisions", "votes"])
@pytest.mark.parametrize("year", ["0", "0.0", "10000", "-1"])
def test_a_year_outside_the_calendar_is_a_400(anonymous, committee, endpoint, year):
    assert_status(anonymous.get(f"/api/{endpoint}/?year={year}"), 400)


@pytest.mark.parametrize("endpoint", ["committee-sessions", "decisions", "votes"])
def test_the_committee_endpoints_are_read_only(editor, committee, endpoint):
    assert_status(editor.post(f"/api/{endpoint}/", {}, format="json"), 405)


def test_the_api_root_links_the_committee_endpoints(anonymous):
    root = anonymous.get("/api/").json()
    assert {"committee-sessions", "decisions", "votes"} <= set(root)


# endpoint: queries for a page of 2 and of 30 records
LIST_QUERIES = {
    # count; sessions with decisions counted by kind and votes counted
    "committee-sessions": 2,
    # count; decisions with sessions and organizations
    "decisions": 2,
    # count; votes with tallies, sessions and organizations; their casts
    "votes": 3,
}


@pytest.mark.parametrize("size", [2, 30])
@pytest.mark.parametrize("endpoint", LIST_QUERIES)
def test_the_lists_run_the_same_queries_whatever_their_size(
    anonymous, db, django_assert_num_queries, endpoint, size
):
    make_committee(size)
    with django_assert_num_queries(LIST_QUERIES[endpoint]):
        response = anonymous.get(f"/api/{endpoint}/", {"page_size": 100})
    assert_status(response, 200)
    assert len(response.json()["results"]) >= size
