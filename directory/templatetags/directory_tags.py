import json

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def jsonld(data):
    """A schema.org JSON-LD block. Characters that could end the script element (<, >, &)
    are escaped, so text that editors enter cannot break out of it."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_json_script_escapes)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')
