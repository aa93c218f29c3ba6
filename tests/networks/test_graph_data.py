"""The graph's JSON (website.views.graph_data), written from the same graph as the SVG: its
filters, the year, the 400s, its fixed number of queries; and the labels and places both
drawings share."""

import datetime
import importlib

import pytest

from networks import graph as relationship_graph
from networks.graph.labels import MAX_WIDTH, short_labels, text_width
from networks.models import Membership, Network
from tests.factories import make_directory
from tests.helpers import assert_status

layout = importlib.import_module("networks.graph.layout")

pytestmark = pytest.mark.django_db

DATA = "/{language}/graph/data/"


def data(client, language="en", status=200, **params):
    response = client.get(DATA.format(language=language), params)
    assert_status(response, status)
    return response.json()


def urls(answer):
    return {node["url"] for node in answer["nodes"]}


def ties(answer):
    return {frozenset({edge["source"], edge["target"]}) for edge in answer["edges"]}


def overlapping(graph, labels, positions):
    """The pairs of nodes whose boxes (node and label) overlap where they are placed."""
    boxes = {}
    for key, (x, y) in positions.items():
        left, top, right, bottom = layout.node_box(
            graph.graph.attributes[key]["kind"], labels[key], key == graph.centre
        )
        boxes[key] = (x - left, y - top, x + right, y + bottom)
    keys = sorted(boxes)
    return [
        (key, other)
        for index, key in enumerate(keys)
        for other in keys[index + 1 :]
        if boxes_overlap(boxes[key], boxes[other])
    ]


def boxes_overlap(first, second):
    return (
        first[0] < second[2]
        and second[0] < first[2]
        and first[1] < second[3]
        and second[1] < first[3]
    )


def test_the_whole_graph_has_nodes_and_dated_ties(client):
    answer = data(client)
    assert set(answer["nodes"][0]) >= {"id", "label", "name", "kind", "country", "url", "x", "y"}
    assert set(answer["edges"][0]) >= {"source", "target", "label", "start", "end"}
    ecosoc = [
        edge
        for edge in answer["edges"]
        if {edge["source"], edge["target"]}
        == {"organization:cyva", "network:un-ecosoc-consultative-status"}
    ]
    assert len(ecosoc) == 1
    assert ecosoc[0]["label"] == "consultative status" and ecosoc[0]["end"] == ""
    assert ecosoc[0]["start"].startswith("2010")
    cyva = next(node for node in answer["nodes"] if node["id"] == "organization:cyva")
    assert cyva["country"] == "CN" and cyva["url"] == "/en/organizations/cyva/"
    assert answer["first_year"] == 2010


def test_the_network_filter_keeps_its_members(client):
    answer = data(client, network="vso-china-partners")
    assert "/en/organizations/beijing-huizeren/" in urls(answer)
    assert "/en/organizations/bclarc/" not in urls(answer)


def test_the_kind_filter_keeps_that_kind(client):
    answer = data(client, kind="foundation")
    assert "/en/organizations/amity-foundation/" in urls(answer)
    assert "/en/organizations/cyva/" not in urls(answer)


def test_the_country_filter_keeps_that_country(client):
    assert "/en/organizations/ford-foundation/" in urls(data(client, country="us"))
    assert "/en/organizations/ford-foundation/" not in urls(data(client, country="CN"))


def test_a_year_keeps_the_ties_started_by_then_and_not_ended(client):
    every = data(client)
    early = data(client, year=2005)
    assert early["year"] == 2005 and len(early["edges"]) < len(every["edges"])
    ecosoc = frozenset({"organization:cyva", "network:un-ecosoc-consultative-status"})
    assert ecosoc not in ties(early)
    assert all(not edge["start"] or edge["start"] <= "2005" for edge in early["edges"])
    assert ecosoc in ties(data(client, year=2011))
    # A tie that ended before the year is left out.
    Membership.objects.filter(organization__slug="cyva", network__slug="vso-china-partners").update(
        start_date=datetime.date(2012, 1, 1), end_date=datetime.date(2015, 6, 1)
    )
    vso = frozenset({"organization:cyva", "network:vso-china-partners"})
    assert vso in ties(data(client, year=2014))
    assert vso not in ties(data(client, year=2016))


