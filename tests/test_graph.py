"""The relationship graph around one organization: bounded whatever its networks' size, and
drawn around it."""

import pytest

from directory import graph as relationship_graph
from directory.models import Organization
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
    first = (Membership.objects.filter(network=hub.network).order_by("organization_id")
             .values_list("organization__slug", flat=True)[:relationship_graph.NEIGHBOURS_PER_HUB])
    assert tied_to(graph, network) == {
        relationship_graph.node_key("organization", slug) for slug in [*first, last.slug]}
    assert graph.centre == relationship_graph.node_key("organization", last.slug)


def test_a_neighbourhood_is_drawn_in_rings_around_its_organization():
    make_directory(5, prefix="ring")
    graph = relationship_graph.organization_neighbourhood(
        Organization.objects.get(name_en="ring organization 000"))
    positions = relationship_graph.layout(graph, 600, 600, margin=0)
    centre_x, centre_y = positions[graph.centre]
    assert (centre_x, centre_y) == pytest.approx((300, 300))
    distances = {key: ((x - centre_x) ** 2 + (y - centre_y) ** 2) ** 0.5
                 for key, (x, y) in positions.items() if key != graph.centre}
    neighbours = set(graph.graph.neighbors(graph.centre))
    inner = {round(distances[key]) for key in neighbours}
    outer = {round(distance) for key, distance in distances.items() if key not in neighbours}
    assert len(inner) == 1 and len(outer) == 1 and max(inner) < min(outer)
