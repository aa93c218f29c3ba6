"""The grouped search: for each kind of record, how many match (up to a cap) and the first
few, ranked as directory.search.queries ranks a full list.

It takes at most COUNT_CAP + 1 hits from the index and ranks them in place; only a query with
more hits than that ("基金会", "foundation") asks the index again, for the first ten by id of
each rank, so that a word found in many records costs about the same as a rare one.
Its count stops at COUNT_CAP ("100+"): counting further reads rows in proportion to the
count. Answers over the cap still cost more as the data grow; with Redis they are cached
until the data change (website.search_answers).
"""

from django.db import connections

from directory.search.indexes import fts_table, grams_table
from directory.search.queries import (
    chinese_grams,
    described_terms,
    fts_anywhere,
    fts_phrase,
    too_short,
)
from directory.search.text import exact, prefix, search_terms

# The ranks, best first, and how a term is wrapped to find each in the names.
EXACT, PREFIX, NAME, ANY = "exact", "prefix", "name", "any"
RANKS = [(EXACT, exact), (PREFIX, prefix), (NAME, str)]
# The grouped search counts to here; the full list behind a group's link has the exact count.
COUNT_CAP = 100


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def hits(model, vendor, terms, rank, cap, by_id=True):
    """SQL (and its parameters) selecting, as "id", up to `cap` records whose names (or, for
    ANY, names or descriptions) contain one of the terms, wrapped for the rank. Each is served
    by an index where one exists and stops after `cap` hits, the first ones by id if
    `by_id` (cheap on SQLite, where FTS5 reads in rowid order; on PostgreSQL the planner
    weighs walking the primary key against sorting the index's hits), else any."""
    wrap = dict(RANKS).get(rank, str)
    wrapped = [wrap(term) for term in terms]
    short, grams = too_short(terms), chinese_grams(terms)
    table = model._meta.db_table
    order = "ORDER BY id" if by_id else ""
    if vendor == "sqlite" and (grams or not short):
        fts = grams_table(model) if grams else fts_table(model)
        phrases = " OR ".join(fts_phrase(term) for term in wrapped)
        if grams:
            query = f"({phrases})"
        elif rank == ANY:
            query = fts_anywhere(wrapped)
        else:
            query = f"search_names : ({phrases})"
        return (
            f'SELECT rowid AS id FROM "{fts}" WHERE "{fts}" MATCH %s '
            f"{'ORDER BY rowid' if by_id else ''} LIMIT %s",
            [query, cap],
        )
    if vendor == "postgresql" and grams:
        return (
            f"SELECT id FROM \"{table}\" WHERE string_to_array(search_grams, ' ') && "
            f"%s::text[] {order} LIMIT %s",
            [wrapped, cap],
        )
    if vendor == "postgresql" and not short:
        looked_for = [("search_names", wrapped)]
        if rank == ANY:
            looked_for.append(("search_description", described_terms(wrapped)))
        conditions = [
            (f'"{column}" LIKE %s', f"%{escape_like(term)}%")
            for column, column_terms in looked_for
            for term in column_terms
        ]
        where = " OR ".join(condition for condition, _pattern in conditions)
        return (
            f'SELECT id FROM "{table}" WHERE {where} {order} LIMIT %s',
            [*(pattern for _condition, pattern in conditions), cap],
        )
    position = "instr" if vendor == "sqlite" else "strpos"
    where = " OR ".join(f'{position}("search_names", %s) > 0' for _term in wrapped)
    return f'SELECT id FROM "{table}" WHERE {where} {order} LIMIT %s', [*wrapped, cap]


