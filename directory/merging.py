"""Merging organizations that turn out to be the same one.

Whatever points at a merged-away organization moves to the one kept. The relations are found
through Organization._meta.related_objects, so those that other apps add (memberships,
program roles, event participations, ...) move without this module importing those apps.

A moved record that would duplicate one the kept organization already has (one of its
model's unique constraints says so) is folded into that twin instead: the twin gains its
sources and other links and its values where the twin has none, and the moved record is
deleted. Where the two state a fact differently, folding would lose one of them, so the whole
merge is refused and nothing changes.
"""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import UniqueConstraint
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.models import Organization, OrganizationName
from directory.models.base import meets_condition
from website.cache import data_changed

# Facts of the merged-away organization that fill the kept one's blanks, in this order (the
# country before the city, which must lie in it). Fields that belong together, a date and its
# precision or a successor and the date of the merger, are taken together or not at all.
FILLED_FACTS = [
    ("kind",),
    ("description_zh",),
    ("description_en",),
    ("website",),
    ("founded_on", "founded_precision"),
    ("country",),
    ("city",),
    ("parent",),
    ("successor", "succeeded_on"),
]


class MergeRefused(Exception):
    """The merge would lose information or break a rule; nothing was changed."""


@dataclass
class MergeSummary:
    """What a merge did: records moved to the kept organization and records folded into one
    it already had, counted by relation, and the names it gained."""

    moved: Counter = field(default_factory=Counter)
    folded: Counter = field(default_factory=Counter)
    names: list = field(default_factory=list)


def merge_organizations(kept, duplicates, *, user=None) -> MergeSummary:
    """Merge each of `duplicates` into `kept` and delete it, in one transaction: everything
    moves or, if MergeRefused is raised, nothing does. `user` is recorded in the history
    (in a request, simple-history's middleware records the signed-in user anyway)."""
    duplicate_ids = [duplicate.pk for duplicate in duplicates if duplicate.pk != kept.pk]
    if not duplicate_ids:
        raise MergeRefused(_("Choose at least one organization to merge into the kept one."))
    summary = MergeSummary()
    try:
        with transaction.atomic():
            locked = Organization.objects.select_for_update().in_bulk([kept.pk, *duplicate_ids])
            survivor = locked[kept.pk]
            for duplicate_id in duplicate_ids:
                # Read again: merging an earlier duplicate may have moved this one's links.
                duplicate = Organization.objects.get(pk=duplicate_id)
                merge_one(survivor, duplicate, Merger(survivor, duplicate, user), summary)
    except IntegrityError as error:
        raise MergeRefused(
            _("The merge would break a rule of the database (%(error)s). Nothing was changed.")
            % {"error": error}
        ) from error
    kept.refresh_from_db()
    return summary


def merge_one(kept, duplicate, merger, summary):
    if kept.successor_id == duplicate.pk:
        # The kept organization was recorded as merged into this one; they are now one record.
        kept.succeeded_on = None
    summary.names.extend(adopt_names(kept, duplicate, merger))
    for name in duplicate.other_names.filter(name__in=[kept.name_zh, kept.name_en]):
        merger.delete(name)  # already the kept organization's main name
    merger.take_over(kept, duplicate, summary)
    fill_facts(kept, duplicate)
    try:
        kept.check_parent_chain()
    except ValidationError as error:
        raise MergeRefused(" ".join(error.messages)) from error
    merger.replace(kept, duplicate)
    kept.retire_slug(duplicate.slug)


def adopt_names(kept, duplicate, merger) -> list[str]:
    """The duplicate's main names become the kept organization's: as its main name where it
    has none in that language, else as another name. That is a former name, used until the
    merger, if the duplicate was recorded as merged into the kept one; otherwise an alias
    ("other name"), as nothing says which of the two names is older."""
    former = duplicate.successor_id == kept.pk
    known = {kept.name_zh, kept.name_en, *kept.other_names.values_list("name", flat=True)}
    added = []
    for language in ("zh", "en"):
        name = getattr(duplicate, f"name_{language}")
        if not name or name in known:
            continue
        if not getattr(kept, f"name_{language}") and not former:
            # Saved once the duplicate, which holds the name under a unique constraint, is gone.
            setattr(kept, f"name_{language}", name)
            if language == "zh":
                kept.pinyin = kept.pinyin or duplicate.pinyin
        else:
            merger.save(
                OrganizationName(
                    organization=kept,
                    name=name,
                    language=language,
                    kind=OrganizationName.Kind.FORMER if former else OrganizationName.Kind.ALIAS,
                    end_date=duplicate.succeeded_on if former else None,
                )
            )
        known.add(name)
        added.append(name)
    return added


