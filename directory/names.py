"""Keys that tell when two spellings name the same organization.

`name_key` is the exact match: two names with the same key are the same name written
differently (case, punctuation, curly or straight quotes, a leading "the", spacing, full-width
characters, a first word "Chinese" for "China"). `resemblance_key` is looser: names whose keys
are equal, or differ by one character in a long name, probably name the same organization,
but an editor should say so (a legal form such as "Inc.", a missing "and", an accent, a place
in brackets, a typo).
"""

import re
import unicodedata

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "`": "'"})
NOT_WORD = re.compile(r"[^\w]+")
DIGITS = re.compile(r"\d+")
THE = re.compile(r"\bthe\b")
# "Chinese Young Volunteers Association" is how the UN's lists spell the China Young
# Volunteers Association: a name's first word "Chinese" is folded to "China".
CHINESE = re.compile(r"^chinese\b")
# A trailing bracket holding one word: an abbreviation (CDPF) or a place (Colombes).
TRAILING_WORD_IN_BRACKETS = re.compile(r"\s*[(\[]\s*([^\s()\[\]]+)\s*[)\]]\s*$")
ABBREVIATION = re.compile(r"[A-Z][A-Z0-9&.\-]{1,11}")
LEGAL_FORMS = re.compile(
    r"\b(inc|incorporated|ltd|limited|e ?v|gmbh|asbl|a ?c|corp|corporation|llc|pvt)\b"
)
LINKING_WORDS = re.compile(r"\b(and|et|y|und|of|de|la|le|les|des|du|l|d)\b")
# A one-letter difference in a short name is too often another organization
# ("Gede Foundation" and "Eden Foundation"); from this length it is usually a typo.
TYPO_MIN_LENGTH = 20


def name_key(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).translate(QUOTES).casefold()
    text = THE.sub(" ", NOT_WORD.sub(" ", text))
    return CHINESE.sub("china", " ".join(text.split()))


def without_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def resemblance_key(name: str) -> str:
    text = TRAILING_WORD_IN_BRACKETS.sub("", name)
    text = without_accents(name_key(text))
    text = LINKING_WORDS.sub(" ", LEGAL_FORMS.sub(" ", text))
    return " ".join(text.split())


def split_abbreviation(name: str) -> tuple[str, str]:
    """'China Disabled Persons' Federation (CDPF)' -> the name and 'CDPF'."""
    found = TRAILING_WORD_IN_BRACKETS.search(name)
    if found and ABBREVIATION.fullmatch(found.group(1)) and found.start() > 0:
        return name[: found.start()].strip(), found.group(1)
    return name.strip(), ""


class NameIndex:
    """Names of organizations, looked up exactly or by resemblance; records can be added as
    they are created, so that a file is reconciled against itself too."""

    def __init__(self, named_records=()):
        self.exact: dict[str, object] = {}
        self.resembling: dict[str, object] = {}
        self.resemblance_keys: list[str] = []
        for record, name in named_records:
            self.add(record, name)

    def add(self, record, name: str):
        if not name:
            return
        self.exact.setdefault(name_key(name), record)
        key = resemblance_key(name)
        if key and key not in self.resembling:
            self.resembling[key] = record
            self.resemblance_keys.append(key)

    def find(self, name: str):
        return self.exact.get(name_key(name))

    def resembling_record(self, name: str):
        """A record whose name resembles this one (call only when `find` found none)."""
        key = resemblance_key(name)
        if key in self.resembling:
            return self.resembling[key]
        if len(key) < TYPO_MIN_LENGTH:
            return None
        numbers = DIGITS.findall(key)
        for other, _distance, _index in process.extract(
            key, self.resemblance_keys, scorer=Levenshtein.distance, score_cutoff=1, limit=5
        ):
            # "Society 101" and "Society 102" differ by one character, but not by a typo.
            if DIGITS.findall(other) == numbers:
                return self.resembling[other]
        return None