def rank_order(vendor, terms):
    """SQL (and parameters) ordering rows "r" as `search` ranks them: exact name, name
    prefix, name substring, then the rest (matches in descriptions only)."""
    position = "instr" if vendor == "sqlite" else "strpos"
    cases, params = [], []
    for _rank, wrap in RANKS:
        cases.append(" OR ".join(f'{position}(r."search_names", %s) > 0' for _term in terms))
        params += [wrap(term) for term in terms]
    whens = " ".join(f"WHEN {condition} THEN {number}" for number, condition in enumerate(cases))
    return f"CASE {whens} ELSE {len(RANKS)} END, r.id", params


def first_matches(model, text, limit, using="default", only=None):
    """The grouped search: (count, whether the count is exact, the first `limit` records),
    ranked as `search` ranks them: exact name, name prefix, name substring, descriptions
    only; then the order records were made in. With `only`, the records hold just those
    fields and their primary key: a summary shows a few short columns, and the searched
    texts and the descriptions are the longest.

    The first statement takes every hit, up to COUNT_CAP + 1, from the index, and ranks
    them in place: when there are no more than COUNT_CAP, that is the whole answer, found
    with one index search. When there are more, a second statement takes the first `limit`
    records by id of each rank, each rank from the index by itself, and ranks those few.
    Ranking every match, as `search` does for full lists, would cost as much as the matches
    are many; searching the index once per rank costs more than needed when they are few
    (a long query's trigrams are each common)."""
    terms = search_terms(text)
    if not terms:
        return 0, True, []
    connection = connections[using]
    vendor = connection.vendor
    ranks = [rank for rank, _wrap in RANKS] + ([] if too_short(terms) else [ANY])
    table = model._meta.db_table
    fields = read_fields(model, only)
    columns = ", ".join(f'r."{field.column}"' for field in fields)
    order, order_params = rank_order(vendor, terms)

    def rows(ctes, cte_params, candidates, extra=""):
        sql = (
            f'WITH {", ".join(ctes)} SELECT {columns}{extra} FROM "{table}" AS r '
            f"WHERE r.id IN ({candidates}) ORDER BY {order} LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*cte_params, *order_params, limit])
            return cursor.fetchall()

    def cte(name, rank, cap, by_id=True, unless_found=()):
        """A rank's hits as a CTE; with `unless_found`, the CTEs of better ranks, none if
        these already hold `limit` records, which the hits could not come before."""
        sql, params = hits(model, vendor, terms, rank, cap, by_id)
        where = ""
        if unless_found:
            found = " UNION ".join(f"SELECT id FROM {earlier}" for earlier in unless_found)
            where = f" WHERE (SELECT COUNT(*) FROM ({found}) AS {name}_found) < %s"
            params = [*params, limit]
        return f"{name} AS MATERIALIZED (SELECT * FROM ({sql}) AS {name}_hits{where})", params

    counted, counted_params = cte("counted", ranks[-1], COUNT_CAP + 1, by_id=False)
    page = rows(
        [counted],
        counted_params,
        "SELECT id FROM counted",
        extra=", (SELECT COUNT(*) FROM counted)",
    )
    total = page[0][-1] if page else 0
    if total > COUNT_CAP:
        names = [f"h{number}" for number in range(len(ranks))]
        ctes, params = zip(
            *(
                cte(name, rank, limit, unless_found=names[:number])
                for number, (name, rank) in enumerate(zip(names, ranks, strict=True))
            ),
            strict=True,
        )
        union = " UNION ".join(f"SELECT id FROM {name}" for name in names)
        page = rows(ctes, [param for group in params for param in group], union)
    names = [field.attname for field in fields]
    records = [model.from_db(using, names, row[: len(names)]) for row in page]
    return min(total, COUNT_CAP), total <= COUNT_CAP, records


def read_fields(model, only=None):
    """The model's concrete fields named in `only` and its primary key, or all of them."""
    fields = model._meta.concrete_fields
    if only is None:
        return fields
    unknown = set(only) - {field.name for field in fields}
    if unknown:
        raise ValueError(f"{model.__name__} has no columns {sorted(unknown)}.")
    return [field for field in fields if field.primary_key or field.name in only]