def fill_facts(kept, duplicate):
    """The kept organization's own facts stay; the duplicate's fill those it lacks."""
    for leader, *followers in FILLED_FACTS:
        attname = Organization._meta.get_field(leader).attname
        if (
            is_blank(getattr(kept, attname))
            and not is_blank(getattr(duplicate, attname))
            and fits(kept, duplicate, leader)
        ):
            for name in (leader, *followers):
                attname = Organization._meta.get_field(name).attname
                setattr(kept, attname, getattr(duplicate, attname))


def fits(kept, duplicate, name) -> bool:
    """A fact taken over must not make the kept organization point at itself, nor place it in
    a city outside its country."""
    model_field = Organization._meta.get_field(name)
    if model_field.related_model is Organization:
        return getattr(duplicate, model_field.attname) != kept.pk
    if name == "city":
        return not kept.country or duplicate.city.country == kept.country
    return True


class Merger:
    """Moves records from one record to another, recording each change with its reason."""

    def __init__(self, kept, duplicate, user=None):
        self.reason = gettext("Merged %(duplicate)s into %(kept)s") % {
            "duplicate": duplicate,
            "kept": kept,
        }
        self.user = user

    def save(self, record, **kwargs):
        self.stamp(record)
        record.save(**kwargs)

    def delete(self, record):
        self.stamp(record)
        record.delete()

    def stamp(self, record):
        record._change_reason = self.reason
        if self.user is not None:
            record._history_user = self.user

    def take_over(self, kept, duplicate, summary=None):
        """Point everything that points at `duplicate` at `kept`, and give `kept` the links
        (many-to-many: sources, fields of work, ...) that `duplicate` has."""
        for relation in duplicate._meta.related_objects:
            if relation.many_to_many:
                self.relink(relation, kept, duplicate)
            else:
                self.move(relation, kept, duplicate, summary)
        for link in duplicate._meta.many_to_many:
            if link.remote_field.through._meta.auto_created:
                getattr(kept, link.name).add(*getattr(duplicate, link.name).all())
                if summary is not None:
                    summary.moved[str(link.verbose_name)] += getattr(duplicate, link.name).count()

    def replace(self, kept, duplicate):
        """Delete the duplicate, then save the kept record, which may take over values that the
        duplicate held under a unique constraint."""
        self.delete(duplicate)
        self.save(kept)

    def move(self, relation, kept, duplicate, summary):
        pointer = relation.field
        for row in relation.related_model._base_manager.filter(**{pointer.name: duplicate}):
            if type(row) is type(kept) and row.pk == kept.pk:
                self.unlink_itself(kept, pointer)
                continue
            setattr(row, pointer.name, kept)
            twin = find_twin(row, pointer)
            if twin is None:
                self.save(row, update_fields=[pointer.name])
            else:
                self.fold(twin, row)
            if summary is not None:
                (summary.moved if twin is None else summary.folded)[relation_label(relation)] += 1

    def unlink_itself(self, kept, pointer):
        """The kept record points at the duplicate (is its unit, or merged into it); pointing
        at itself would make no sense, so it points nowhere."""
        if not pointer.null:
            raise MergeRefused(
                _("%(record)s would have to point at itself as its %(field)s.")
                % {"record": kept, "field": pointer.verbose_name}
            )
        setattr(kept, pointer.attname, None)
        # In the database too, at once: the duplicate is deleted before the kept record is
        # saved, and this pointer would protect it.
        type(kept)._base_manager.filter(pk=kept.pk).update(**{pointer.attname: None})
        data_changed()  # update() sends no signal for the cached pages to notice

    def relink(self, relation, kept, duplicate):
        """Records of another model linked to the duplicate many-to-many link to kept instead.
        A link through a model of its own is moved as that model's foreign key instead."""
        link = relation.field
        if not link.remote_field.through._meta.auto_created:
            return
        for record in relation.related_model._base_manager.filter(**{link.name: duplicate}):
            getattr(record, link.name).add(kept)
            getattr(record, link.name).remove(duplicate)

    def fold(self, twin, row):
        """`row` and `twin` state the same thing: keep the twin, with all that row adds."""
        self.take_over(twin, row)
        fold_values(twin, row)
        self.replace(twin, row)


