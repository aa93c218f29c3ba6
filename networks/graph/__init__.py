"""The relationship graph: organizations, networks and programs and the ties between them,
laid out in rings around a centre (or, for clusters without one, by networkx's force-directed
layout) and drawn as server-side SVG (no script) whose nodes link to pages.

Ties: an organization's membership in a network, its role in a program, a program run
through a network, and an organization that is a unit of another. Data are read with a fixed
number of values() queries, whatever the size of the graph.
"""

import functools
import math
from dataclasses import dataclass, field

from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from directory.api.common import LINK_PLACEHOLDER, fill_link
from directory.models import Organization
from directory.models.reused_sql import kept_sql, reusing_sql
from directory.pages import localized_row_name
from networks.models import Membership, Program, ProgramRole

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
FULL_GRAPH_LIMIT = 150
NEIGHBOURS_PER_HUB = 12


def node_key(kind, slug):
    return f"{kind}:{slug}"


class Ties:
    """An undirected graph of keyed nodes and ties with attributes, with what the drawings
    ask of one, in networkx's words and iteration order. networkx itself (22 MB in every
    worker) is imported only to lay out a cluster without a centre, which only the full
    graph's page has."""

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


NAME_FIELDS = ["slug", "name_zh", "name_en"]


def names(record):
    """A record's slug and names as a row of values() would hold them."""
    return {name: getattr(record, name) for name in NAME_FIELDS}


def prefixed(prefix):
    return [f"{prefix}{name}" for name in NAME_FIELDS]


def role_labels(roles):
    """Each role's label in the active language, translated once rather than per tie."""
    return {value: str(label) for value, label in roles.choices}


def add_memberships(graph, memberships):
    labels = role_labels(Membership.Role)
    for row in memberships.values(*prefixed("organization__"), *prefixed("network__"), "role"):
        organization = graph.add_node("organization", row, "organization__")
        network = graph.add_node("network", row, "network__")
        graph.add_tie(organization, network, labels[row["role"]])


def add_program_roles(graph, roles):
    labels = role_labels(ProgramRole.Role)
    for row in roles.values(*prefixed("organization__"), *prefixed("program__"), "role"):
        organization = graph.add_node("organization", row, "organization__")
        program = graph.add_node("program", row, "program__")
        graph.add_tie(organization, program, labels[row["role"]])


def add_program_networks(graph, programs):
    for row in programs.filter(network__isnull=False).values(*NAME_FIELDS, *prefixed("network__")):
        program = graph.add_node("program", row)
        network = graph.add_node("network", row, "network__")
        graph.add_tie(program, network, _("run through"))


def add_units(graph, organizations):
    for row in organizations.filter(parent__isnull=False).values(
        *NAME_FIELDS, *prefixed("parent__")
    ):
        unit = graph.add_node("organization", row)
        parent = graph.add_node("organization", row, "parent__")
        graph.add_tie(unit, parent, _("part of"))


def organization_neighbourhood(organization):
    """The organization, its networks, programs, parent and units, and some of the other
    organizations in each of its networks and programs. What the organization's page has
    loaded already (for_detail: its parent, units, memberships and program roles) is used
    as it is."""
    graph = RelationshipGraph()
    centre = graph.add_node("organization", names(organization))
    ties = [(organization, organization.parent)] if organization.parent_id else []
    for unit, parent in [*ties, *((unit, organization) for unit in organization.units.all())]:
        graph.add_tie(
            graph.add_node("organization", names(unit)),
            graph.add_node("organization", names(parent)),
            _("part of"),
        )
    network_ids = sorted({membership.network_id for membership in organization.memberships.all()})
    program_ids = sorted({role.program_id for role in organization.program_roles.all()})
    add_memberships(graph, first_per(Membership, "network", network_ids, organization))
    add_program_roles(graph, first_per(ProgramRole, "program", program_ids, organization))
    add_program_networks(graph, Program.objects.filter(pk__in=program_ids))
    graph.centre = centre
    return graph


def network_neighbourhood(network, membership_count=None):
    """The network, its members (as many as fit), its secretariat and its programs.
    `membership_count` is how many memberships it has, if the caller has counted them."""
    graph = RelationshipGraph()
    graph.centre = graph.add_node("network", {name: getattr(network, name) for name in NAME_FIELDS})
    memberships = Membership.objects.filter(network=network).order_by("organization__slug")
    if membership_count is None:
        membership_count = memberships.count()
    graph.truncated = membership_count > FULL_GRAPH_LIMIT
    add_memberships(graph, memberships[:FULL_GRAPH_LIMIT])
    programs = Program.objects.filter(network=network)
    add_program_networks(graph, programs)
    add_program_roles(
        graph, ProgramRole.objects.filter(program__in=programs)[: NEIGHBOURS_PER_HUB * 4]
    )
    return graph


