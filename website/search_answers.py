"""The grouped search's answers for common words, kept in the shared cache until the data
change.

The grouped search (directory.search.first_matches) costs about as much as its answer holds,
at most COUNT_CAP records, except when more than COUNT_CAP records match. Then its first
statement takes every hit from the index before it stops at COUNT_CAP + 1 (a GIN index
answers with a bitmap of all its hits), and a second statement asks the index again for each
rank's first records. That cost grows with the data: at 100,000 organizations on PostgreSQL,
"foundation" (9,163 organizations) took 6.4 ms of organizations' search, against 1.4 ms among
1,000 (97 organizations).

Only such answers are kept. The words that common are few, a vocabulary rather than the long
tail of what people type, and among the words typed most ("基金会", "foundation", "北京");
an answer under the cap is quick to find again. They are kept under the data's generation
(website.cache), which any change moves on, and serve every client and language alike.
The search page and the API keep theirs apart, since they read different fields and group
sizes.

Only with a cache that every worker shares (Redis): SEARCH_CACHE_SECONDS, 0 turns it off.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS

from directory.search import first_matches, read_fields, search_terms
from website.cache import current_generation


def grouped_matches(groups, text, limit):
    """first_matches(model, text, limit, only=only) for each (model, only) of `groups`, in
    their order, answers of more than COUNT_CAP matches taken from the cache when kept."""
    seconds = settings.SEARCH_CACHE_SECONDS
    if not seconds:
        return [first_matches(model, text, limit, only=only) for model, only in groups]
    # The generation is read before searching: an answer found across a change is then kept
    # under the generation before it, where no one looks.
    generation = current_generation()
    keys = [answer_key(generation, model, text, limit, only) for model, only in groups]
    kept = cache.get_many(keys)
    answers, fresh = [], {}
    for key, (model, only) in zip(keys, groups, strict=True):
        names = [field.attname for field in read_fields(model, only)]
        if key in kept:
            count, rows = kept[key]
            answers.append(
                (count, False, [model.from_db(DEFAULT_DB_ALIAS, names, row) for row in rows])
            )
            continue
        count, exact, records = first_matches(model, text, limit, only=only)
        if not exact:
            fresh[key] = (
                count,
                [tuple(getattr(record, name) for name in names) for record in records],
            )
        answers.append((count, exact, records))
    if fresh:
        cache.set_many(fresh, seconds)
    return answers


def answer_key(generation, model, text, limit, only):
    """The query as searched (its normalized terms: "Foundation " is "foundation"), the
    records looked in, how many of them and which of their fields."""
    asked = repr(
        (
            model._meta.label_lower,
            search_terms(text),
            limit,
            sorted(only) if only is not None else None,
        )
    )
    return f"search:{generation}:{hashlib.sha256(asked.encode()).hexdigest()}"
