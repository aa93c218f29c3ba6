"""Where each node is drawn: each connected component laid out on its own (in rings around
the graph's centre, or by networkx's force-directed layout for a cluster without one) and the
components packed in rows."""

import functools
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


# A label's size in the drawing's units, as the site's sans-serif (DejaVu Sans, or wider)
# draws it at FONT_SIZE: each character's width in ems, rounded up, so that an estimate is
# never short of the label drawn. svg.py and the interactive graph's style draw labels so.
FONT_SIZE = 11
LABEL_GAP = 4  # between a node and its label
LABEL_HEIGHT = 15
WIDE_LETTERS = set("mwMW@%")
SPACING = 6  # kept clear between two nodes' boxes (node and label)


def char_em(char):
    from networks.graph.labels import char_width

    if char_width(char) == 2 or char == "…":
        return 1.0
    if char in WIDE_LETTERS:
        return 1.0
    if char.isupper():
        return 0.78
    if char.islower() or char.isdigit():
        return 0.64
    if char == " ":
        return 0.34
    return 0.6


def label_width(label, bold=False):
    return sum(char_em(char) for char in label) * FONT_SIZE * (1.1 if bold else 1)


def node_radius(kind, centre=False):
    """The radius a node is drawn with, and the half-size of its shape (a program's diamond
    reaches further)."""
    radius = 14 if centre else 9
    return radius, radius * 1.3 if kind == "program" else radius


def node_box(kind, label, centre=False):
    """The space a node and its label take around the node's centre: (left, top, right,
    bottom) distances."""
    _radius, reach = node_radius(kind, centre)
    half = max(label_width(label, bold=centre) / 2, reach)
    return half, reach, half, reach + LABEL_GAP + LABEL_HEIGHT


def stretched(positions, width, height, margin):
    """Positions moved and scaled, each axis on its own, so that the nodes reach the
    drawing's margins: a ring of a few neighbours fills a wide box instead of a square in
    its left third."""
    if len(positions) < 2:
        return {key: (width / 2, height / 2) for key in positions}
    xs = [x for x, _y in positions.values()]
    ys = [y for _x, y in positions.values()]

    def axis(value, low, high, size):
        if high - low < 1e-9:
            return size / 2
        return margin + (value - low) / (high - low) * (size - 2 * margin)

    return {
        key: (axis(x, min(xs), max(xs), width), axis(y, min(ys), max(ys), height))
        for key, (x, y) in positions.items()
    }


def offsets(width, height, step=6):
    """Moves from a node's place, nearer first: ring after ring of the grid of `step`
    around it (nearest first within a ring), as far as the drawing reaches."""
    yield 0, 0
    for ring in range(1, int(max(width, height) // step) + 1):
        for dx, dy in ring_moves(ring):
            yield dx * step, dy * step


@functools.cache
def ring_moves(ring):
    """The moves of one ring of the grid, nearest first: the same for every node placed,
    so sorted once."""
    moves = [(dx, -ring) for dx in range(-ring, ring + 1)]
    moves += [(dx, ring) for dx in range(-ring, ring + 1)]
    moves += [(-ring, dy) for dy in range(-ring + 1, ring)]
    moves += [(ring, dy) for dy in range(-ring + 1, ring)]
    return tuple(sorted(moves, key=lambda move: (move[0] ** 2 + move[1] ** 2, move)))


class Boxes:
    """The boxes placed so far, found by the cells of a grid they cover."""

    CELL = 64

    def __init__(self):
        self.cells = {}

    def covered(self, box):
        left, top, right, bottom = box
        for column in range(int(left // self.CELL), int(right // self.CELL) + 1):
            for row in range(int(top // self.CELL), int(bottom // self.CELL) + 1):
                yield column, row

    def free(self, box):
        left, top, right, bottom = box
        for cell in self.covered(box):
            for other_left, other_top, other_right, other_bottom in self.cells.get(cell, ()):
                if (
                    left < other_right + SPACING
                    and other_left < right + SPACING
                    and top < other_bottom + SPACING
                    and other_top < bottom + SPACING
                ):
                    return False
        return True

    def add(self, box):
        for cell in self.covered(box):
            self.cells.setdefault(cell, []).append(box)


# Of a drawing's area, the share its boxes can fill once they are kept SPACING apart near
# where the layout put them: a drawing whose boxes need more is made taller from the start.
FILLED_AT_MOST = 0.7


def needed_height(boxes, width, height):
    """The height at which the boxes can all be placed: the drawing's own, or taller where
    their area (with their spacing) passes FILLED_AT_MOST of it. Growing a crowded drawing
    a step at a time tried every free place of every step first, which cost a network of 150
    members seconds."""
    area = sum(
        (left + right + SPACING) * (top + bottom + SPACING)
        for left, top, right, bottom in boxes.values()
    )
    return max(height, area / FILLED_AT_MOST / width)


def separated(positions, boxes, width, height, order):
    """Positions moved, as little as needed, so that no two nodes' boxes (node and label)
    overlap: the nodes are placed one by one in `order`, each at the free place nearest to
    its own. Where the drawing is too crowded for that, it grows taller (the height
    returned)."""
    taller = needed_height(boxes, width, height)
    if taller > height:
        positions = {key: (x, y * taller / height) for key, (x, y) in positions.items()}
        height = taller
    while True:
        placed_boxes, found = Boxes(), {}
        for key in order:
            x, y = positions[key]
            left, top, right, bottom = boxes[key]
            for dx, dy in offsets(width, height):
                px, py = x + dx, y + dy
                if px - left < 2 or py - top < 2:
                    continue
                if px + right > width - 2 or py + bottom > height - 2:
                    continue
                box = (px - left, py - top, px + right, py + bottom)
                if placed_boxes.free(box):
                    placed_boxes.add(box)
                    found[key] = (px, py)
                    break
            else:
                break
        if len(found) == len(order):
            return found, height
        positions = {key: (x, y * 1.2) for key, (x, y) in positions.items()}
        height *= 1.2


def placed(graph, labels, width, height, margin=50):
    """Where each node is drawn in a width by height drawing, its label `labels[key]` below
    it: laid out (layout()), stretched to the margins and nudged until no labels overlap.
    Returns the positions and the drawing's height (taller if it was too crowded)."""
    positions = stretched(layout(graph, width, height, margin), width, height, margin)
    boxes = {
        key: node_box(data["kind"], labels[key], key == graph.centre)
        for key, data in graph.graph.nodes(data=True)
    }
    # The centre first, then the nodes with most ties: they keep their places.
    order = sorted(
        positions,
        key=lambda key: (key != graph.centre, -len(graph.graph.adjacency[key]), key),
    )
    return separated(positions, boxes, width, height, order)