def first_per(model, hub_field, hubs, keep):
    """The rows of `model` (a membership or program role) of `keep` and, for each hub
    (network or program), its first NEIGHBOURS_PER_HUB rows by organization, so that a
    network with thousands of members stays readable. Each hub's rows are read from the
    (hub, organization) index and stop there, so a hub costs the same whether it has twenty
    members or twenty thousand.

    The parts are joined with UNION ALL in SQL of their own: Django refuses a LIMIT inside
    a union on SQLite, and PostgreSQL reads the whole table for an OR of IN (subquery)."""
    rows = model._default_manager
    parts = [
        part_of(rows, "organization", keep.pk),
        *(part_of(rows, hub_field, hub, NEIGHBOURS_PER_HUB) for hub in hubs),
    ]
    sql, params = [], []
    for number, (part_sql, part_params) in enumerate(parts):
        sql.append(f"SELECT * FROM ({part_sql}) AS part_{number}")
        params.extend(part_params)
    chosen = rows.filter(pk__in=RawSQL(" UNION ALL ".join(sql), params))
    return reusing_sql(chosen, kept_sql("first_per", model, hub_field))


def rows_where(rows, field, value, first=None):
    """The primary keys of the rows whose `field` is `value`: all of them, or the first
    `first` by organization."""
    rows = rows.filter(**{field: value})
    if first is None:
        return rows.order_by().values("pk")
    return rows.order_by("organization_id").values("pk")[:first]


@functools.lru_cache(maxsize=64)
def compiled_part(rows, field, first, using):
    """rows_where's SQL, whose one parameter is the value; None if it has other parameters
    (a default manager that filters, say). Kept here rather than through reused_sql, which
    would still build each hub's queryset: the parts are text for a UNION, never run alone."""
    sql, params = rows_where(rows.db_manager(using), field, 1, first).query.sql_with_params()
    return sql if list(params) == [1] else None


def part_of(rows, field, value, first=None):
    """rows_where's SQL and parameters, compiled once per process: a neighbourhood asks it
    of each of its networks and programs, and compiling cost more than running it."""
    sql = compiled_part(rows, field, first, rows.db)
    if sql is None:
        return rows_where(rows, field, value, first).query.sql_with_params()
    return sql, (value,)


def full_graph(network=None, kind=None, country=None):
    """Every tie among organizations, networks and programs, optionally narrowed to one
    network's members, one kind of organization or one country; at most FULL_GRAPH_LIMIT
    organizations."""
    graph = RelationshipGraph()
    organizations = Organization.objects.order_by("slug")
    if network:
        organizations = organizations.filter(memberships__network=network)
    if kind:
        organizations = organizations.filter(kind=kind)
    if country:
        organizations = organizations.filter(country=country)
    organization_ids = list(
        organizations.values_list("pk", flat=True).distinct()[: FULL_GRAPH_LIMIT + 1]
    )
    graph.truncated = len(organization_ids) > FULL_GRAPH_LIMIT
    organization_ids = organization_ids[:FULL_GRAPH_LIMIT]
    memberships = Membership.objects.filter(organization__in=organization_ids)
    if network:
        memberships = memberships.filter(network=network)
    add_memberships(graph, memberships)
    roles = ProgramRole.objects.filter(organization__in=organization_ids)
    add_program_roles(graph, roles)
    add_program_networks(graph, Program.objects.filter(pk__in=roles.values("program")))
    add_units(graph, Organization.objects.filter(pk__in=organization_ids))
    return graph


def radial_layout(graph, centre, nodes):
    """Positions within the unit square of a component drawn around its centre: each node
    on the ring of its distance from the centre, within the arc of the neighbour it is
    reached through, arcs sized by how many nodes they hold. An organization's or a
    network's neighbourhood reads best so, and costs time in proportion to its size,
    where a force-directed layout costs the square of it for each of its iterations."""
    children, order, depth = {centre: []}, [centre], {centre: 0}
    for parent, child in graph.subgraph(nodes).bfs_edges(centre, sort_neighbors=sorted):
        children[parent].append(child)
        children[child] = []
        order.append(child)
        depth[child] = depth[parent] + 1
    leaves = {}
    for node in reversed(order):
        leaves[node] = sum(leaves[child] for child in children[node]) or 1
    rings = depth[order[-1]]
    positions, arcs = {centre: (0.5, 0.5)}, {centre: (0.0, 2 * math.pi)}
    for node in order:
        start, end = arcs[node]
        for child in children[node]:
            share = (end - start) * leaves[child] / leaves[node]
            arcs[child] = (start, start + share)
            angle, radius = start + share / 2, 0.5 * depth[child] / rings
            positions[child] = (0.5 + radius * math.cos(angle), 0.5 + radius * math.sin(angle))
            start += share
    return positions


