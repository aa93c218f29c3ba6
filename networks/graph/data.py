"""The graph as the interactive drawing (graph.js) reads it: JSON written from the same
RelationshipGraph as the SVG, with the same short labels and the same positions, so that
the two drawings agree and the labels the server kept apart stay apart."""

from networks.graph.layout import FONT_SIZE, label_width, placed


def graph_data(graph, *, width, height, year=None):
    """The first year a tie is dated from (for the year slider); nodes (id, label, full
    name, kind, country, url, position) and edges (source, target, role, start and end as
    people read them), as of `year` if given. The nodes keep the
    places they have in the graph of every year, so that moving through the years moves
    nothing but the ties."""
    labels = graph.short_labels()
    positions, height = placed(graph, labels, width, height)
    shown = graph.in_year(year) if year else graph
    nodes = [
        {
            "id": key,
            "label": labels[key],
            "name": data["label"],
            "kind": data["kind"],
            "country": data["country"],
            "url": data["url"],
            "centre": key == graph.centre,
            "label_width": round(label_width(labels[key], bold=key == graph.centre)),
            "x": round(positions[key][0], 1),
            "y": round(positions[key][1], 1),
        }
        for key, data in shown.graph.nodes(data=True)
    ]
    edges = [
        {
            "id": f"{a}|{b}",
            "source": a,
            "target": b,
            "label": tie["label"],
            "start": tie["start"],
            "end": tie["end"],
        }
        for a, b, tie in shown.graph.edges(data=True)
    ]
    starts = [
        tie["start_date"].year for _a, _b, tie in graph.graph.edges(data=True) if tie["start_date"]
    ]
    return {
        "first_year": min(starts, default=None),
        "width": width,
        "height": round(height),
        "font_size": FONT_SIZE,
        "truncated": graph.truncated,
        "year": year,
        "nodes": nodes,
        "edges": edges,
    }
