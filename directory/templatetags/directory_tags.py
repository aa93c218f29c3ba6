import json

from django import template
from django.utils.html import _json_script_escapes, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def jsonld(data):
    """A schema.org JSON-LD block. Characters that could end the script element (<, >, &)
    are escaped, so text that editors enter cannot break out of it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def cite(context, record, *fields):
    """Note numbers beside a fact: the record's citations of these fields ("" for the record
    itself), each linking to its note at the foot of the page."""
    notes = context.get("citation_notes")
    if notes is None or not hasattr(record, "citations_of"):
        return ""
    numbers = sorted(
        {notes.number(citation) for field in fields for citation in record.citations_of(field)}
    )
    return format_html_join(
        "",
        '<sup class="note"><a href="#note-{}">[{}]</a></sup>',
        ((number, number) for number in numbers),
    )


@register.inclusion_tag("includes/notes.html", takes_context=True)
def citation_notes(context):
    notes = context.get("citation_notes")
    return {"notes": notes.entries() if notes is not None else []}


@register.simple_tag
def record_url(record, page):
    """The address of a record's `page` ("history", "report"): directory.record_pages."""
    from directory.record_pages import record_url as address

    return address(record, page)
