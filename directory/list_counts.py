"""The counts a list page or an API list shows, cached until the data change
(website.cache).

A list page counts the records its filters select, and the organization list also counts
them under each value of each facet. Counting is the one part of a page whose cost grows
with the data: it reads every selected record, where the page of 25 it shows costs the same
at any size.

The counts depend on the filters alone: not on the page, the language or who asks. Cached
under the filters, they serve every page of a selection, in both languages, to visitors and
editors alike, where the page cache (website.page_cache) serves one address to anonymous
visitors. A large selection, the only kind that is slow to count, is then counted once after
each change to the data; a small one is quick to count anyway.

The API's lists (directory.api.common.DirectoryViewSet) cache their count the same way,
under the same key as the list page of the same filters, so each serves the other. (An
unfiltered list's count is read from TableRows either way.)
"""

from website.cache import cache_key, cached_many


def selection_counts(filterset, records, counted=None):
    """{"count": how many `records` there are, **counted(records)}: `records` being what
    `filterset` selects, and `counted` what else a page counts of them (its facets).

    The count and what `counted` counts are cached apart, so that a list page and the API's
    list of the same selection share its count."""
    count_key = counts_key(filterset)
    counted_key = counts_key(filterset, counted) if counted else None

    def count(missing):
        counts = {}
        if count_key in missing:
            counts[count_key] = records.count()
        if counted_key in missing:
            counts[counted_key] = counted(records)
        return counts

    found = cached_many([count_key, counted_key] if counted else [count_key], count)
    return {"count": found[count_key], **(found[counted_key] if counted else {})}


def counts_key(filterset, counted=None):
    """The key of the selection's count, or of what `counted` counts of it: the filters that
    select the records, as the request gave them, each filter's non-empty values in a fixed
    order. Other parameters (the page, a campaign's tag) do not change the selection and
    share its counts."""
    chosen = sorted(
        (name, values)
        for name in filterset.filters
        if (values := [value for value in filterset.data.getlist(name) if value])
    )
    counts = f"{counted.__module__}.{counted.__qualname__}" if counted else "count"
    return cache_key("list-counts", filterset._meta.model._meta.label_lower, chosen, counts)
