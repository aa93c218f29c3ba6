"""The records a query finds and their ranks: an exact name, a name starting with the query, a
name containing it, then descriptions containing it. Each search is served by the indexes of
directory.search.indexes where one exists, and answers as a plain `contains` would."""

from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import StrIndex
from django.db.models.lookups import GreaterThan

from directory.search.indexes import fts_table, grams_table
from directory.search.text import HAN_RUN, TRIGRAM, exact, prefix, search_terms


def described_terms(terms):
    """The terms looked for in descriptions: the query as typed. Run-together pinyin is a
    form of a name, not something prose contains, and each term looked for costs another
    pass over the trigram index."""
    return terms[:1]


def too_short(terms):
    """Whether a term is too short for the trigram indexes."""
    return any(len(term) < TRIGRAM for term in terms)


def chinese_grams(terms):
    """Whether the terms are short Chinese ones, which the names' pieces (search_grams)
    answer."""
    return too_short(terms) and all(HAN_RUN.fullmatch(term) for term in terms)


def contains_any(field, terms, wrap=lambda term: term):
    """A condition true when the field contains any of the (wrapped) terms. A plain substring
    position (instr on SQLite, strpos on PostgreSQL) is cheaper than LIKE, which folds case
    for every character; the texts are already lower-case."""
    return reduce(or_, (Q(GreaterThan(StrIndex(F(field), Value(wrap(term))), 0)) for term in terms))


def like_any(field, terms):
    """The same condition as LIKE, which PostgreSQL's trigram indexes can serve."""
    return reduce(or_, (Q(**{f"{field}__contains": term}) for term in terms))


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
    short = too_short(terms)
    if vendor == "sqlite" and chinese_grams(terms):
        table = grams_table(queryset.model)
        query = " OR ".join(fts_phrase(term) for term in terms)
        return queryset.filter(
            pk__in=RawSQL(f'SELECT rowid FROM "{table}" WHERE "{table}" MATCH %s', [query])
        )
    if vendor == "postgresql" and chinese_grams(terms):
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
    if connections[queryset.db].vendor == "sqlite" and not too_short(terms):
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
