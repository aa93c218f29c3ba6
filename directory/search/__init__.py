"""Search the way people name organizations: Chinese substrings of any length, English names
and abbreviations in any case, full pinyin with or without spaces, and pinyin initials.

Each searchable record stores three normalized texts, written when it is saved:
  search_names        "ǂnameǂother nameǂpin yinǂpinyinǂinitialsǂ..." (one entry per form)
  search_description  its descriptions
  search_grams        the one- and two-character pieces of its Chinese names
so that a plain, case-sensitive `contains` finds them on SQLite and on PostgreSQL alike. The
separators let a query tell an exact name (ǂqǂ) from a prefix (ǂq) from a substring.

  text.py     how texts and queries are normalized, and the stored texts made
  queries.py  the records a query finds, ranked (a full list)
  grouped.py  the grouped search: a capped count and the first few of each kind
  indexes.py  the indexes that serve them, per database, and the migrations that build them

The names below are what the rest of the project uses.
"""

from directory.search.grouped import COUNT_CAP, first_matches, read_fields
from directory.search.indexes import (
    chinese_is_indexed,
    create_index_statements,
    create_indexes,
    drop_index_statements,
    drop_indexes,
    index_operations,
    refill_operation,
    sqlite_rebuild_operation,
    trigram_installed,
)
from directory.search.queries import matching, search
from directory.search.text import (
    grams_block,
    names_block,
    normalize,
    pinyin_forms,
    pinyin_syllables,
    search_terms,
)

__all__ = [
    "COUNT_CAP",
    "chinese_is_indexed",
    "create_index_statements",
    "create_indexes",
    "drop_index_statements",
    "drop_indexes",
    "first_matches",
    "grams_block",
    "index_operations",
    "matching",
    "names_block",
    "normalize",
    "pinyin_forms",
    "pinyin_syllables",
    "read_fields",
    "refill_operation",
    "search",
    "search_terms",
    "sqlite_rebuild_operation",
    "trigram_installed",
]