def test_a_year_moves_no_node(client):
    every = {node["id"]: (node["x"], node["y"]) for node in data(client)["nodes"]}
    for node in data(client, year=2005)["nodes"]:
        assert every[node["id"]] == (node["x"], node["y"])


def test_a_neighbourhood_is_the_one_its_page_draws(client):
    answer = data(client, centre="organization:unv")
    centre = [node for node in answer["nodes"] if node["centre"]]
    assert [node["id"] for node in centre] == ["organization:unv"]
    network = data(client, centre="network:vso-china-partners")
    assert "/en/organizations/beijing-huizeren/" in urls(network)


def test_labels_are_in_the_pages_language(client):
    english = data(client, centre="organization:cango")
    chinese = data(client, "zh-hans", centre="organization:cango")
    names = {node["id"]: node["name"] for node in chinese["nodes"]}
    assert names["organization:cango"] == "中国民促会"
    assert {node["id"]: node["name"] for node in english["nodes"]}["organization:cango"] == (
        "China Association for NGO Cooperation"
    )


@pytest.mark.parametrize(
    "params",
    [
        {"network": "no-such-network"},
        {"kind": "no-such-kind"},
        {"country": "XX"},
        {"year": "nineteen"},
        {"year": "1500"},
        {"year": "2010.5"},
        {"centre": "organization:no-such-organization"},
        {"centre": "network:no-such-network"},
        {"centre": "person:someone"},
        {"centre": "organization:cyva", "kind": "ngo"},
        {"centre": "organization:cyva", "year": "then"},
    ],
)
def test_a_bad_filter_is_a_400_that_says_what_is_wrong(client, params):
    answer = data(client, status=400, **params)
    assert answer["errors"] and answer["detail"] == " ".join(answer["errors"])


def test_the_graph_page_refuses_a_bad_year(client):
    response = client.get("/en/graph/", {"year": "soon"})
    assert_status(response, 400)
    assert "The year must be a whole number" in response.content.decode()


def test_the_graph_page_draws_a_year(client):
    every = client.get("/en/graph/").content.decode()
    early = client.get("/en/graph/", {"year": 2005}).content.decode()
    assert early.count("<line") < every.count("<line")
    assert 'value="2005"' in early


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # the organizations, memberships, program roles, programs' networks, units, the
        # organizations' abbreviations
        ({}, 6),
        # and the network filtered on
        ({"network": "large-hub-network", "year": 2020}, 7),
        # the organization with its parent, then its units, memberships and program roles;
        # its networks' and programs' first members, the programs' networks, abbreviations
        ({"centre": "organization:large-organization-001"}, 8),
        # the network; its memberships (counted, then read), programs with their networks,
        # program roles, abbreviations
        ({"centre": "network:large-hub-network"}, 6),
    ],
)
def test_the_data_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, params, expected
):
    # A small directory, then a large one beside it (which moves the data's generation on,
    # so that nothing is served from the cache).
    for prefix, count in (("small", 2), ("large", 30)):
        make_directory(count, prefix=prefix)
        asked = {name: str(value).replace("large", prefix) for name, value in params.items()}
        with django_assert_num_queries(expected):
            data(client, **asked)


def test_distinct_nodes_get_distinct_short_labels():
    labels = short_labels(
        [
            ("United Nations Volunteers", ["UNV"]),
            ("United Nations Development Programme", []),
            ("United Nations Economic and Social Council", []),
            ("英国海外志愿服务社在华战略合作伙伴", []),
            ("英国海外志愿服务社", []),
            ("Amity Foundation", []),
        ]
    )
    assert labels[0] == "UNV"
    assert len(set(labels)) == len(labels)
    assert labels[5] == "Amity Foundation"
    assert all(text_width(label) <= MAX_WIDTH for label in labels)


def test_the_nodes_fill_the_drawing_and_no_labels_overlap():
    for graph in (
        relationship_graph.full_graph(),
        relationship_graph.network_neighbourhood(Network.objects.get(slug="vso-china-partners")),
    ):
        labels = graph.short_labels()
        positions, height = layout.placed(graph, labels, 720, 440)
        xs = [x for x, _y in positions.values()]
        ys = [y for _x, y in positions.values()]
        assert (max(xs) - min(xs)) / 720 >= 0.5 and (max(ys) - min(ys)) / height >= 0.5
        assert not overlapping(graph, labels, positions)
