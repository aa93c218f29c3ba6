"""Citations edited in the admin as rows, one citation a row, instead of JSON typed in a box.

Each row is the fact cited (a field of the record, or the record itself), the source that
states it, where in the source (¶13, p. 4) and the passage quoted. The rows are plain form
controls posted under indexed names (citations-0-field, citations-0-source, …): no script is
needed, as the site's Content-Security-Policy allows none inline. The page shows the record's
citations followed by a few empty rows; each save adds what was written in them, and shows
empty rows again for more.

A row whose source is empty is left out: emptying the source of a saved citation removes it.
A new row with a passage or a location written in it but no source is refused, as a source
forgotten rather than a row left empty. The model's Citations.checked_citations remains the
one check of what is kept (fields that can be cited, sources that exist, lengths, repeats);
its errors show on the field.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

# What a citation holds, in the order a row shows it.
PARTS = ("field", "source", "location", "passage")
# A hidden mark on the rows that show a citation already saved: emptying such a row's
# source removes the citation, while a new row written in without a source is refused.
SAVED = "saved"
LOCATION_MAX_LENGTH = 100


def fact_choices(model):
    """The facts a record of `model` may cite, as (field name, label) in the order of the
    model's fields, "" (the record itself) first. The labels are the fields' verbose names,
    translated when the page is drawn."""
    citable = model.citable_fields()
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [
        ("", _("The record itself")),
        *((field.name, capfirst(field.verbose_name)) for field in fields if field.name in citable),
    ]


def source_choices():
    """Every source, as (slug, "title (slug)"), by title."""
    from directory.models import Source

    sources = Source.objects.order_by("title", "slug").values_list("slug", "title")
    return [(slug, f"{Truncator(title).chars(70)} ({slug})") for slug, title in sources]


def row_values(row):
    """The four parts of a row or citation, each a string without surrounding spaces."""
    return {part: str(row.get(part) or "").strip() for part in PARTS}


class CitationRowsWidget(forms.Widget):
    """A table of citations, one a row, followed by `empty_rows` empty rows to add more."""

    template_name = "directory/widgets/citation_rows.html"
    # The rows are a group of controls; the field's label leads to the first of them.
    use_fieldset = True
    empty_rows = 2

    def __init__(self, facts=(), attrs=None):
        super().__init__(attrs)
        self.facts = list(facts)

    def pattern(self, name):
        parts = "|".join((*PARTS, SAVED))
        return re.compile(rf"{re.escape(name)}-(\d+)-({parts})")

    def value_from_datadict(self, data, files, name):
        """The posted rows in their order, each with its four parts and whether it shows a
        saved citation; None when the form posted no rows at all."""
        pattern = self.pattern(name)
        numbers = sorted({int(found[1]) for key in data if (found := pattern.fullmatch(key))})
        if not numbers:
            return None
        return [
            {
                **{part: data.get(f"{name}-{number}-{part}", "") for part in PARTS},
                SAVED: data.get(f"{name}-{number}-{SAVED}") == "1",
            }
            for number in numbers
        ]

    def value_omitted_from_data(self, data, files, name):
        # A form posted without any row leaves the record's citations as they are.
        pattern = self.pattern(name)
        return not any(pattern.fullmatch(key) for key in data)

    def format_value(self, value):
        """The rows to show: each citation (a stored one is saved) or posted row, in its
        place so that a row keeps its number, then empty rows to make `empty_rows`."""
        rows = [
            {**row_values(citation), SAVED: bool(citation.get(SAVED, True))}
            for citation in (value if isinstance(value, list) else [])
            if isinstance(citation, dict)
        ]
        empty = {**dict.fromkeys(PARTS, ""), SAVED: False}
        trailing = 0
        while trailing < len(rows) and not any(rows[-1 - trailing][part] for part in PARTS):
            trailing += 1
        return [*rows, *([empty] * max(0, self.empty_rows - trailing))]

    def id_for_label(self, id_):
        return f"{id_}-0-field" if id_ else id_

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        rows = context["widget"]["value"]
        facts = with_unknown(self.facts, {row["field"] for row in rows})
        sources = with_unknown(source_choices(), {row["source"] for row in rows})
        id_ = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"].update(
            table_id=id_,
            facts=facts,
            sources=sources,
            location_max_length=LOCATION_MAX_LENGTH,
            rows=[
                {
                    **row,
                    "number": number + 1,
                    "names": {part: f"{name}-{number}-{part}" for part in (*PARTS, SAVED)},
                    "ids": {part: f"{id_}-{number}-{part}" for part in PARTS},
                }
                for number, row in enumerate(rows)
            ],
        )
        return context


def with_unknown(choices, values):
    """The choices, with any value shown that is not one of them (a field since removed, a
    source's former slug) kept as it is, so that saving the page does not change it
    silently: the model's check then says what is wrong with it."""
    known = {value for value, _label in choices}
    return [*choices, *((value, value) for value in sorted(values - known - {""}))]


class CitationRowsField(forms.Field):
    """The citations of a record of `model`, cleaned to a list of {"field", "source",
    "location", "passage"}; the model's checked_citations then checks them."""

    widget = CitationRowsWidget

    def __init__(self, *, model, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", CitationRowsWidget(facts=fact_choices(model)))
        super().__init__(**kwargs)

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
            raise ValidationError(_("Write each citation in a row of its own."), code="invalid")
        citations, unsourced = [], []
        for number, row in enumerate(value, start=1):
            citation = row_values(row)
            if citation["source"]:
                citations.append(citation)
            elif (citation["passage"] or citation["location"]) and not row.get(SAVED):
                unsourced.append(str(number))
        if unsourced:
            raise ValidationError(
                ngettext(
                    "Row %(rows)s quotes a passage or gives a location but has no source: "
                    "choose the source, or clear the passage and location to leave the row out.",
                    "Rows %(rows)s quote a passage or give a location but have no source: "
                    "choose their sources, or clear their passages and locations to leave "
                    "them out.",
                    len(unsourced),
                )
                % {"rows": ", ".join(unsourced)},
                code="no_source",
            )
        return citations

    def bound_data(self, data, initial):
        # A form posted without any row keeps the record's citations (value_omitted_from_data).
        return initial if data is None else data

    def has_changed(self, initial, data):
        if self.disabled or data is None:
            return False
        try:
            rows = self.to_python(data)
        except ValidationError:
            return True
        before = [row_values(citation) for citation in initial or [] if isinstance(citation, dict)]
        return rows != before
