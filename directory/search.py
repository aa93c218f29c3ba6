"""Search the way people name organizations: Chinese substrings of any length, English names
and abbreviations in any case, full pinyin with or without spaces, and pinyin initials.

Each searchable record stores three normalized texts, written when it is saved:
  search_names        "ǂnameǂother nameǂpin yinǂpinyinǂinitialsǂ..." (one entry per form)
  search_description  its descriptions
  search_grams        the one- and two-character pieces of its Chinese names
All are lower-case NFKC text (full-width letters become half-width, curly quotes straight,
runs of spaces one space), so a plain, case-sensitive `contains` finds them on SQLite and on
PostgreSQL alike. The separators let a query tell an exact name (ǂqǂ) from a prefix (ǂq) from
a substring. The separator is a letter (U+01C2), not punctuation, so that pg_trgm and FTS5's
word tokenizer keep it: "ǂfoundationǂ" then has trigrams of its own, and an exact or prefix
match is an index lookup rather than a recheck of every record containing "foundation".

Indexes make `contains` fast without changing its answers. Queries of three or more
characters: on SQLite an FTS5 trigram table per model; on PostgreSQL a pg_trgm GIN index on
each column, which serves LIKE '%q%'. One- and two-character Chinese queries: the names' one-
and two-character pieces (search_grams), indexed as words by FTS5 on SQLite and as an array
by a GIN index on PostgreSQL. Other short queries scan the names.

The grouped search (first_matches) takes at most COUNT_CAP + 1 hits from the index and ranks
them in place; only a query with more hits than that ("基金会", "foundation") asks the index
again, for the first ten by id of each rank, so that a word found in one record of seven
costs about the same as a rare one. Its count stops at COUNT_CAP ("100+"): counting further
reads rows in proportion to the count (on PostgreSQL, a cap of 1,000 cost ten times a cap of
100 for such words). Answers over the cap still cost more as the data grow; with Redis they
are cached until the data change (website.search_answers).
"""

import re
import unicodedata
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    Q,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

SEPARATOR = "\u01c2"  # ǂ
# Curly and corner quotes fold to straight ones; the separator cannot occur inside a form.
QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u300c": '"',
        "\u300d": '"',
        "\u300e": '"',
        "\u300f": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        SEPARATOR: " ",
    }
)
SPACES = re.compile(r"\s+")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TRIGRAM = 3
SEARCHED_FIELDS = ("search_names", "search_description")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(QUOTES).casefold()
    return SPACES.sub(" ", text).strip()


