"""Writing generated records in batches: bulk_create, their many-to-many links, and the slugs
and search texts that save() would have given them (bulk_create calls no save())."""

import itertools

from directory.models.base import SLUG_MAX_LENGTH, Searchable, truncate_slug

BATCH = 2000


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
    """Give a new record what save() would: a free slug and current search texts."""
    if slugs is not None and not record.slug:
        record.slug = slugs(record.slug_base())
    if isinstance(record, Searchable):
        record.refresh_search_text(forms)
    return record


def write(model, records, links=None):
    """Write the records; `links` holds, for each record in order, a mapping of many-to-many
    field names to the ids it points at. Returns the records with their ids (both databases
    return them from a bulk insert)."""
    created = model._default_manager.bulk_create(records, batch_size=BATCH)
    if links:
        write_links(model, created, links)
    return created


def write_children(model, fk, parents, children, links=None):
    """Write records that point at just-written parents: children[i] are the unsaved records
    of parents[i], each given its id in the foreign key `fk` and, if given, the many-to-many
    links links[i] (a part of a record is stated where the record is). Returns them with
    their ids, in order."""
    records, record_links = [], []
    for number, (parent, rows) in enumerate(zip(parents, children, strict=True)):
        for record in rows:
            setattr(record, f"{fk}_id", parent.pk)
            records.append(record)
            record_links.append(links[number] if links else {})
    return write(model, records, record_links)


def batches(rows, size=BATCH):
    rows = iter(rows)
    while batch := list(itertools.islice(rows, size)):
        yield batch


def write_links(model, records, links):
    rows = {}
    for record, record_links in zip(records, links, strict=True):
        for name, targets in record_links.items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            rows.setdefault(through, []).extend(
                through(**{own: record.pk, other: target}) for target in targets)
    for through, batch in rows.items():
        through._default_manager.bulk_create(batch, batch_size=BATCH)
