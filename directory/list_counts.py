"""The counts a list page or an API list shows, kept in the shared cache until the data
change.

A list page counts the records its filters select, and the organization list also counts
them under each value of each facet. Counting is the one part of a page whose cost grows
with the data: it reads every selected record. Filtered to the 29,000 Chinese NGOs of
100,000 organizations, the list spent some 150 ms of 165 counting, on PostgreSQL; the page
of 25 it shows costs the same at any size (22 ms with its counts kept, 25 among 1,000).

The counts depend on the filters alone: not on the page, the language or who asks. Kept
under the filters, they serve every page of a selection, in both languages, to visitors and
editors alike, where the page cache (website.cache) keeps one address for anonymous
visitors. A large selection, the only kind that is slow to count, is then counted once after
each change to the data; a small one is quick to count anyway. Like the page cache, the
counts are kept under the data's generation, which any change moves on.

The API's lists (directory.api.common.DirectoryViewSet) keep their count the same way, under
the same key as the list page of the same filters, so each serves the other. Before, a
filtered API list counted its selection on every request: some 4 ms for the 29,000 Chinese
organizations of 100,000. (An unfiltered list's count is read from TableRows either way.)

Only with a cache that every worker shares (Redis): LIST_COUNTS_CACHE_SECONDS, 0 turns it
off.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

from website.cache import current_generation


def selection_counts(filterset, records, counted=None):
    """{"count": how many `records` there are, **counted(records)}: `records` being what
    `filterset` selects, and `counted` what else a page counts of them (its facets).

    The count and what `counted` counts are kept apart, so that a list page and the API's
    list of the same selection share its count."""
    seconds = settings.LIST_COUNTS_CACHE_SECONDS
    if not seconds:
        return {"count": records.count(), **(counted(records) if counted else {})}
    # The generation is read before counting: counts made across a change are then kept
    # under the generation before it, where no one looks.
    selection = counts_key(filterset, current_generation())
    count_key = f"{selection}:count"
    counted_key = f"{selection}:{counted.__module__}.{counted.__qualname__}" if counted else None
    kept = cache.get_many([count_key, counted_key] if counted else [count_key])
    fresh = {}
    if count_key not in kept:
        fresh[count_key] = records.count()
    if counted and counted_key not in kept:
        fresh[counted_key] = counted(records)
    if fresh:
        cache.set_many(fresh, seconds)
    found = {**kept, **fresh}
    return {"count": found[count_key], **(found[counted_key] if counted else {})}


def counts_key(filterset, generation):
    """The filters that select the records, as the request gave them: each filter's non-empty
    values, in a fixed order. Other parameters (the page, a campaign's tag) do not change the
    selection and share its counts."""
    chosen = sorted(
        (name, values)
        for name in filterset.filters
        if (values := [value for value in filterset.data.getlist(name) if value])
    )
    selection = repr((filterset._meta.model._meta.label_lower, chosen))
    digest = hashlib.sha256(selection.encode()).hexdigest()
    return f"list-counts:{generation}:{digest}"