def pinyin_syllables(text: str, initials=False) -> list[str]:
    """pypinyin's reading of the text, syllable by syllable (or their first letters).
    Imported on first use: its dictionaries take some 55 MB, which a web worker that only
    reads the directory never needs."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.FIRST_LETTER if initials else Style.NORMAL)


def pinyin_forms(chinese: str, reading: str = "") -> list[str]:
    """Pinyin of a Chinese name as typed by people: syllables spaced, joined, and initials.
    `reading` is an editor's correction ("shan ji xiang" for 单霁翔) that replaces the
    generated reading."""
    if not HAN.search(chinese or ""):
        return []
    syllables = (
        normalize(reading).split()
        if reading
        else [
            syllable for syllable in map(normalize, pinyin_syllables(chinese)) if syllable.isalnum()
        ]
    )
    if reading:
        initials = [syllable[0] for syllable in syllables]
    else:
        initials = [
            letter
            for letter in (normalize(s) for s in pinyin_syllables(chinese, initials=True))
            if letter.isalnum()
        ]
    return [" ".join(syllables), "".join(syllables), "".join(initials)]


def names_block(names, chinese_names=(), reading="", extra=()) -> str:
    """The search_names text: every name, the pinyin forms of each Chinese name (the editor's
    reading applying to the first), and any extra forms (such as an event's year)."""
    forms = [normalize(name) for name in names]
    for position, chinese in enumerate(chinese_names):
        forms += pinyin_forms(chinese, reading if position == 0 else "")
    forms += [normalize(str(item)) for item in extra]
    unique = list(dict.fromkeys(form for form in forms if form))
    return f"{SEPARATOR}{SEPARATOR.join(unique)}{SEPARATOR}" if unique else ""


def exact(term):
    return f"{SEPARATOR}{term}{SEPARATOR}"


def prefix(term):
    return f"{SEPARATOR}{term}"


def grams_block(chinese_names) -> str:
    """Every one- and two-character piece of the Chinese names, space-separated: SQLite
    indexes these as words, which answers one- and two-character Chinese queries (too short
    for trigrams) with an index lookup that means exactly "the name contains it". A name's
    first one and two characters come again marked as its start (ǂ绿, ǂ绿发), and a name of
    one or two characters as a whole name (ǂ绿发ǂ), for the exact and prefix ranks."""
    grams = {}
    for name in map(normalize, chinese_names):
        for run in HAN_RUN.findall(name):
            for size in (1, 2):
                for start in range(len(run) - size + 1):
                    grams[run[start : start + size]] = None
        start = HAN_RUN.match(name)
        if start:
            for size in (1, 2):
                if size <= len(start.group()):
                    grams[prefix(start.group()[:size])] = None
            if start.group() == name and len(name) < TRIGRAM:
                grams[exact(name)] = None
    return " ".join(grams)


def search_terms(text: str) -> list[str]:
    """The forms of a query to look for: as typed (normalized), and without spaces, so that
    "aide jijinhui" also finds "aidejijinhui". The second is looked for in names only
    (see described_terms)."""
    query = normalize(text).replace(SEPARATOR, " ").strip()
    return list(dict.fromkeys(term for term in [query, query.replace(" ", "")] if term))


def described_terms(terms):
    """The terms looked for in descriptions: the query as typed. Run-together pinyin is a
    form of a name, not something prose contains, and each term looked for costs another
    pass over the trigram index."""
    return terms[:1]


def contains_any(field, terms, wrap=lambda term: term):
    """A condition true when the field contains any of the (wrapped) terms. A plain substring
    position (instr on SQLite, strpos on PostgreSQL) is cheaper than LIKE, which folds case
    for every character; the texts are already lower-case."""
    return reduce(or_, (Q(GreaterThan(StrIndex(F(field), Value(wrap(term))), 0)) for term in terms))


def like_any(field, terms):
    """The same condition as LIKE, which PostgreSQL's trigram indexes can serve."""
    return reduce(or_, (Q(**{f"{field}__contains": term}) for term in terms))


def fts_table(model) -> str:
    return f"{model._meta.db_table}_search"


def grams_table(model) -> str:
    return f"{model._meta.db_table}_grams"


def fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def fts_anywhere(terms) -> str:
    """An FTS5 query for names containing any of the terms or descriptions containing the
    described ones."""
    described = described_terms(terms)
    anywhere = [fts_phrase(term) for term in described]
    names_only = [f"search_names : {fts_phrase(term)}" for term in terms if term not in described]
    return " OR ".join(anywhere + names_only)


class GramsOverlap(Func):
    """Whether a record's Chinese grams include any of the terms, as the PostgreSQL index on
    string_to_array(search_grams, ' ') answers it. The column is compiled as the query
    names it, so the condition holds inside a subquery too, where the table has an alias."""

    output_field = BooleanField()

    def __init__(self, terms):
        super().__init__(F("search_grams"))
        self.terms = list(terms)

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"string_to_array({column}, ' ') && %s::text[]", [*params, self.terms]


def matching(queryset, terms):
    """The records whose names or descriptions contain any of the terms. A query shorter than
    three characters is looked for in names only: in descriptions one or two characters
    match nearly everything, and no trigram index can serve them."""
    vendor = connections[queryset.db].vendor
    short = any(len(term) < TRIGRAM for term in terms)
    chinese_grams = short and all(HAN_RUN.fullmatch(term) for term in terms)
    if vendor == "sqlite" and chinese_grams:
        table = grams_table(queryset.model)
        query = " OR ".join(fts_phrase(term) for term in terms)
        return queryset.filter(
            pk__in=RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [query])
        )
    if vendor == "postgresql" and chinese_grams:
        return queryset.alias(search_gram_hit=GramsOverlap(terms)).filter(search_gram_hit=True)
    if vendor == "sqlite" and not short:
        table = fts_table(queryset.model)
        return queryset.filter(
            pk__in=RawSQL(
                f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [fts_anywhere(terms)]
            )
        )
    if vendor == "postgresql" and not short:
        return queryset.filter(
            like_any("search_names", terms) | like_any("search_description", described_terms(terms))
        )
    return queryset.filter(contains_any("search_names", terms))


