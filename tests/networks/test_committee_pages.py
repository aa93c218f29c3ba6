"""The UN Committee on NGOs' record as pages: an organization's history on its page, the
sessions, each session's decisions and votes, and the statistics, in both languages and in a
fixed number of queries."""

import pytest

from tests.factories import make_committee
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def committees(db):
    return make_committee(2, "small", first_year=1990), make_committee(30, "large", first_year=2000)


@pytest.fixture
def committee(db):
    return make_committee(3)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_organization_page_shows_its_committee_history_in_date_order(
    client, committee, language
):
    response = client.get(f"/{language}/organizations/{committee.applicant.slug}/")
    assert_status(response, 200)
    page = response.content.decode()
    assert 'id="committee"' in page
    dates = [session.date.isoformat() for session in committee.sessions]
    positions = [page.index(f'datetime="{date}"') for date in dates]
    assert positions == sorted(positions)
    assert f"/{language}/committee/sessions/{dates[0]}/#vote-1" in page


def test_the_history_shows_each_vote_tally(client, committee):
    page = client.get(f"/en/organizations/{committee.applicant.slug}/").content.decode()
    assert "in favour 1 · against 1 · abstained 1 · absent 1" in page
    assert "application deferred" in page and "status granted" in page


def test_an_organization_without_committee_history_has_no_such_section(client, committee):
    committee.applicant.committee_decisions.all().delete()
    committee.applicant.committee_votes.all().delete()
    page = client.get(f"/en/organizations/{committee.applicant.slug}/").content.decode()
    assert 'id="committee"' not in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_session_page_lists_its_decisions_by_kind_and_its_votes(client, committee, language):
    session = committee.sessions[0]
    response = client.get(f"/{language}/committee/sessions/{session.date.isoformat()}/")
    assert_status(response, 200)
    page = response.content.decode()
    assert committee.applicant.get_absolute_url() in page
    assert committee.other.get_absolute_url() in page
    assert 'id="vote-1"' in page
    for country in ("China", "France", "Kenya", "Brazil") if language == "en" else ("中国",):
        assert country in page


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_sessions_list_counts_each_kind(client, committee, language):
    response = client.get(f"/{language}/committee/sessions/")
    assert_status(response, 200)
    page = response.content.decode()
    for session in committee.sessions:
        assert session.get_absolute_url().replace("/en/", f"/{language}/") in page


def test_an_unknown_session_date_is_a_404(client, committee):
    assert_status(client.get("/en/committee/sessions/1950-01-01/"), 404)


@pytest.mark.parametrize("date", ["2020-13-45", "yesterday", "2020-1-1x"])
def test_a_malformed_session_date_is_a_404(client, committee, date):
    assert_status(client.get(f"/en/committee/sessions/{date}/"), 404)


def test_the_organization_page_runs_the_same_queries_whatever_its_committee_history(
    client, committees, django_assert_num_queries
):
    # for_detail() (11 here: no notes to read); the neighbourhood graph (its networks' and
    # programs' first members, the organizations' abbreviations); its decisions with their
    # sessions; its votes with their tallies and sessions.
    for committee in committees:
        with django_assert_num_queries(16):
            response = client.get(f"/en/organizations/{committee.applicant.slug}/")
        assert_status(response, 200)


def test_the_session_page_runs_a_fixed_number_of_queries(
    client, committees, django_assert_num_queries
):
    # The session; its decisions with organizations; its votes with tallies, organizations
    # and sessions; their casts.
    for committee in committees:
        with django_assert_num_queries(4):
            response = client.get(committee.sessions[0].get_absolute_url())
        assert_status(response, 200)


def test_the_sessions_list_runs_one_query(client, committees, django_assert_num_queries):
    # The sessions with their decisions counted by kind and their votes.
    with django_assert_num_queries(1):
        assert_status(client.get("/en/committee/sessions/"), 200)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_statistics_page_draws_each_chart_with_its_numbers(client, committee, language):
    response = client.get(f"/{language}/committee/")
    assert_status(response, 200)
    page = response.content.decode()
    assert page.count('<svg class="chart"') == 2
    assert page.count("<title id=") == 2 and page.count("<desc id=") == 2
    assert 'class="bar"' in page
    # the applicant, deferred at two sessions, leads the most deferred
    assert (
        f"{committee.applicant.get_absolute_url().replace('/en/', f'/{language}/')}#committee"
        in page
    )
    # China's row links to the votes where it voted against
    assert f"/{language}/committee/votes/?member_state=CN&amp;choice=against" in page


def test_the_statistics_page_counts_deferrals_per_grant_by_year(client, committee):
    rows = client.get("/en/committee/").context["ratio_rows"]
    # 2001: two deferrals, one grant (the other organization); 2002: the applicant's grant
    assert rows == [(2001, 2, 1, 2.0), (2002, 0, 1, 0.0)]


def test_the_statistics_page_runs_a_fixed_number_of_queries(
    client, committees, django_assert_num_queries
):
    # decisions by session and kind; deferrals and grants by year; the most deferred
    # organizations; member states' votes by choice
    with django_assert_num_queries(4):
        assert_status(client.get("/en/committee/"), 200)


