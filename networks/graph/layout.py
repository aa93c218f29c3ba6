"""Where each node is drawn: each connected component laid out on its own (in rings around
the graph's centre, or by networkx's force-directed layout for a cluster without one) and the
components packed in rows."""

import math


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
