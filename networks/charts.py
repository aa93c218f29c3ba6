"""Bar charts drawn on the server as SVG (no script, no library): a title and a description
for screen readers, each bar with its own <title>, and the numbers in a table beside it."""

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

# Colours told apart by colour-blind readers (Okabe and Ito), then greys.
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
    "#999999",
    "#666666",
)

WIDTH, HEIGHT = 900, 360
LEFT, RIGHT, TOP, BOTTOM = 64, 8, 12, 76


@dataclass
class Series:
    """One stacked layer: its label and one value per bar."""

    label: str
    values: list
    colour: str = ""


def number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def ticks(highest, count=4):
    """Round values for the axis, from 0 to the first at or above `highest`."""
    if highest <= 0:
        return [0]
    steps = (m * 10**e for e in range(-2, 9) for m in (1, 2, 5))
    step = next(s for s in steps if s * count >= highest)
    return [round(step * i, 2) for i in range(math.ceil(highest / step) + 1)]


def bar_chart(name, labels, series, *, title, description, label_every=1):
    """Bars, one per label, each stacked from the series (in their order, from the axis up).
    `name` makes the ids of its title and description. Returns the SVG, safe in a page."""
    for index, layer in enumerate(series):
        layer.colour = layer.colour or PALETTE[index % len(PALETTE)]
    totals = [sum(layer.values[i] for layer in series) for i in range(len(labels))]
    scale = ticks(max(totals, default=0))
    top = scale[-1] or 1
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(labels), 1)
    bar = max(slot * 0.8, 1)

    def y(value):
        return TOP + plot_height * (1 - value / top)

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{name}-t {name}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{name}-t">{escape(title)}</title>',
        f'<desc id="{name}-d">{escape(description)}</desc>',
    ]
    for value in scale:
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" '
            f'y2="{y(value):.1f}"/><text class="axis" x="{LEFT - 6}" y="{y(value) + 4:.1f}" '
            f'text-anchor="end">{number(value)}</text>'
        )
    for i, label in enumerate(labels):
        x = LEFT + slot * i + (slot - bar) / 2
        base = 0
        for layer in series:
            value = layer.values[i]
            if value:
                parts.append(
                    f'<rect class="bar" x="{x:.1f}" y="{y(base + value):.1f}" width="{bar:.1f}" '
                    f'height="{y(base) - y(base + value):.1f}" fill="{layer.colour}">'
                    f"<title>{escape(label)}: {escape(layer.label)} {number(value)}</title></rect>"
                )
            base += value
        if i % label_every == 0:
            parts.append(
                f'<text class="axis" x="{x + bar / 2:.1f}" y="{HEIGHT - BOTTOM + 14}" '
                f'text-anchor="end" transform="rotate(-45 {x + bar / 2:.1f} '
                f'{HEIGHT - BOTTOM + 14})">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
