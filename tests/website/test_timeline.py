"""An organization's page shows its history as one dated line, oldest first, built from
what the page has read already: no query of its own."""

import re

import pytest

from tests.factories import make_committee
from tests.helpers import assert_status

pytestmark = pytest.mark.django_db


def timeline(client, path):
    response = client.get(path)
    assert_status(response, 200)
    section = re.search(r'<ol class="history-line">(.*?)</ol>', response.content.decode(), re.S)
    assert section, "the page has no timeline"
    return [
        (date, re.sub(r"<[^>]+>", "", text).strip())
        for date, text in re.findall(
            r'<time datetime="([^"]+)">[^<]*</time>(.*?)</li>', section.group(1), re.S
        )
    ]


def test_the_timeline_dates_each_fact_as_precisely_as_its_source(client):
    moments = timeline(client, "/en/organizations/cyva/")
    assert ("2010-07", "UN ECOSOC consultative status: Special") in moments
    assert (
        "2022",
        "China Youth Volunteers Overseas Service Program: Serving UN Agencies began (operator)",
    ) in moments
    dates = [date for date, _text in moments]
    assert dates == sorted(dates)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_committee_s_decisions_join_the_line_in_order(client, language):
    committee = make_committee(3)
    moments = timeline(client, f"/{language}/organizations/{committee.applicant.slug}/")
    assert [date for date, _text in moments] == ["2001-01-15", "2001-07-15", "2002-01-15"]
    assert moments[-1][1].endswith("status granted" if language == "en" else "授予咨商地位")


def test_an_organization_with_nothing_dated_has_no_timeline(client):
    from directory.models import Organization

    Organization.objects.create(name_en="Undated", slug="undated", kind="ngo")
    page = client.get("/en/organizations/undated/")
    assert_status(page, 200)
    assert 'id="timeline"' not in page.content.decode()
    assert 'id="timeline"' in client.get("/en/organizations/cyva/").content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_network_page_shows_when_its_members_joined(client, language):
    response = client.get(f"/{language}/networks/un-ecosoc-consultative-status/")
    assert_status(response, 200)
    # CYVA's status since 2010-07 is the one membership whose start is recorded
    assert response.context["joined_rows"] == [(2010, 1)]
    page = response.content.decode()
    assert 'id="joined"' in page and page.count('<svg class="chart"') == 1
    unv = client.get(f"/{language}/networks/unv-programme/")
    assert "joined_rows" not in unv.context and 'id="joined"' not in unv.content.decode()


def test_the_years_joined_are_counted_in_one_query(client, django_assert_num_queries):
    from networks.models import Membership, Network

    network = Network.objects.get(slug="un-ecosoc-consultative-status")
    with django_assert_num_queries(1):
        rows = list(Membership.objects.filter(network=network).joined_by_year())
    assert rows == [{"year": 2010, "count": 1}]
