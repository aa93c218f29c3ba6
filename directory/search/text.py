"""The searched texts and the queries, normalized alike: lower-case NFKC text (full-width
letters become half-width, curly quotes straight, runs of spaces one space), names joined by
a separator that marks where each begins and ends, Chinese names with their pinyin forms and
their one- and two-character pieces.

The separator is a letter (U+01C2), not punctuation, so that pg_trgm and FTS5's word
tokenizer keep it: "ǂfoundationǂ" then has trigrams of its own, and an exact or prefix match
is an index lookup rather than a recheck of every record containing "foundation".
"""

import functools
import re
import unicodedata

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
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# The shortest text a trigram index can find: shorter Chinese names are kept whole among
# their pieces, and shorter queries are looked for in other ways (directory.search.queries).
TRIGRAM = 3


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(QUOTES).casefold()
    return SPACES.sub(" ", text).strip()


def pinyin_syllables(text: str, initials=False) -> list[str]:
    """pypinyin's reading of the text, syllable by syllable (or their first letters)."""
    return list(read_in_pinyin(text, initials))


# A name is read several times when its record is saved (slug, name order key, search
# forms): the last readings are kept, since reading is most of the time spent writing many
# records in bulk.
@functools.lru_cache(maxsize=1024)
def read_in_pinyin(text: str, initials: bool) -> tuple[str, ...]:
    """Imported on first use: pypinyin's dictionaries take tens of megabytes, which a web
    worker that only reads the directory never needs."""
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(text, style=Style.FIRST_LETTER if initials else Style.NORMAL))


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
    (see directory.search.queries.described_terms)."""
    query = normalize(text).replace(SEPARATOR, " ").strip()
    return list(dict.fromkeys(term for term in [query, query.replace(" ", "")] if term))
