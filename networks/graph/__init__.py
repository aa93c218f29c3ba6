"""The relationship graph: organizations, networks and programs and the ties between them,
laid out in rings around a centre (or, for clusters without one, by networkx's force-directed
layout) and drawn as server-side SVG (no script) whose nodes link to pages.

  structure.py  the nodes and ties (Ties, RelationshipGraph)
  queries.py    what a page's graph holds, read from the database
  layout.py     where each node is drawn
  svg.py        the drawing

The names below are what the pages use.
"""

from networks.graph.layout import layout
from networks.graph.queries import (
    FULL_GRAPH_LIMIT,
    NEIGHBOURS_PER_HUB,
    first_per,
    full_graph,
    network_neighbourhood,
    organization_neighbourhood,
)
from networks.graph.structure import NODE_STYLES, RelationshipGraph, Ties, node_key
from networks.graph.svg import neighbourhood_figure, render_svg

__all__ = [
    "FULL_GRAPH_LIMIT",
    "NEIGHBOURS_PER_HUB",
    "NODE_STYLES",
    "RelationshipGraph",
    "Ties",
    "first_per",
    "full_graph",
    "layout",
    "neighbourhood_figure",
    "network_neighbourhood",
    "node_key",
    "organization_neighbourhood",
    "render_svg",
]