def component_layout(graph, nodes, centre=None):
    """Positions of one connected component within the unit square."""
    if len(nodes) == 1:
        return {next(iter(nodes)): (0.5, 0.5)}
    if centre in nodes:
        return radial_layout(graph, centre, nodes)
    import networkx

    positions = networkx.spring_layout(
        graph.subgraph(nodes).as_networkx(), seed=7, k=1.5 / math.sqrt(len(nodes)), iterations=80
    )
    xs = [x for x, _y in positions.values()]
    ys = [y for _x, y in positions.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1, (max(ys) - min(ys)) or 1
    return {
        key: ((x - min(xs)) / span_x, (y - min(ys)) / span_y) for key, (x, y) in positions.items()
    }


def layout(graph, width, height, margin=50):
    """Lay out each connected component on its own and pack them in rows (largest first),
    so that separate clusters do not leave the drawing mostly empty."""
    components = sorted(graph.graph.connected_components(), key=lambda c: (-len(c), min(c)))
    if not components:
        return {}
    sides = [math.sqrt(len(component)) for component in components]
    row_width = max(max(sides), math.sqrt(sum(side * side for side in sides) * width / height))
    cells, x, y, row_height = [], 0.0, 0.0, 0.0
    for side in sides:
        if x > 0 and x + side > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        cells.append((x, y, side))
        x, row_height = x + side, max(row_height, side)
    total_width, total_height = row_width, y + row_height
    scale = min((width - 2 * margin) / total_width, (height - 2 * margin) / total_height)
    positions = {}
    for component, (cell_x, cell_y, side) in zip(components, cells, strict=True):
        inner = 0.15 * side if len(component) > 1 else 0
        for key, (u, v) in component_layout(graph.graph, component, graph.centre).items():
            px = cell_x + inner + u * (side - 2 * inner) if inner else cell_x + side / 2
            py = cell_y + inner + v * (side - 2 * inner) if inner else cell_y + side / 2
            positions[key] = (margin + px * scale, margin + py * scale)
    return positions


# The drawing is written with f-strings, escaping only its text (names, addresses, titles):
# format_html on every node and tie cost as much as laying the graph out. Numbers and the
# colours of NODE_STYLES need no escaping.


def shape(kind, x, y, radius, colour):
    if kind == "network":
        return (
            f'<rect x="{x - radius:.1f}" y="{y - radius:.1f}" width="{2 * radius}" '
            f'height="{2 * radius}" fill="{colour}"/>'
        )
    if kind == "program":
        points = (
            f"{x:.1f},{y - radius * 1.3:.1f} {x + radius * 1.3:.1f},{y:.1f} "
            f"{x:.1f},{y + radius * 1.3:.1f} {x - radius * 1.3:.1f},{y:.1f}"
        )
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{colour}"/>'


def short(label, length=14):
    return label if len(label) <= length else label[: length - 1] + "…"


def render_svg(graph, *, width=900, height=600, title=""):
    """The graph as an accessible inline SVG: every node is a link with its full name."""
    positions = layout(graph, width, height)
    centre = graph.centre
    edges = "\n".join(
        f'<line x1="{positions[a][0]:.1f}" y1="{positions[a][1]:.1f}" '
        f'x2="{positions[b][0]:.1f}" y2="{positions[b][1]:.1f}">'
        f"<title>{escape(data['label'])}</title></line>"
        for a, b, data in graph.graph.edges(data=True)
    )
    nodes = []
    for key, data in sorted(graph.graph.nodes(data=True), key=lambda item: item[0]):
        x, y = positions[key]
        kind, label = escape(data["kind"]), escape(data["label"])
        _kind_label, _shape, colour = NODE_STYLES[data["kind"]]
        radius = 14 if key == centre else 9
        nodes.append(
            f'<a href="{escape(data["url"])}" class="node node-{kind}'
            f'{" centre" if key == centre else ""}" data-key="{escape(key)}" '
            f'aria-label="{label}"><title>{label}</title>'
            f"{shape(data['kind'], x, y, radius, colour)}"
            f'<text x="{x:.1f}" y="{y + radius + 13:.1f}">{escape(short(data["label"]))}</text>'
            f"</a>"
        )
    nodes = "\n".join(nodes)
    return mark_safe(  # every text in it is escaped above
        f'<svg class="graph" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f'<g class="edges">{edges}</g><g class="nodes">{nodes}</g></svg>'
    )
