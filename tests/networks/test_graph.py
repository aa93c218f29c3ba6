"""The relationship graph around one organization: bounded whatever its networks' size, and
drawn around it."""

import sys

import pytest

from directory.models import Organization
from networks import graph as relationship_graph
from networks.models import Membership
from tests.factories import make_directory

pytestmark = pytest.mark.django_db


def tied_to(graph, key):
    return {other for other in graph.graph.neighbors(key) if other.startswith("organization:")}


def test_a_neighbourhood_shows_each_networks_first_members_and_the_organization():
    hub = make_directory(30, prefix="wide")
    last = Organization.objects.get(name_en="wide organization 029")
    graph = relationship_graph.organization_neighbourhood(last)
    network = relationship_graph.node_key("network", hub.network.slug)
    first = (
        Membership.objects.filter(network=hub.network)
        .order_by("organization_id")
        .values_list("organization__slug", flat=True)[: relationship_graph.NEIGHBOURS_PER_HUB]
    )
    assert tied_to(graph, network) == {
        relationship_graph.node_key("organization", slug) for slug in [*first, last.slug]
    }
    assert graph.centre == relationship_graph.node_key("organization", last.slug)


def test_a_neighbourhood_is_drawn_in_rings_around_its_organization():
    make_directory(5, prefix="ring")
    graph = relationship_graph.organization_neighbourhood(
        Organization.objects.get(name_en="ring organization 000")
    )
    positions = relationship_graph.layout(graph, 600, 600, margin=0)
    centre_x, centre_y = positions[graph.centre]
    assert (centre_x, centre_y) == pytest.approx((300, 300))
    distances = {
        key: ((x - centre_x) ** 2 + (y - centre_y) ** 2) ** 0.5
        for key, (x, y) in positions.items()
        if key != graph.centre
    }
    neighbours = set(graph.graph.neighbors(graph.centre))
    inner = {round(distances[key]) for key in neighbours}
    outer = {round(distance) for key, distance in distances.items() if key not in neighbours}
    assert len(inner) == 1 and len(outer) == 1 and max(inner) < min(outer)


def test_only_the_full_graph_needs_networkx(client, monkeypatch):
    """networkx takes 22 MB of a worker: an organization's or a network's page, drawn in
    rings, does without it; only the full graph's clusters without a centre need its
    force-directed layout."""
    organization = Organization.objects.filter(memberships__isnull=False).first()
    network = organization.memberships.first().network
    monkeypatch.setitem(sys.modules, "networkx", None)
    for page in (organization.get_absolute_url(), network.get_absolute_url()):
        response = client.get(page)
        assert response.status_code == 200
        assert b'<svg class="graph"' in response.content
    with pytest.raises(ImportError):
        client.get("/en/graph/")


def test_ties_are_walked_and_listed_in_networkxs_order():
    networkx = pytest.importorskip("networkx")
    ties, reference = relationship_graph.Ties(), networkx.Graph()
    for first, second in [("c", "a"), ("a", "b"), ("d", "c"), ("b", "c"), ("e", "f"), ("a", "d")]:
        for graph in (ties, reference):
            graph.add_edge(first, second, label=f"{first}-{second}")
    ties.add_node("g", kind="alone")
    reference.add_node("g", kind="alone")
    assert ties.nodes(data=True) == list(reference.nodes(data=True))
    assert ties.edges(data=True) == list(reference.edges(data=True))
    assert list(ties.neighbors("c")) == list(reference.neighbors("c"))
    assert ties.number_of_edges() == reference.number_of_edges()
    assert ties.connected_components() == list(networkx.connected_components(reference))
    for source in "acf":
        assert ties.bfs_edges(source, sort_neighbors=sorted) == list(
            networkx.bfs_edges(reference, source, sort_neighbors=sorted)
        )
        assert ties.bfs_edges(source) == list(networkx.bfs_edges(reference, source))
    # A part keeps the whole's order (networkx's view may follow the set's).
    part = ties.subgraph({"a", "b", "d"})
    assert part.nodes() == ["a", "b", "d"]
    assert {(frozenset(tie[:2]), tie[2]["label"]) for tie in part.edges(data=True)} == {
        (frozenset(tie[:2]), tie[2]["label"])
        for tie in reference.subgraph({"a", "b", "d"}).edges(data=True)
    }


def test_a_neighbourhood_takes_each_hubs_first_organizations_and_its_own_memberships():
    """A hub of more organizations than NEIGHBOURS_PER_HUB gives its first by id, a smaller
    hub all of its own, and the organization's own memberships are always there."""
    first = relationship_graph.NEIGHBOURS_PER_HUB
    hub = make_directory(first + 3, prefix="part")
    last = Organization.objects.get(name_en=f"part organization {first + 2:03}")
    small = last.memberships.exclude(network=hub.network).get().network
    chosen = relationship_graph.first_per(Membership, "network", [hub.network.pk, small.pk], last)
    by_organization = Membership.objects.order_by("organization_id")
    assert by_organization.filter(network=small).count() < first
    assert set(chosen) == {
        *by_organization.filter(network=hub.network)[:first],
        *by_organization.filter(network=small),
        *last.memberships.all(),
    }
