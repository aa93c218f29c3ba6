"""Pieces of pages kept rendered in the shared cache until the data change.

An organization's page draws the networks and programs around it as a graph: two or three
more queries, a layout and an SVG, some 4 of its 14 ms at 100,000 organizations on
PostgreSQL.
The graph depends on the data and the language alone, not on who asks, so it is kept
rendered under the data's generation (website.cache), which any change moves on, and
the language; every visitor, editor and token client then shares it, where the page cache
keeps whole pages for anonymous visitors only.

Only with a cache that every worker shares (Redis): FRAGMENT_CACHE_SECONDS, 0 turns it off.
"""

from django.conf import settings
from django.core.cache import cache
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from website.cache import current_generation


def kept_fragment(name, render):
    """The HTML `render()` makes, kept under `name` (which says what it draws), the data's
    generation and the active language."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if not seconds:
        return render()
    # The generation is read before rendering: a fragment rendered across a change is then
    # kept under the generation before it, where no one looks.
    key = f"fragment:{current_generation()}:{get_language()}:{name}"
    fragment = cache.get(key)
    if fragment is None:
        fragment = str(render())
        cache.set(key, fragment, seconds)
    return mark_safe(fragment)
