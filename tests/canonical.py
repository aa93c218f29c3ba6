"""Every record of the directory's apps, named by natural keys instead of ids, so that two
databases (or one database before and after) can be compared record by record."""

import json

from django.core import serializers

from website.backup.contents import backup_models


def canonical_rows(model, *, ids=False):
    """The model's records as sorted JSON lines: foreign keys and many-to-many links by the
    natural keys of the records they point at, links in sorted order, and the record's own
    id left out unless asked for (models without a natural key always keep theirs)."""
    rows = []
    for row in serializers.serialize(
        "python",
        model._default_manager.order_by("pk"),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=not ids,
    ):
        for name, value in row["fields"].items():
            if isinstance(value, list) and value and isinstance(value[0], (list, tuple)):
                row["fields"][name] = sorted(value)
        rows.append(json.dumps(row, sort_keys=True, default=str, ensure_ascii=False))
    return sorted(rows)


def directory_snapshot(*, ids=False):
    """Every record a backup holds (their history is left out)."""
    return {model._meta.label: canonical_rows(model, ids=ids) for model in backup_models()}
