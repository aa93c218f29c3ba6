"""The graph's structure: keyed nodes (organizations, networks, programs) and the ties
between them, each node with the name and the address a drawing shows."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory.api.common import LINK_PLACEHOLDER, fill_link
from directory.pages import localized_row_name

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
        neighbourhood's rows name the same networks again and again)."""
        slug = row[f"{prefix}slug"]
        key = node_key(kind, slug)
        if key not in self.graph:
            self.graph.add_node(
                key,
                kind=kind,
                slug=slug,
                label=localized_row_name(row, prefix),
                url=self.url(kind, slug),
            )
        return key

    def url(self, kind, slug):
        """The record's page, as reverse() gives it: reversed once per kind of record."""
        if kind not in self.url_templates:
            self.url_templates[kind] = reverse(URL_NAMES[kind], args=[LINK_PLACEHOLDER])
        return fill_link(self.url_templates[kind], slug)

    def add_tie(self, first, second, label):
        if first in self.graph and second in self.graph and first != second:
            self.graph.add_edge(first, second, label=str(label))

    @property
    def kinds(self):
        present = {data["kind"] for _key, data in self.graph.nodes(data=True)}
        return [(kind, *NODE_STYLES[kind]) for kind in NODE_STYLES if kind in present]