def fts_tier(model, terms, wrap, column):
    table = fts_table(model)
    phrases = " OR ".join(fts_phrase(wrap(term)) for term in terms)
    return Q(
        pk__in=RawSQL(
            f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [f"{column} : ({phrases})"]
        )
    )


def tiers(queryset, terms):
    """The ranks' conditions, best first: an exact name, a name starting with the query, a
    name containing it. On SQLite, queries of three characters or more are answered by FTS5
    phrase queries (its trigrams include the separators); otherwise a substring position in
    each matching row, cheaper than LIKE."""
    if connections[queryset.db].vendor == "sqlite" and all(len(t) >= TRIGRAM for t in terms):
        return [
            fts_tier(queryset.model, terms, wrap, "search_names") for wrap in (exact, prefix, str)
        ]
    return [contains_any("search_names", terms, wrap) for wrap in (exact, prefix, str)]


def search(queryset, text):
    """Matching records, best first: by tier, then in the order they were made (as in
    first_matches, so that a full list begins with the grouped search's first results)."""
    terms = search_terms(text)
    if not terms:
        return queryset.none()
    rank = Case(
        *(When(condition, then=number) for number, condition in enumerate(tiers(queryset, terms))),
        default=3,
        output_field=IntegerField(),
    )
    return matching(queryset, terms).annotate(search_rank=rank).order_by("search_rank", "pk")


# The grouped search's ranks, best first: which text each looks in, and how a term is wrapped.
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
    short = any(len(term) < TRIGRAM for term in terms)
    chinese_grams = short and all(HAN_RUN.fullmatch(term) for term in terms)
    table = model._meta.db_table
    order = "ORDER BY id" if by_id else ""
    if vendor == "sqlite" and (chinese_grams or not short):
        fts = grams_table(model) if chinese_grams else fts_table(model)
        phrases = " OR ".join(fts_phrase(term) for term in wrapped)
        if chinese_grams:
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
    if vendor == "postgresql" and chinese_grams:
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
    short = any(len(term) < TRIGRAM for term in terms)
    ranks = [rank for rank, _wrap in RANKS] + ([] if short else [ANY])
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


# Index maintenance, called from each app's migrations.


def sqlite_fts_statements(fts, table, columns, tokenizer):
    listed = ", ".join(columns)
    new_values = ", ".join(f"new.{column}" for column in columns)
    old_values = ", ".join(f"old.{column}" for column in columns)
    delete = (
        f'INSERT INTO "{fts}"("{fts}", rowid, {listed}) VALUES (\'delete\', old.id, {old_values});'
    )
    insert = f'INSERT INTO "{fts}"(rowid, {listed}) VALUES (new.id, {new_values});'
    return [
        f'CREATE VIRTUAL TABLE "{fts}" USING fts5({listed}, content="{table}", '
        f'content_rowid="id", tokenize="{tokenizer}")',
        f'CREATE TRIGGER "{fts}_insert" AFTER INSERT ON "{table}" BEGIN {insert} END',
        f'CREATE TRIGGER "{fts}_delete" AFTER DELETE ON "{table}" BEGIN {delete} END',
        f'CREATE TRIGGER "{fts}_update" AFTER UPDATE ON "{table}" BEGIN {delete} {insert} END',
        f'INSERT INTO "{fts}"("{fts}") VALUES (\'rebuild\')',
    ]


