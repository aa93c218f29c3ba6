"""A network with more members than a page shows: its page and its API record show the first
ones and lead to the rest, instead of listing tens of thousands (which also failed on
SQLite: "Expression tree is too large")."""

import re

import pytest

from directory.models import Organization
from networks import graph as relationship_graph
from networks.api.serializers import NESTED_MEMBERS
from networks.models import Membership, Network
from networks.views import FOUNDERS_SHOWN, MEMBERS_PER_PAGE
from tests.helpers import assert_status
from tests.networks.test_graph_data import layout, overlapping

pytestmark = pytest.mark.django_db
MEMBERS = NESTED_MEMBERS + 20
FOUNDERS = FOUNDERS_SHOWN + 5


@pytest.fixture
def crowded():
    network = Network.objects.create(name_en="Crowded network", kind="platform", scope="national")
    organizations = Organization.objects.bulk_create(
        Organization(name_en=f"Crowd member {n:03}", slug=f"crowd-member-{n:03}", kind="ngo")
        for n in range(MEMBERS)
    )
    Membership.objects.bulk_create(
        Membership(
            network=network, organization=organization, role="founder" if n < FOUNDERS else "member"
        )
        for n, organization in enumerate(organizations)
    )
    return network


def member_links(html):
    members = re.search(r'<section id="members".*?</section>', html, re.S).group(0)
    return re.findall(r'href="/en/organizations/(crowd-member-\d+)/"', members)


def test_the_network_page_lists_its_members_a_page_at_a_time(client, crowded):
    pages = []
    for number in range(1, 4):
        response = client.get(f"/en/networks/{crowded.slug}/", {"page": number})
        assert_status(response, 200)
        pages.append(member_links(response.content.decode()))
    assert [len(links) for links in pages] == [
        MEMBERS_PER_PAGE,
        MEMBERS_PER_PAGE,
        MEMBERS - 2 * MEMBERS_PER_PAGE,
    ]
    listed = [slug for links in pages for slug in links]
    assert listed == [f"crowd-member-{n:03}" for n in range(MEMBERS)]
    first = client.get(f"/en/networks/{crowded.slug}/").content.decode()
    assert 'rel="next" href="?page=2"' in first and "Page 1 of 3" in first
    assert f'<span class="count">{MEMBERS}</span>' in first
    assert_status(client.get(f"/en/networks/{crowded.slug}/", {"page": 4}), 404)
    assert_status(client.get(f"/en/networks/{crowded.slug}/", {"page": "x"}), 404)


def test_the_network_page_names_its_first_founders_and_counts_the_rest(client, crowded):
    html = client.get(f"/en/networks/{crowded.slug}/").content.decode()
    founders = re.search(r"Founded by</dt><dd>(.*?)</dd>", html, re.S).group(1)
    assert re.findall(r"crowd-member-(\d+)", founders) == [f"{n:03}" for n in range(FOUNDERS_SHOWN)]
    assert founders.endswith(f"and {FOUNDERS - FOUNDERS_SHOWN} more")
    chinese = client.get(f"/zh-hans/networks/{crowded.slug}/").content.decode()
    assert f"等另外 {FOUNDERS - FOUNDERS_SHOWN} 家" in chinese


def test_the_network_api_nests_its_first_members_and_links_to_all(anonymous, crowded):
    response = anonymous.get(f"/api/networks/{crowded.slug}/")
    assert_status(response, 200)
    record = response.json()
    assert record["member_count"] == MEMBERS
    assert [m["organization"]["slug"] for m in record["memberships"]] == [
        f"crowd-member-{n:03}" for n in range(NESTED_MEMBERS)
    ]
    assert record["all_memberships"] == (
        f"http://testserver/api/memberships/?network={crowded.slug}"
    )
    listed, address = [], record["all_memberships"]
    while address:
        answer = anonymous.get(address).json()
        listed += [m["organization"]["slug"] for m in answer["results"]]
        address = answer["next"]
    assert sorted(listed) == [f"crowd-member-{n:03}" for n in range(MEMBERS)]


def test_a_crowded_network_is_laid_out_in_one_pass_without_overlaps(crowded, monkeypatch):
    """A drawing too small for its labels is made tall enough at once (layout.needed_height):
    growing it a step at a time tried every free place of every step first, seconds for a
    network of a hundred members. The labels still never overlap."""
    graph = relationship_graph.network_neighbourhood(crowded)
    labels = graph.short_labels()
    passes = []
    boxes = layout.Boxes
    monkeypatch.setattr(layout, "Boxes", lambda: passes.append(1) or boxes())
    positions, height = layout.placed(graph, labels, 720, 440)
    assert len(positions) == MEMBERS + 1 and height > 440
    assert passes == [1]
    assert not overlapping(graph, labels, positions)
