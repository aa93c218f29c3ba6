"""The stored keys that put named records in name order, the same on every database.

Each named record keeps two keys (directory.models.base.Named): `sort_key_zh`, the pinyin of
its Chinese name (the editor's reading where one is given), and `sort_key_en`, its English
name; each falls back to the other language's name where its own is missing. A key holds
only the letters a-z and the digits 0-9, accents and case folded away and spaces and
punctuation dropped (names are filed letter by letter): texts made of those characters alone
are ordered alike by SQLite's binary comparison and by PostgreSQL whatever its collation, so
no list depends on how a database was set up.

Keys are written by Named.save(), by the raw saves of fixtures and backups (directory.signals),
by the generator's bulk writing (website.generator.writing.prepare), by restoring a backup
(website.backup.restoring) and, for records that existed before, by fill_operation() in a
migration.
"""

import re
import unicodedata

from directory.search import pinyin_syllables

KEY_LENGTH = 255
SORT_KEYS = ("sort_key_zh", "sort_key_en")
NOT_IN_KEY = re.compile(r"[^0-9a-z]+")


def latin_key(text: str) -> str:
    """The text's letters and digits, lower-case and without accents: "Café Écho" is
    "cafeecho"."""
    folded = unicodedata.normalize("NFKD", text or "").casefold()
    return NOT_IN_KEY.sub("", folded.encode("ascii", "ignore").decode())[:KEY_LENGTH]


def pinyin_key(chinese: str, reading: str = "") -> str:
    """The Chinese name read in pinyin without tones (Latin letters in it kept as they are),
    or the editor's reading of it where one is given."""
    if not chinese:
        return ""
    return latin_key(reading or " ".join(pinyin_syllables(unicodedata.normalize("NFKC", chinese))))


def sort_keys(name_zh: str, name_en: str, reading: str = "", fallback: str = "") -> dict:
    """{"sort_key_zh": ..., "sort_key_en": ...} for a record with these names; `fallback`
    (its slug) for a name that keeps no letter or digit."""
    chinese, english = pinyin_key(name_zh, reading), latin_key(name_en)
    last = latin_key(fallback)
    return {
        "sort_key_zh": chinese or english or last,
        "sort_key_en": english or chinese or last,
    }


def fill_operation(*model_labels):
    """A migration operation that writes the keys of the records that exist, read and
    written with the migration's own models (only the names, the reading and the slug)."""
    from django.db import migrations

    def fill(apps, schema_editor):
        alias = schema_editor.connection.alias
        for label in model_labels:
            model = apps.get_model(label)
            changed = []
            read = [
                name
                for name in ("name_zh", "name_en", "pinyin", "slug")
                if any(field.name == name for field in model._meta.concrete_fields)
            ]
            rows = model._default_manager.using(alias).only(*read).order_by("pk")
            for record in rows.iterator(chunk_size=2000):
                reading = getattr(record, "pinyin", "")
                keys = sort_keys(record.name_zh, record.name_en, reading, record.slug)
                for name, value in keys.items():
                    setattr(record, name, value)
                changed.append(record)
                if len(changed) == 2000:
                    model._default_manager.using(alias).bulk_update(changed, list(keys))
                    changed = []
            if changed:
                model._default_manager.using(alias).bulk_update(changed, list(keys))

    return migrations.RunPython(fill, migrations.RunPython.noop)
