"""The grouped search's answers for common words, cached until the data change
(website.cache).

The grouped search (directory.search.first_matches) costs about as much as its answer holds,
at most COUNT_CAP records, except when more than COUNT_CAP records match. Then its first
statement takes every hit from the index before it stops at COUNT_CAP + 1 (a GIN index
answers with a bitmap of all its hits), and a second statement asks the index again for each
rank's first records. That cost grows with the data.

Only such answers are cached. The words that common are few, a vocabulary rather than the
long tail of what people type, and among the words typed most ("基金会", "foundation",
"北京"); an answer under the cap is quick to find again. They serve every client and
language alike. The search page and the API cache theirs apart, since they read different
fields and group sizes.
"""

from django.db import DEFAULT_DB_ALIAS

from directory.search import COUNT_CAP, first_matches, read_fields, search_terms
from website.cache import cache_key, cached_many


def grouped_matches(groups, text, limit):
    """first_matches(model, text, limit, only=only) for each (model, only) of `groups`, in
    their order, answers of more than COUNT_CAP matches taken from the cache when cached."""
    keys = [answer_key(model, text, limit, only) for model, only in groups]
    asked = dict(zip(keys, groups, strict=True))
    found = {}

    def search(missing):
        """Every missing answer, found now; those over the cap, to be cached, as rows."""
        over_the_cap = {}
        for key in missing:
            model, only = asked[key]
            found[key] = first_matches(model, text, limit, only=only)
            count, exact, records = found[key]
            if not exact:
                names = field_names(model, only)
                over_the_cap[key] = (
                    count,
                    [tuple(getattr(record, name) for name in names) for record in records],
                )
        return over_the_cap

    stored = cached_many(keys, search)
    answers = []
    for key, (model, only) in zip(keys, groups, strict=True):
        if key in found:
            answers.append(found[key])
            continue
        count, rows = stored[key]
        names = field_names(model, only)
        answers.append(
            (count, False, [model.from_db(DEFAULT_DB_ALIAS, names, row) for row in rows])
        )
    return answers


def field_names(model, only):
    return [field.attname for field in read_fields(model, only)]


def answer_key(model, text, limit, only):
    """The query as searched (its normalized terms: "Foundation " is "foundation"), the
    records looked in, how many of them and which of their fields."""
    return cache_key(
        "search",
        model._meta.label_lower,
        search_terms(text),
        limit,
        sorted(only) if only is not None else None,
    )


def counted_first(records, limit):
    """The grouped search's answer for records that have no search index of their own (the
    Committee's decisions and votes, found by the names and topics they hold): (the count up
    to COUNT_CAP, whether it is exact, the first `limit` in the records' order, as their
    for_listing() loads them). Two statements, the first reading no more than COUNT_CAP + 1
    keys."""
    keys = list(records.values_list("pk", flat=True)[: COUNT_CAP + 1])
    first = records.for_listing().filter(pk__in=keys[:limit]) if keys else []
    return min(len(keys), COUNT_CAP), len(keys) <= COUNT_CAP, list(first)