def create_index_statements(model, vendor) -> list[str]:
    table = model._meta.db_table
    if vendor == "sqlite":
        return [
            *sqlite_fts_statements(fts_table(model), table, SEARCHED_FIELDS, "trigram"),
            *sqlite_fts_statements(grams_table(model), table, ["search_grams"], "unicode61"),
        ]
    if vendor == "postgresql":
        return [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            *(
                f'CREATE INDEX "{table}_{field}_trgm" ON "{table}" '
                f'USING gin ("{field}" gin_trgm_ops)'
                for field in SEARCHED_FIELDS
            ),
            f'CREATE INDEX "{table}_search_grams_gin" ON "{table}" '
            f"USING gin (string_to_array(search_grams, ' '))",
        ]
    return []


def drop_index_statements(model, vendor) -> list[str]:
    table = model._meta.db_table
    if vendor == "sqlite":
        return [
            statement
            for fts in (fts_table(model), grams_table(model))
            for statement in [
                *(
                    f'DROP TRIGGER IF EXISTS "{fts}_{trigger}"'
                    for trigger in ("insert", "delete", "update")
                ),
                f'DROP TABLE IF EXISTS "{fts}"',
            ]
        ]
    if vendor == "postgresql":
        return [
            *(f'DROP INDEX IF EXISTS "{table}_{field}_trgm"' for field in SEARCHED_FIELDS),
            f'DROP INDEX IF EXISTS "{table}_search_grams_gin"',
        ]
    return []


def create_indexes(model, schema_editor):
    for statement in create_index_statements(model, schema_editor.connection.vendor):
        schema_editor.execute(statement)


def drop_indexes(model, schema_editor):
    for statement in drop_index_statements(model, schema_editor.connection.vendor):
        schema_editor.execute(statement)


def trigram_installed(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = %s", ["pg_trgm"])
        return cursor.fetchone() is not None


def chinese_is_indexed(connection) -> bool:
    """pg_trgm ignores non-ASCII letters when the database's LC_CTYPE is C, which would leave
    Chinese names out of the trigram index (searches still answer, but slowly)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT show_trgm(%s)", ["绿发会"])
        return bool(cursor.fetchone()[0])


def refill_operation(*model_labels):
    """A migration operation that recomputes the search texts of existing records, with the
    current model classes, whose save logic computes them."""
    from django.apps import apps as current_apps
    from django.db import migrations

    def fill(apps, schema_editor):
        for label in model_labels:
            model = current_apps.get_model(label)
            # Read only the columns that exist at this point of the migrations: fields added
            # by later migrations (such as Organization.successor) have no column yet.
            present = [
                field.name
                for field in apps.get_model(label)._meta.concrete_fields
                if any(field.name == current.name for current in model._meta.concrete_fields)
            ]
            for record in (
                model._default_manager.using(schema_editor.connection.alias)
                .only(*present)
                .iterator()
            ):
                record.store_search_text()

    return migrations.RunPython(fill, migrations.RunPython.noop)


def index_operations(*model_labels):
    """Migration operations that fill the search texts of existing records and build the
    indexes (SQLite FTS5 or PostgreSQL pg_trgm, nothing on other databases)."""
    from django.db import migrations

    def create(apps, schema_editor):
        for label in model_labels:
            create_indexes(apps.get_model(label), schema_editor)

    def drop(apps, schema_editor):
        for label in model_labels:
            drop_indexes(apps.get_model(label), schema_editor)

    return [refill_operation(*model_labels), migrations.RunPython(create, drop)]
