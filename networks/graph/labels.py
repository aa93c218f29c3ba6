"""Nodes' labels as drawn: short enough not to crowd the drawing, and distinct for distinct
nodes. A long name becomes its abbreviation if it has one, or its first words; where two
nodes would still read alike ("United Nations…" for UNV and for UNDP), each takes its next
choice: its first and last words (a Chinese name's first and last characters), its
initials, and at last a number.

Widths are counted in the drawing's units: a Latin letter is one, a Chinese character two
(it is about twice as wide)."""

import re
import unicodedata

MAX_WIDTH = 16
ELLIPSIS = "…"


def char_width(char):
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def text_width(text):
    return sum(char_width(char) for char in text)


def truncated(text, width=MAX_WIDTH):
    """The text's beginning within `width`, ended by an ellipsis; at a word's end where one
    is near enough."""
    kept, used = [], text_width(ELLIPSIS)
    for char in text:
        used += char_width(char)
        if used > width:
            break
        kept.append(char)
    head = "".join(kept)
    words = head.rsplit(" ", 1)
    if len(words) == 2 and text_width(words[0]) >= width / 2:
        head = words[0]
    return head.rstrip(" ,:;-\u2013\u2014") + ELLIPSIS


def initials(text):
    """The initials: "United Nations Development Programme" gives "UNDP"; None for fewer than two
    capitalized words (Chinese names have none)."""
    capitals = [word[0] for word in re.findall(r"[A-Za-z][\w'\u2019]*", text) if word[0].isupper()]
    return "".join(capitals) if 2 <= len(capitals) <= 5 else None


def first_and_last(text, width=MAX_WIDTH):
    """The first and the last word, "United…Programme", if they fit; for a name without
    spaces (a Chinese one), as many characters of its beginning and its end as fit:
    "中国青年…服务计划"."""
    words = text.split()
    if len(words) >= 3:
        candidate = f"{words[0]}{ELLIPSIS}{words[-1]}"
        return candidate if text_width(candidate) <= width else None
    if len(words) > 1:
        return None
    half = (width - text_width(ELLIPSIS)) / 2
    head = truncated(text, half + text_width(ELLIPSIS))[: -len(ELLIPSIS)]
    tail = truncated(text[::-1], half + text_width(ELLIPSIS))[: -len(ELLIPSIS)][::-1]
    return f"{head}{ELLIPSIS}{tail}" if head and tail else None


def choices(name, abbreviations):
    """A label's candidates, best first."""
    if text_width(name) <= MAX_WIDTH:
        return [name]
    fitting = [short for short in abbreviations if text_width(short) <= MAX_WIDTH]
    found = [*fitting, truncated(name), first_and_last(name), initials(name)]
    return [choice for choice in found if choice]


def short_labels(names):
    """For each (name, abbreviations) a label, distinct for distinct names: where several
    share one, each that has another choice moves on to it, until none is shared."""
    options = [choices(name, abbreviations) for name, abbreviations in names]
    picked = [0] * len(options)
    for _round in range(4):
        labels = [option[index] for option, index in zip(options, picked, strict=True)]
        sharing = {}
        for position, label in enumerate(labels):
            sharing.setdefault(label, []).append(position)
        moved = False
        taken = set(labels)
        for positions in sharing.values():
            if len(positions) < 2 or len({names[p][0] for p in positions}) < 2:
                continue
            for position in positions:
                rest = options[position][picked[position] + 1 :]
                free = [index for index, label in enumerate(rest) if label not in taken]
                if free:
                    picked[position] += free[0] + 1
                    taken.add(options[position][picked[position]])
                    moved = True
        if not moved:
            break
    labels = [option[index] for option, index in zip(options, picked, strict=True)]
    counts, numbered = {}, []
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
        numbered.append(label if labels.count(label) == 1 else f"{label} {counts[label]}")
    return numbered
