"""The graph drawn as server-side SVG (no script): every node a link to its record's page.
Pages show it as it is where script does not run; where it does, the interactive graph
(data.py, graph.js) takes its place."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from networks.graph.layout import node_radius, placed
from networks.graph.structure import NODE_STYLES, tie_title

# The drawing is written with f-strings, escaping only its text (names, addresses, titles):
# format_html on every node and tie cost as much as laying the graph out. Numbers and the
# colours of NODE_STYLES need no escaping.

UNDATED = ' class="undated"'  # a tie whose start is not recorded


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


def render_svg(graph, *, width=900, height=600, title=""):
    """The graph as an accessible inline SVG: every node is a link with its full name, its
    label short and distinct (labels.py), no two labels overlapping (layout.placed)."""
    labels = graph.short_labels()
    positions, height = placed(graph, labels, width, height)
    centre = graph.centre
    edges = "\n".join(
        f'<line x1="{positions[a][0]:.1f}" y1="{positions[a][1]:.1f}" '
        f'x2="{positions[b][0]:.1f}" y2="{positions[b][1]:.1f}"'
        f"{'' if data['start'] else UNDATED}>"
        f"<title>{escape(tie_title(data))}</title></line>"
        for a, b, data in graph.graph.edges(data=True)
    )
    nodes = []
    for key, data in sorted(graph.graph.nodes(data=True), key=lambda item: item[0]):
        x, y = positions[key]
        kind, label = escape(data["kind"]), escape(data["label"])
        _kind_label, _shape, colour = NODE_STYLES[data["kind"]]
        radius, reach = node_radius(data["kind"], key == centre)
        nodes.append(
            f'<a href="{escape(data["url"])}" class="node node-{kind}'
            f'{" centre" if key == centre else ""}" data-key="{escape(key)}" '
            f'aria-label="{label}"><title>{label}</title>'
            f"{shape(data['kind'], x, y, radius, colour)}"
            f'<text x="{x:.1f}" y="{y + reach + 13:.1f}">{escape(labels[key])}</text>'
            f"</a>"
        )
    nodes = "\n".join(nodes)
    return mark_safe(  # every text in it is escaped above
        f'<svg class="graph" viewBox="0 0 {width} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">'
        f'<g class="edges">{edges}</g><g class="nodes">{nodes}</g></svg>'
    )


def data_url(**filters):
    """The address of the graph's JSON (website.views.graph_data) for these filters."""
    query = urlencode({name: value for name, value in filters.items() if value})
    return f"{reverse('graph-data')}{'?' if query else ''}{query}"


def neighbourhood_figure(neighbourhood, title):
    """A record's neighbourhood as its page draws it, in the box every record's page gives
    it: the context the graph's template (includes/graph.html) takes."""
    return {
        "graph": neighbourhood,
        "graph_svg": render_svg(neighbourhood, width=720, height=440, title=title),
        "graph_data_url": data_url(centre=neighbourhood.centre),
        "graph_title": title,
    }