def find_twin(row, pointer):
    """The record that `row`, now pointing at the kept record, would duplicate under one of
    its model's unique constraints that include the pointer, if any."""
    model = type(row)
    for names, condition, nulls_distinct in uniqueness_rules(model):
        if pointer.name not in names:
            continue
        attnames = [model._meta.get_field(name).attname for name in names]
        lookup = {attname: getattr(row, attname) for attname in attnames}
        if nulls_distinct and None in lookup.values():
            continue  # NULLs never collide in the database
        if condition is not None and not meets_condition(row, condition):
            continue
        twins = model._base_manager.filter(**lookup).exclude(pk=row.pk)
        twin = (twins.filter(condition) if condition is not None else twins).first()
        if twin is not None:
            return twin
    return None


def uniqueness_rules(model):
    """Each set of fields the model keeps unique: (names, condition, whether NULLs differ).
    Constraints on expressions, such as Lower("name_en"), are left to the database, whose
    refusal cancels the merge as a whole."""
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.fields:
            yield constraint.fields, constraint.condition, constraint.nulls_distinct is not False
    for names in model._meta.unique_together:
        yield names, None, True
    for model_field in model._meta.concrete_fields:
        if model_field.unique and not model_field.primary_key:
            yield (model_field.name,), None, True


def fold_values(twin, row):
    """Fill the twin's blanks from the row; join long texts, such as notes, that differ; refuse
    any other fact the two state differently."""
    for fact in facts(type(twin)):
        mine, theirs = (tuple(getattr(record, f.attname) for f in fact) for record in (twin, row))
        if is_blank(theirs[0]) or mine == theirs:
            continue
        if is_blank(mine[0]):
            for model_field, value in zip(fact, theirs, strict=True):
                setattr(twin, model_field.attname, value)
        elif isinstance(fact[0], models.TextField):
            setattr(twin, fact[0].attname, f"{mine[0]}\n\n{theirs[0]}")
        else:
            raise MergeRefused(
                _(
                    "%(model)s “%(kept)s” and “%(other)s” would become one, but they differ in "
                    "%(field)s: “%(kept_value)s” and “%(other_value)s”. Correct one of them "
                    "first; nothing was merged."
                )
                % {
                    "model": type(twin)._meta.verbose_name,
                    "kept": twin,
                    "other": row,
                    "field": fact[0].verbose_name,
                    "kept_value": shown(twin, fact[0]),
                    "other_value": shown(row, fact[0]),
                }
            )


def facts(model):
    """The model's editable fields, each date together with its precision (a field named
    start_precision goes with start_date, founded_precision with founded_on)."""
    editable = {f.name: f for f in model._meta.concrete_fields if f.editable and not f.primary_key}
    precisions = {
        name: f"{re.sub(r'_(date|on)$', '', name)}_precision"
        for name, model_field in editable.items()
        if isinstance(model_field, models.DateField)
    }
    precisions = {name: editable[p] for name, p in precisions.items() if p in editable}
    companions = {precision.name for precision in precisions.values()}
    return [
        (model_field, *([precisions[name]] if name in precisions else []))
        for name, model_field in editable.items()
        if name not in companions
    ]


def is_blank(value) -> bool:
    return value is None or value in ("", [])


def shown(record, model_field) -> str:
    value = getattr(record, model_field.attname)
    return (
        str(dict(model_field.flatchoices).get(value, value)) if model_field.choices else str(value)
    )


def relation_label(relation) -> str:
    """How a relation is named to editors: "memberships", "networks with it as secretariat"."""
    records = relation.related_model._meta.verbose_name_plural
    if relation.field.name == "organization":
        return str(records)
    return str(
        _("%(records)s with it as %(field)s")
        % {"records": records, "field": relation.field.verbose_name}
    )


def related_counts(organization) -> list[tuple[str, int]]:
    """How many records of each relation point at the organization, for a merge's preview."""
    counts = []
    for relation in organization._meta.related_objects:
        rows = relation.related_model._base_manager.filter(**{relation.field.name: organization})
        counts.append((relation_label(relation), rows.count()))
    for link in organization._meta.many_to_many:
        counts.append((str(link.verbose_name), getattr(organization, link.name).count()))
    return [(label, count) for label, count in counts if count]
