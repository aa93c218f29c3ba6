"""The relationship graph: organizations, networks and programs and the ties between them,
laid out in rings around a centre (or, for clusters without one, by networkx's force-directed
layout) and drawn as server-side SVG (no script) whose nodes link to pages.

  structure.py  the nodes and ties (Ties, RelationshipGraph): what a graph holds
  queries.py    what a page's graph holds, read from the database
  labels.py     the nodes' labels as drawn: short and distinct
  layout.py     where each node is drawn, no two labels overlapping
  svg.py        the drawing without script
  data.py       the same graph as JSON, for the interactive drawing (graph.js)

The names below are what the pages use.
"""

from networks.graph.data import graph_data
from networks.graph.layout import layout, placed
from networks.graph.queries import (
    FULL_GRAPH_LIMIT,
    NEIGHBOURS_PER_HUB,
    first_per,
    full_graph,
    network_neighbourhood,
    organization_neighbourhood,
)
from networks.graph.structure import NODE_STYLES, RelationshipGraph, Ties, node_key
from networks.graph.svg import data_url, neighbourhood_figure, render_svg

__all__ = [
    "FULL_GRAPH_LIMIT",
    "NEIGHBOURS_PER_HUB",
    "NODE_STYLES",
    "RelationshipGraph",
    "Ties",
    "data_url",
    "first_per",
    "full_graph",
    "graph_data",
    "layout",
    "neighbourhood_figure",
    "network_neighbourhood",
    "node_key",
    "organization_neighbourhood",
    "placed",
    "render_svg",
]
