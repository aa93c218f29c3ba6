"""What save() would give a generated record that is written in bulk (bulk_create calls no
save()): a free slug, its name order keys and its search texts."""

from directory.models.base import SLUG_MAX_LENGTH, Named, Searchable, truncate_slug


class SlugAllocator:
    """The slug Named.save() would choose for each new record of a model (its base, or the
    base numbered, whichever is free first: directory.models.base.free_slug), answered from
    memory instead of a query per record."""

    def __init__(self, model):
        self.taken = set(model._default_manager.values_list("slug", flat=True))
        # For each base, the number below which every numbered form is taken.
        self.next_number = {}

    def __call__(self, base: str) -> str:
        base = truncate_slug(base, SLUG_MAX_LENGTH - 4)
        candidate, number = base, self.next_number.get(base, 2)
        if candidate in self.taken:
            candidate = f"{base}-{number}"
            while candidate in self.taken:
                number += 1
                candidate = f"{base}-{number}"
            self.next_number[base] = number + 1
        self.taken.add(candidate)
        return candidate


def prepare(record, slugs=None, forms=None):
    """Give a new record what save() would: a free slug, name order keys and current
    search texts."""
    if slugs is not None and not record.slug:
        record.slug = slugs(record.slug_base())
    if isinstance(record, Named):
        record.refresh_sort_keys()
    if isinstance(record, Searchable):
        record.refresh_search_text(forms)
    return record
