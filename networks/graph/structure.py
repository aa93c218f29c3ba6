"""The graph's structure: keyed nodes (organizations, networks, programs) and the ties
between them, each node with the name and the address a drawing shows, each tie with its
role and dates. This is the one declaration of what a graph holds: the SVG (svg.py) and the
interactive graph's JSON (data.py) are both written from it."""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory.api.common import LINK_PLACEHOLDER, fill_link
from directory.models.base import format_partial_date
from directory.pages import localized_row_name
from networks.graph.labels import short_labels

NODE_STYLES = {
    # kind: (label, shape, fill colour); colours keep 4.5:1 contrast with white text
    "organization": (_("organization"), "circle", "#1f5fa8"),
    "network": (_("network"), "square", "#a4480b"),
    "program": (_("program"), "diamond", "#1c6b3a"),
}
URL_NAMES = {
    "organization": "organization-page",
    "network": "network-page",
    "program": "program-page",
}


def node_key(kind, slug):
    return f"{kind}:{slug}"


class Ties:
    """An undirected graph of keyed nodes and ties with attributes, with what the drawings
    ask of one, in networkx's words and iteration order. networkx itself (tens of megabytes
    in every worker) is imported only to lay out a cluster without a centre, which only the
    full graph's page has."""

    def __init__(self):
        self.adjacency = {}
        self.attributes = {}

    def __contains__(self, key):
        return key in self.attributes

    def add_node(self, key, **attributes):
        self.attributes.setdefault(key, {}).update(attributes)
        self.adjacency.setdefault(key, {})

    def add_edge(self, first, second, **attributes):
        for key in (first, second):
            self.add_node(key)
        tie = self.adjacency[first].get(second, {})
        tie.update(attributes)
        self.adjacency[first][second] = self.adjacency[second][first] = tie

    def nodes(self, data=False):
        return list(self.attributes.items()) if data else list(self.attributes)

    def edges(self, data=False):
        """Each tie once, from the node added first."""
        seen, ties = set(), []
        for node, neighbours in self.adjacency.items():
            for neighbour, tie in neighbours.items():
                if neighbour not in seen:
                    ties.append((node, neighbour, tie) if data else (node, neighbour))
            seen.add(node)
        return ties

    def neighbors(self, key):
        return iter(self.adjacency[key])

    def number_of_edges(self):
        return len(self.edges())

    def subgraph(self, nodes):
        part = Ties()
        for node in (node for node in self.attributes if node in nodes):
            part.add_node(node, **self.attributes[node])
        for first, second, tie in self.edges(data=True):
            if first in nodes and second in nodes:
                part.add_edge(first, second, **tie)
        return part

    def connected_components(self):
        """The sets of nodes tied to one another, in the order of their first nodes."""
        found, components = set(), []
        for start in self.attributes:
            if start not in found:
                component = {start, *(child for _parent, child in self.bfs_edges(start))}
                found |= component
                components.append(component)
        return components

    def bfs_edges(self, source, sort_neighbors=None):
        """(parent, child) pairs of a breadth-first walk from `source`, as networkx's."""
        order = sort_neighbors or (lambda nodes: nodes)
        visited, queue, walked = {source}, [source], []
        for parent in queue:
            for child in order(list(self.adjacency[parent])):
                if child not in visited:
                    visited.add(child)
                    queue.append(child)
                    walked.append((parent, child))
        return walked

    def as_networkx(self):
        import networkx

        graph = networkx.Graph()
        graph.add_nodes_from(self.nodes(data=True))
        graph.add_edges_from(self.edges(data=True))
        return graph


@dataclass
class RelationshipGraph:
    graph: Ties = field(default_factory=Ties)
    truncated: bool = False
    centre: str | None = None

    url_templates: dict = field(default_factory=dict)

    def add_node(self, kind, row, prefix=""):
        """The key of the record a values() row names, added unless it is there already (a
        neighbourhood's rows name the same networks again and again). The row may hold an
        organization's country and a network's abbreviation (queries.FIELDS)."""
        slug = row[f"{prefix}slug"]
        key = node_key(kind, slug)
        if key not in self.graph:
            abbreviation = row.get(f"{prefix}abbreviation") or ""
            self.graph.add_node(
                key,
                kind=kind,
                slug=slug,
                label=localized_row_name(row, prefix),
                abbreviations=[abbreviation] if abbreviation else [],
                country=str(row.get(f"{prefix}country") or ""),
                url=self.url(kind, slug),
            )
        return key

    def url(self, kind, slug):
        """The record's page, as reverse() gives it: reversed once per kind of record."""
        if kind not in self.url_templates:
            self.url_templates[kind] = reverse(URL_NAMES[kind], args=[LINK_PLACEHOLDER])
        return fill_link(self.url_templates[kind], slug)

    def add_tie(self, first, second, label, row=None, prefix=""):
        """A tie, dated by the row's start and end (a membership's, or a program's for the
        ties of a program) when it has them."""
        if first in self.graph and second in self.graph and first != second:
            self.graph.add_edge(first, second, label=str(label), **period(row or {}, prefix))

    def add_abbreviations(self, abbreviations):
        """Organizations' abbreviations, {slug: [abbreviation, ...]}, in the order to prefer
        them; a short label uses one where the name is too long."""
        for slug, names in abbreviations.items():
            key = node_key("organization", slug)
            if key in self.graph:
                self.graph.attributes[key]["abbreviations"] = names

    def short_labels(self):
        """Each node's label as drawn: short, and distinct for distinct nodes (labels.py)."""
        nodes = self.graph.nodes(data=True)
        shorts = short_labels([(data["label"], data["abbreviations"]) for _key, data in nodes])
        return {key: label for (key, _data), label in zip(nodes, shorts, strict=True)}

    def in_year(self, year):
        """The graph as it was in `year`: the ties that had started by its end and had not
        ended before its start. A tie whose start is not recorded is kept (most are not
        dated; a reader sees it drawn as undated). A node left without ties goes, except
        the centre."""
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        part = RelationshipGraph(truncated=self.truncated, centre=self.centre)
        for a, b, tie in self.graph.edges(data=True):
            if tie["start_date"] and tie["start_date"] > last:
                continue
            if tie["end_date"] and tie["end_date"] < first:
                continue
            for key in (a, b):
                if key not in part.graph:
                    part.graph.add_node(key, **self.graph.attributes[key])
            part.graph.add_edge(a, b, **tie)
        if self.centre in self.graph and self.centre not in part.graph:
            part.graph.add_node(self.centre, **self.graph.attributes[self.centre])
        return part

    @property
    def kinds(self):
        present = {data["kind"] for _key, data in self.graph.nodes(data=True)}
        return [(kind, *NODE_STYLES[kind]) for kind in NODE_STYLES if kind in present]


def period(row, prefix=""):
    """A tie's start and end from a values() row: the dates (to compare with a year) and
    as people read them (2010, 2010-07 or 2010-07-15), or None and ""."""
    dates = {}
    for end in ("start", "end"):
        value = row.get(f"{prefix}{end}_date")
        precision = row.get(f"{prefix}{end}_precision") or "day"
        dates[f"{end}_date"] = value
        dates[end] = format_partial_date(value, precision)
    return dates


def tie_title(tie):
    """A tie as its tooltip reads: its role and, if known, its dates."""
    if tie["start"] or tie["end"]:
        return f"{tie['label']} ({tie['start'] or '?'}\u2013{tie['end']})"
    return tie["label"]