def test_the_ecosoc_network_page_links_to_the_committee_record(client):
    page = client.get("/en/networks/un-ecosoc-consultative-status/").content.decode()
    assert '<p class="committee-link"><a href="/en/committee/">' in page
    other = client.get("/en/networks/unv-programme/").content.decode()
    assert 'class="committee-link"' not in other


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_decisions_list_filters_by_organization_kind_and_year(client, committee, language):
    page = client.get(f"/{language}/committee/decisions/")
    assert_status(page, 200)
    assert page.context["page"].paginator.count == 4  # three on the applicant, one other
    deferred = client.get(
        f"/{language}/committee/decisions/",
        {"search": "applicant", "kind": "deferred", "year": "2001"},
    )
    assert_status(deferred, 200)
    listed = list(deferred.context["page"])
    assert [decision.organization for decision in listed] == [committee.applicant] * 2
    assert [decision.session.date.isoformat() for decision in listed] == [
        "2001-07-15",
        "2001-01-15",
    ]
    text = deferred.content.decode()
    assert f'href="/{language}/committee/sessions/2001-07-15/#decision-{listed[0].pk}"' in text
    assert (
        f'id="decision-{listed[0].pk}"' in client.get(listed[0].get_absolute_url()).content.decode()
    )


def test_a_decisions_list_with_a_malformed_filter_is_a_400_that_says_why(client, committee):
    response = client.get("/en/committee/decisions/", {"year": "soon", "kind": "adopted"})
    assert_status(response, 400)
    errors = " ".join(response.context["errors"])
    assert "Year" in errors and "adopted" in errors


def test_the_votes_list_answers_how_a_member_state_voted(client, committee):
    response = client.get("/en/committee/votes/", {"member_state": "CN", "choice": "against"})
    assert_status(response, 200)
    assert response.context["page"].paginator.count == 3
    page = response.content.decode()
    assert "China voted" in page and page.count('<td data-label="China voted">against</td>') == 3
    none = client.get("/en/committee/votes/", {"member_state": "CN", "choice": "in_favour"})
    assert none.context["page"].paginator.count == 0
    assert "No vote matches." in none.content.decode()
    # only the states that voted are offered
    assert [code for code, _name in response.context["states"]] == ["BR", "CN", "FR", "KE"]
    assert_status(client.get("/en/committee/votes/", {"member_state": "XX"}), 400)


def test_the_committee_lists_run_a_fixed_number_of_queries(
    client, committees, django_assert_num_queries
):
    # decisions: the count, the page with sessions and organizations
    with django_assert_num_queries(2):
        assert_status(client.get("/en/committee/decisions/"), 200)
    # votes: the count, the page with tallies, its casts, the member states that voted
    with django_assert_num_queries(4):
        assert_status(client.get("/en/committee/votes/", {"member_state": "CN"}), 200)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_links_to_the_committee_record(client, language):
    page = client.get(f"/{language}/").content.decode()
    assert f'href="/{language}/committee/"' in page


def test_the_site_search_finds_decisions_and_votes_by_the_organization_name(client, committee):
    response = client.get("/en/search/", {"q": "committee applicant"})
    assert_status(response, 200)
    groups = {group["key"]: group for group in response.context["groups"]}
    assert groups["decisions"]["count"] == 3 and groups["votes"]["count"] == 3
    assert groups["decisions"]["more"] == ("/en/committee/decisions/?search=committee+applicant")
    page = response.content.decode()
    assert "status granted · <time" in page and "rejected · <time" in page
    assert groups["decisions"]["results"][0].record.session.date.isoformat() == "2002-01-15"
    nothing = client.get("/en/search/", {"q": "nobody of that name"})
    assert {group["key"]: group["count"] for group in nothing.context["groups"]}["votes"] == 0


def test_the_api_search_answers_decisions_and_votes_as_their_lists_do(client, committee):
    response = client.get("/api/search/", {"q": "committee applicant", "limit": 2})
    assert_status(response, 200)
    results = response.json()["results"]
    decisions, votes = results["decisions"], results["votes"]
    assert (decisions["count"], decisions["count_exact"], len(decisions["results"])) == (3, True, 2)
    assert decisions["more"].endswith("/api/decisions/?search=committee+applicant")
    listed = client.get("/api/decisions/", {"search": "committee applicant"}).json()["results"]
    assert decisions["results"] == listed[:2]
    listed = client.get("/api/votes/", {"search": "committee applicant"}).json()["results"]
    assert votes["results"] == listed[:2]


def test_the_committee_search_groups_run_the_same_queries_whatever_they_find(
    client, committees, django_assert_num_queries
):
    # "small" finds two decisions and votes, "large" thirty; each group: its keys, its first
    # records (votes with their tallies), the votes' casts; then the five indexed groups
    for text in ("small applicant", "large applicant"):
        with django_assert_num_queries(5 + 5):
            response = client.get("/en/search/", {"q": text})
        assert_status(response, 200)
        groups = {group["key"]: group["count"] for group in response.context["groups"]}
        assert groups["decisions"] == groups["votes"] > 0


def test_the_committee_lists_link_the_export_of_what_they_show(client, committee):
    page = client.get("/en/committee/votes/", {"member_state": "CN", "choice": "against"})
    assert 'href="/api/votes/export.csv?member_state=CN&amp;choice=against"' in (
        page.content.decode()
    )
    exported = client.get("/api/votes/export.jsonl?member_state=CN&choice=against")
    assert len(b"".join(exported.streaming_content).splitlines()) == 3
    page = client.get("/en/committee/decisions/", {"kind": "deferred"})
    assert 'href="/api/decisions/export.jsonl?kind=deferred"' in page.content.decode()
