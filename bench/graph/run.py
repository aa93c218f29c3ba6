"""The server-side graph's layout (networks.graph.layout.placed) of a network's page with
many members: a star of N organizations around a network, as network_neighbourhood draws
one (up to FULL_GRAPH_LIMIT members), in a 720 by 440 drawing.

    make bench-graph            # or: python -m bench.graph.run

Two ways of making a crowded drawing tall enough, each timed on the same graphs in
alternating rounds: the drawing made tall enough at once (needed_height, what the site
does), and grown a step at a time until every label fits (needed_height turned off: how the
site did it before). Prints the median time per size with the fastest and slowest round,
and the drawing's height. BENCH_GRAPH_SIZES [25,50,100,150], BENCH_GRAPH_ROUNDS [5].
"""

import importlib
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setting(name, default):
    return os.environ.get(name, "").strip() or default


def star(size):
    from networks.graph.structure import RelationshipGraph

    graph = RelationshipGraph()
    graph.centre = graph.add_node(
        "network", {"slug": "crowded", "name_en": "Crowded network", "name_zh": ""}
    )
    for number in range(size):
        member = graph.add_node(
            "organization",
            {"slug": f"member-{number:03}", "name_en": f"Crowd member {number:03}", "name_zh": ""},
        )
        graph.add_tie(member, graph.centre, "member")
    return graph


def timed(graph, at_once):
    # The module, not networks.graph's function of the same name.
    layout = importlib.import_module("networks.graph.layout")

    original = layout.needed_height
    if not at_once:
        layout.needed_height = lambda boxes, width, height: height
    try:
        labels = graph.short_labels()
        started = time.perf_counter()
        _positions, height = layout.placed(graph, labels, 720, 440)
        return time.perf_counter() - started, height
    finally:
        layout.needed_height = original


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings")
    os.environ.setdefault("DEBUG", "true")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    sizes = [int(size) for size in setting("BENCH_GRAPH_SIZES", "25,50,100,150").split(",")]
    rounds = int(setting("BENCH_GRAPH_ROUNDS", "5"))
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(
        "| members | at once: median (min-max) | height | step by step: median (min-max) | height |"
    )
    print("|---:|---:|---:|---:|---:|")
    for size in sizes:
        graph = star(size)
        times = {True: [], False: []}
        heights = {}
        for number in range(rounds):
            # Alternate which goes first.
            for at_once in (True, False) if number % 2 == 0 else (False, True):
                seconds, heights[at_once] = timed(graph, at_once)
                times[at_once].append(seconds)
        cells = []
        for at_once in (True, False):
            runs = times[at_once]
            cells.append(
                f"{statistics.median(runs) * 1000:,.0f} ms "
                f"({min(runs) * 1000:,.0f}-{max(runs) * 1000:,.0f}) | {heights[at_once]:,.0f}"
            )
        print(f"| {size} | {cells[0]} | {cells[1]} |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
