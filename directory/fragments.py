"""Pieces of pages cached rendered until the data change (website.cache).

An organization's page draws the networks and programs around it as a graph: two or three
more queries, a layout and an SVG. The graph depends on the data and the language alone,
not on who asks, so it is cached rendered per language; every visitor, editor and token
client then shares it, where the page cache serves whole pages to anonymous visitors only.
"""

from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from website.cache import cache_key, cached


def cached_fragment(name, render):
    """The HTML `render()` makes, cached under `name` (which says what it draws) and the
    active language."""
    return mark_safe(cached(cache_key("fragment", get_language(), name), lambda: str(render())))
