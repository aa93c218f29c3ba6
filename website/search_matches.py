"""Why a search result matched: the text it was found by, with the words looked for marked,
so a reader sees at once that "UNV" found the Beijing Volunteer Service Federation through
its description.

Worked out on the few records a search page shows, from the fields it read; the search
itself (directory.search) matches folded forms and pinyin, so a result may match by a form
not shown here (then it says so, without a passage)."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The fields a result may have matched by, in the order they are tried, with their labels.
# A search page reads those of them its records have (searched_fields).
FIELDS = [
    ("name_zh", _("name")),
    ("name_en", _("name")),
    ("venue_zh", _("venue")),
    ("venue_en", _("venue")),
    ("description_zh", _("description")),
    ("description_en", _("description")),
]
# Characters of context shown on each side of the words found in a long text.
CONTEXT = 40


@dataclass(frozen=True)
class Match:
    field: str
    label: str
    before: str
    found: str
    after: str


def searched_fields(model):
    """The fields of FIELDS the model has."""
    names = {field.name for field in model._meta.concrete_fields}
    return [name for name, _label in FIELDS if name in names]


def words(query):
    return [word for word in query.split() if word]


def marked(text, query, context=None):
    """(before, the word found, after) for the first word of the query the text holds (case
    aside), the sides cut to `context` characters if given; None if it holds none."""
    text = text or ""
    for word in words(query):
        # Found in the text itself, not in a folded copy, whose length may differ ("ß" folds
        # to "ss"), so that the positions are the text's.
        found = re.search(re.escape(word), text, re.IGNORECASE)
        if found is None:
            continue
        at, end = found.span()
        if context is None:
            return text[:at], text[at:end], text[end:]
        start, stop = max(at - context, 0), end + context
        before = ("…" if start else "") + text[start:at]
        return before, text[at:end], text[end:stop] + ("…" if stop < len(text) else "")
    return None


def first_match(record, query):
    """The first field of the record holding a word of the query, with the passage around
    it; None if none holds one as written."""
    for name, label in FIELDS:
        parts = marked(getattr(record, name, "") or "", query, CONTEXT)
        if parts:
            return Match(name, str(label), *parts)
    return None


@dataclass(frozen=True)
class Result:
    """A search result as its page shows it: the record, its name with the words found
    marked (None if the name holds none), and what else it matched by."""

    record: object
    name: tuple | None
    match: Match | None


def result(record, query):
    match = first_match(record, query)
    name = marked(getattr(record, "name", ""), query)
    shown = name is not None and match is not None and match.field.startswith("name_")
    return Result(record, name, None if shown else match)
