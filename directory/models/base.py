"""Building blocks that every kind of record in the directory is made of.

Records are bilingual (a Chinese and an English value side by side, either may be missing),
cite the sources that state them, carry dates whose precision is known (a year, a month or a
day), and are identified by natural keys so that fixtures and backups never depend on row ids.
"""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, router
from django.db.models import (
    Count,
    F,
    Max,
    OuterRef,
    Prefetch,
    ProtectedError,
    Q,
    Subquery,
    UniqueConstraint,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from directory.history import HistoricalRecordsBuiltOnce
from directory.library_internals import reusing_sql, sql_store
from directory.name_order import SORT_KEYS, sort_keys
from directory.search import pinyin_syllables

SLUG_MAX_LENGTH = 100


class Language(models.TextChoices):
    CHINESE = "zh", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    RUSSIAN = "ru", _("Russian")
    ARABIC = "ar", _("Arabic")
    PORTUGUESE = "pt", _("Portuguese")
    GERMAN = "de", _("German")
    JAPANESE = "ja", _("Japanese")
    KOREAN = "ko", _("Korean")


class DatePrecision(models.TextChoices):
    YEAR = "year", _("year")
    MONTH = "month", _("month")
    DAY = "day", _("day")


def truncate_to_precision(value: datetime.date | None, precision: str) -> datetime.date | None:
    """A partial date is stored as the first day of the year or month it names."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return value.replace(month=1, day=1)
    if precision == DatePrecision.MONTH:
        return value.replace(day=1)
    return value


# Coarsest first: a date known to a year says less than one known to a day.
PRECISIONS = [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY]


def at_common_precision(first, first_precision, second, second_precision):
    """Two partial dates reduced to the coarser of their precisions, to be compared: 2010
    and 2010-07 are the same year, neither before the other."""
    coarser = min(first_precision, second_precision, key=PRECISIONS.index)
    return truncate_to_precision(first, coarser), truncate_to_precision(second, coarser)


def parse_partial_date(text: str) -> tuple[datetime.date, str]:
    """A date as people write it, 2010, 2010-07 or 2010-07-09, and the precision it is
    known to; ValueError for anything else."""
    parts = text.strip().split("-")
    if not 1 <= len(parts) <= 3 or not all(part.isdigit() for part in parts):
        raise ValueError(text)
    if len(parts[0]) != 4 or any(len(part) > 2 for part in parts[1:]):
        raise ValueError(text)
    numbers = [int(part) for part in parts] + [1] * (3 - len(parts))
    return datetime.date(*numbers), PRECISIONS[len(parts) - 1]


def format_partial_date(value: datetime.date | None, precision: str) -> str:
    """ISO 8601 reduced to the precision that is known: 2010, 2010-07 or 2010-07-15."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def active_language_suffix() -> str:
    return "zh" if (get_language() or "").startswith("zh") else "en"


def localized_value(get, field: str) -> str:
    """A bilingual value in the active language, falling back to the other language;
    `get` reads "<field>_zh" or "<field>_en" from a record or a values() row."""
    first, second = ("zh", "en") if active_language_suffix() == "zh" else ("en", "zh")
    return get(f"{field}_{first}") or get(f"{field}_{second}")


def localized(record, field: str) -> str:
    """The record's value in the active language, falling back to the other language."""
    return localized_value(lambda name: getattr(record, name), field)


def pinyin_slug(text: str) -> str:
    return slugify(" ".join(pinyin_syllables(text)))


def truncate_slug(slug: str, max_length: int) -> str:
    if len(slug) <= max_length:
        return slug
    cut = slug[:max_length]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


class WebAddressField(models.URLField):
    """A URL field whose form assumes https:// when the scheme is left out."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})


def single_constrained_field(constraint) -> str | None:
    if not isinstance(constraint, UniqueConstraint):
        return None
    names = set(constraint.fields)
    for expression in constraint.expressions:
        names |= {part.name for part in expression.flatten() if isinstance(part, F)}
    return names.pop() if len(names) == 1 else None


def meets_condition(record, condition: Q) -> bool:
    """Whether the record's values, as they are in memory, meet a constraint's condition."""
    return condition.check(
        {
            field.name: Value(getattr(record, field.attname), output_field=field)
            for field in record._meta.concrete_fields
        }
    )


class PeriodQuerySet(models.QuerySet):
    """For records that hold for a period (Period): a membership, a position."""

    def held_in(self, year: int):
        """Those known to have held during the year: begun by its end (a recorded start),
        and not ended before it began (no end recorded, or a later one). One whose start
        is not recorded is left out: nothing says it held then."""
        return self.filter(start_date__lte=datetime.date(year, 12, 31)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1))
        )


class NaturalKeyQuerySet(models.QuerySet):
    def get_by_natural_key(self, *key):
        lookup, rest = self.model.natural_key_lookup(key)
        if rest:
            raise self.model.DoesNotExist(f"Natural key {key!r} has extra parts {rest!r}.")
        return self.get(**lookup)

    def with_last_changed(self):
        """Each record with `last_changed`, the time of the newest entry of its history
        (simple-history's), read by a subquery in the same query as the record."""
        history = self.model.history.model
        newest = (
            history._default_manager.filter(**{self.model._meta.pk.attname: OuterRef("pk")})
            .order_by("-history_date")
            .values("history_date")[:1]
        )
        return self.annotate(last_changed=Subquery(newest))

    def compiled_once(self, recipe):
        """This queryset, its SQL compiled once per shape and kept under `recipe` (see
        directory.library_internals): for the querysets every detail request builds."""
        return reusing_sql(self, sql_store(self.model, recipe))

    def joined(self, relation, *related, through=""):
        """Prefetch `relation` with what its records lead to (`related`, as select_related
        takes them) read in the same query: one query where a lookup such as
        "memberships__network" takes one per step. `through` names the relation of this
        model's records that `relation` belongs to ("sessions" for their talks)."""
        model = self.model
        for step in filter(None, through.split("__")):
            model = model._meta.get_field(step).related_model
        related_model = model._meta.get_field(relation).related_model
        lookup = f"{through}__{relation}" if through else relation
        records = related_model._default_manager.all()
        if related:
            records = records.select_related(*related)
        # The same relation is prefetched on every detail request: its SQL is compiled once.
        store = sql_store(self.model, lookup, related)
        return Prefetch(lookup, queryset=reusing_sql(records, store))


class NaturalKeyModel(models.Model):
    """A record identified by some of its fields, following foreign keys to their own keys.

    Fixtures and backups name records by these keys instead of ids, so loading them into a
    database that already holds other records never overwrites those records.
    """

    natural_key_fields: tuple[str, ...] = ("slug",)

    objects = NaturalKeyQuerySet.as_manager()
    # Who changed what and when, through the admin, the API or code.
    history = HistoricalRecordsBuiltOnce(inherit=True)

    class Meta:
        abstract = True

    def natural_key(self):
        parts = []
        for name in self.natural_key_fields:
            value = getattr(self, name)
            if isinstance(value, NaturalKeyModel):
                parts.extend(value.natural_key())
            elif isinstance(value, datetime.date):
                parts.append(value.isoformat())
            else:
                parts.append(value)
        return tuple(parts)

    def validate_constraints(self, exclude=None):
        """Django's constraint validation, except that a unique constraint on one field (or
        on an expression of one field, such as Lower("name_en")) reports on that field, so
        forms and the API show the error next to the field."""
        errors = {}
        using = router.db_for_write(type(self), instance=self)
        for model_class, constraints in self.get_constraints():
            for constraint in constraints:
                try:
                    constraint.validate(model_class, self, exclude=exclude, using=using)
                except ValidationError as error:
                    field = single_constrained_field(constraint) or NON_FIELD_ERRORS
                    errors.setdefault(field, []).extend(error.error_list)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def natural_key_lookup(cls, key, prefix=""):
        """Turn a flat natural key into ORM lookups; return them and the unused key parts."""
        lookup, rest = {}, list(key)
        for name in cls.natural_key_fields:
            field = cls._meta.get_field(name)
            if field.is_relation:
                related_lookup, rest = field.related_model.natural_key_lookup(
                    rest, prefix=f"{prefix}{name}__"
                )
                lookup.update(related_lookup)
            elif rest[0] is None:
                lookup[f"{prefix}{name}__isnull"] = True
                rest = rest[1:]
            else:
                lookup[f"{prefix}{name}"] = rest[0]
                rest = rest[1:]
        return lookup, rest


class ProtectedWhileReferencedQuerySet(NaturalKeyQuerySet):
    def delete(self):
        for record in self:
            record.refuse_delete_while_referenced()
        return super().delete()


class ProtectedWhileReferenced(models.Model):
    """Refuse deletion while records point here through a many-to-many relation.

    Foreign keys do this with on_delete=PROTECT. Many-to-many link rows (citations, fields of
    work) would otherwise vanish silently with the record they point at. The check runs before
    Django opens its delete transaction, so a refusal leaves the caller's transaction usable.
    """

    objects = ProtectedWhileReferencedQuerySet.as_manager()

    class Meta:
        abstract = True

    def referencing_records(self, limit=20):
        records = []
        for relation in self._meta.related_objects:
            if relation.many_to_many:
                records.extend(getattr(self, relation.get_accessor_name()).all()[:limit])
        return records

    def refuse_delete_while_referenced(self):
        records = self.referencing_records()
        if records:
            raise ProtectedError(
                _(
                    "Cannot delete %(record)s: other records still refer to it, for example "
                    "%(example)s."
                )
                % {"record": self, "example": records[0]},
                set(records),
            )

    def delete(self, *args, **kwargs):
        self.refuse_delete_while_referenced()
        return super().delete(*args, **kwargs)


class Named(NaturalKeyModel):
    """A record with a Chinese and an English name and a readable, unique slug."""

    name_zh = models.CharField(_("name in Chinese"), max_length=255, blank=True)
    name_en = models.CharField(_("name in English"), max_length=255, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=SLUG_MAX_LENGTH,
        unique=True,
        blank=True,
        help_text=_(
            "Used in addresses. Left empty, it is made from the English name or the "
            "pinyin of the Chinese name."
        ),
    )
    # The record's place in name order in each language (directory.name_order); the lists'
    # name order and the API's `ordering=sort_key_zh` / `sort_key_en` read them.
    sort_key_zh = models.CharField(max_length=255, editable=False, blank=True, default="")
    sort_key_en = models.CharField(max_length=255, editable=False, blank=True, default="")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_zh="") | ~Q(name_en=""),
                name="%(app_label)s_%(class)s_has_a_name",
                violation_error_message=_("Give a name in Chinese, in English, or both."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug(self.slug_base())
        self.refresh_sort_keys()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *SORT_KEYS}
        super().save(*args, **kwargs)

    def refresh_sort_keys(self):
        """Compute the name order keys from the names (and the pinyin reading, if any)."""
        keys = sort_keys(self.name_zh, self.name_en, getattr(self, "pinyin", ""), self.slug)
        for name, value in keys.items():
            setattr(self, name, value)

    def store_sort_keys(self):
        """Recompute and write the name order keys without saving anything else."""
        self.refresh_sort_keys()
        type(self)._default_manager.filter(pk=self.pk).update(
            **{name: getattr(self, name) for name in SORT_KEYS}
        )

    def unique_error_message(self, model_class, unique_check):
        # Django's own ("具有 网址标识 的 机构 已存在。") reads as a machine's in Chinese.
        if tuple(unique_check) == ("slug",):
            return ValidationError(
                _("Another record already has this slug: choose another, or leave it empty."),
                code="unique",
            )
        return super().unique_error_message(model_class, unique_check)

    @property
    def name(self) -> str:
        return localized(self, "name")

    def slug_base(self) -> str:
        return slugify(self.name_en) or pinyin_slug(self.name_zh) or self._meta.model_name

    def unique_slug(self, base: str) -> str:
        base = truncate_slug(base, SLUG_MAX_LENGTH - 4)
        return free_slug(base, self.taken_slugs(base))

    def taken_slugs(self, base: str) -> set[str]:
        """The slugs starting with `base` that a new slug must not be."""
        return set(
            type(self)
            ._default_manager.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )


def free_slug(base: str, taken) -> str:
    """The base, or the base numbered, whichever is not taken first."""
    base = truncate_slug(base, SLUG_MAX_LENGTH - 4)
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def name_order():
    """The fields of name order in the active language (directory.name_order), ties by id."""
    return [f"sort_key_{active_language_suffix()}", "pk"]


def related_aggregate(model, relation, aggregate):
    """A subquery computing `aggregate` over the records of the model's reverse relation
    (found by its name in model._meta, so no other app is imported) that point at each
    record."""
    remote = model._meta.get_field(relation)
    pointer = remote.field.name
    rows = (
        remote.related_model._default_manager.filter(**{pointer: OuterRef("pk")})
        .order_by()
        .values(pointer)
        .annotate(value=aggregate)
        .values("value")
    )
    return Subquery(rows)


def related_count(model, relation):
    return Coalesce(related_aggregate(model, relation, Count("pk")), 0)


class SearchableQuerySet(NaturalKeyQuerySet):
    # Of each search's best matches, how many are compared name by name.
    DUPLICATE_CANDIDATES = 10
    # The relations holding a record's other names (its search_forms() reads them).
    name_relations = ()
    # The reverse relations whose records are a record's ties to others (most_connected()).
    tie_relations = ()

    def by_date(self, field, latest_first=False):
        """By a date (records without one last), then by name."""
        date = F(field).desc(nulls_last=True) if latest_first else F(field).asc(nulls_last=True)
        return self.order_by(date, *name_order())

    def by_founding(self):
        """Oldest first, for records with a founding date (Founded); the undated last."""
        return self.by_date("founded_on")

    def most_connected(self):
        """Most ties first (with_ties() of the model's `tie_relations`), then by name."""
        return self.with_ties(*self.tie_relations).order_by("-ties", *name_order())

    def in_name_order(self):
        """By name in the active language: pinyin in Chinese, the alphabet in English
        (directory.name_order); ties, such as names read alike, by id."""
        return self.order_by(*name_order())

    def with_ties(self, *relations):
        """Annotate `ties`: how many records of these reverse relations (named, not imported:
        memberships, program_roles ...) point at each record, each counted by a subquery (a
        join per relation would multiply the rows), so a page of them costs one query."""
        counts = [related_count(self.model, relation) for relation in relations]
        total = counts[0]
        for count in counts[1:]:
            total = total + count
        return self.annotate(ties=total)

    def with_latest(self, name, relation, field):
        """Annotate `name`: the latest `field` of the records of a reverse relation (the
        start of an organization's most recent membership), by a subquery."""
        return self.annotate(**{name: related_aggregate(self.model, relation, Max(field))})

    def search(self, text: str):
        """Records matching the text by name, other name, pinyin, initials or description,
        best matches first (see directory.search)."""
        from directory import search

        return search.search(self, text)

    def likely_duplicates(self, names) -> list:
        """Records one of whose names (main, other or former) is one of these, folded as the
        ECOSOC import folds them (directory.names): the same name written differently, or
        one that resembles it (a legal form, "the", a missing "and"). The search narrows the
        records to compare, so this costs a few queries whatever the directory's size."""
        from directory.names import name_key, resemblance_key

        wanted = {name_key(name) for name in names if name and name_key(name)}
        resembling = {resemblance_key(name) for name in names if name} - {""}
        candidates = {}  # in the order the searches rank them
        for text in {*wanted, *resembling}:
            found = self.search(text).values_list("pk", flat=True)[: self.DUPLICATE_CANDIDATES]
            candidates.update(dict.fromkeys(found))
        if not candidates:
            return []
        records = self.filter(pk__in=list(candidates)).prefetch_related(*self.name_relations)
        by_pk = {record.pk: record for record in records}
        duplicates = []
        for pk in candidates:
            record_names = [name for name in by_pk[pk].search_forms()[0] if name]
            if wanted & {name_key(name) for name in record_names} or resembling & {
                resemblance_key(name) for name in record_names
            }:
                duplicates.append(by_pk[pk])
        return duplicates


class Searchable(models.Model):
    """A record found by directory.search: keeps its normalized search texts up to date."""

    pinyin = models.CharField(
        _("pinyin reading"),
        max_length=255,
        blank=True,
        help_text=_(
            "Leave empty to have the reading of the Chinese name generated. Correct it "
            "where a character is read wrongly, syllables separated by spaces, for "
            'example "shan ji xiang" for 单霁翔.'
        ),
    )
    search_names = models.TextField(editable=False, blank=True, default="")
    search_description = models.TextField(editable=False, blank=True, default="")
    search_grams = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "search_names",
                "search_description",
                "search_grams",
            }
        super().save(*args, **kwargs)

    def search_forms(self):
        """The names a record is searched by, which of them are Chinese, and extra forms."""
        return [self.name_zh, self.name_en], [self.name_zh], []

    def refresh_search_text(self, forms=None):
        """Compute the search texts from search_forms(), or from `forms` given in its shape
        (records written in bulk pass the other names they are about to have)."""
        from directory import search

        names, chinese, extra = forms or self.search_forms()
        self.search_names = search.names_block(names, chinese, self.pinyin, extra)
        self.search_grams = search.grams_block(names)
        self.search_description = search.normalize(
            " ".join(
                filter(
                    None, [getattr(self, "description_zh", ""), getattr(self, "description_en", "")]
                )
            )
        )

    def store_search_text(self):
        """Recompute and write the search texts without saving anything else."""
        self.refresh_search_text()
        type(self)._default_manager.filter(pk=self.pk).update(
            search_names=self.search_names,
            search_description=self.search_description,
            search_grams=self.search_grams,
        )


class Described(models.Model):
    description_zh = models.TextField(_("description in Chinese"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)

    class Meta:
        abstract = True

    @property
    def description(self) -> str:
        return localized(self, "description")


def outside_organization_life(organization, date, precision) -> str | None:
    """Why something the organization did on this date (partial) cannot be: it was not yet
    founded, or had already been succeeded by another (merged into it); else None."""
    if date is None:
        return None
    if organization.founded_on:
        when, founded = at_common_precision(
            date, precision, organization.founded_on, organization.founded_precision
        )
        if when < founded:
            return _("%(organization)s was founded in %(founded)s, after this date.") % {
                "organization": organization,
                "founded": organization.founded,
            }
    if organization.succeeded_on:
        when, ended = at_common_precision(
            date, precision, organization.succeeded_on, DatePrecision.DAY
        )
        if when > ended:
            return _(
                "%(organization)s was succeeded by another organization on %(ended)s, "
                "before this date."
            ) % {"organization": organization, "ended": organization.succeeded_on.isoformat()}
    return None


class Period(models.Model):
    """A start and an end, each known to a year, a month or a day."""

    start_date = models.DateField(_("start"), null=True, blank=True)
    start_precision = models.CharField(
        _("start precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    end_date = models.DateField(_("end"), null=True, blank=True)
    end_precision = models.CharField(
        _("end precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )

    # A period that records what happened to an organization (its membership of a network,
    # a person's position in it) names it here: such a period cannot start in the future,
    # before the organization was founded or after another succeeded it. Programs and events
    # may be planned ahead.
    organization_field = None

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def clean(self):
        super().clean()
        self.start_date = truncate_to_precision(self.start_date, self.start_precision)
        self.end_date = truncate_to_precision(self.end_date, self.end_precision)
        if self.organization_field:
            self.check_within_organization_life()

    def check_within_organization_life(self):
        errors = {}
        for name in ("start_date", "end_date"):
            if (date := getattr(self, name)) and date > datetime.date.today():
                errors[name] = _("This date is in the future: record what has happened.")
        organization_id = getattr(self, f"{self.organization_field}_id")
        organization = getattr(self, self.organization_field) if organization_id else None
        if organization and (
            problem := outside_organization_life(
                organization, self.start_date, self.start_precision
            )
        ):
            errors.setdefault("start_date", problem)
        if errors:
            raise ValidationError(errors)

    @property
    def start(self) -> str:
        return format_partial_date(self.start_date, self.start_precision)

    @property
    def end(self) -> str:
        return format_partial_date(self.end_date, self.end_precision)

    @property
    def is_current(self) -> bool:
        return self.end_date is None


class Founded(models.Model):
    founded_on = models.DateField(_("founded"), null=True, blank=True)
    founded_precision = models.CharField(
        _("founding date precision"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.founded_on = truncate_to_precision(self.founded_on, self.founded_precision)
        if self.founded_on and self.founded_on > datetime.date.today():
            raise ValidationError({"founded_on": _("A founding date cannot be in the future.")})

    @property
    def founded(self) -> str:
        return format_partial_date(self.founded_on, self.founded_precision)


CITATION_KEYS = {"field", "source", "passage", "location"}
# Fields that are the directory's own bookkeeping, never a fact a source states.
NOT_FACTS = {
    "id",
    "slug",
    "pinyin",
    "search_names",
    "search_description",
    "search_grams",
    *SORT_KEYS,
}


class Citations(models.Model):
    """Which source states which fact of the record: each citation names a field (or none:
    the record itself, such as a membership or a position), a source by its slug, and
    optionally the passage quoted and where it stands in the source (¶13, p. 4). Pages show a
    numbered note beside each cited fact; the API carries them with the record."""

    citations = models.JSONField(
        _("citations"),
        default=list,
        blank=True,
        help_text=_(
            'A list such as [{"field": "founded_on", "source": "cdb-2021-international-'
            'networks", "passage": "…", "location": "¶13"}]; "field": "" cites the record '
            "itself."
        ),
    )

    # The fields whose values are facts a source must state, each cited on its own when it
    # holds a value. The record itself ("") is always such a fact: that this organization
    # exists under its name, that this membership holds. Translations (the English fields),
    # our descriptions and classifications (kind, fields of work) are the directory's own
    # work and rest on the record's sources.
    stated_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def uncited_facts(self) -> list[str]:
        """The facts of this record no citation supports: "" for the record itself, then each
        stated field that holds a value other than its default ("not stated", "no")."""
        cited = {citation["field"] for citation in self.citations or []}
        facts = [""]
        for name in self.stated_fields:
            field = self._meta.get_field(name)
            value = getattr(self, field.attname)
            if value not in (None, "", [], False) and value != field.get_default():
                facts.append(name)
        return [fact for fact in facts if fact not in cited]

    @classmethod
    def citable_fields(cls) -> set[str]:
        fields = {
            field.name
            for field in [*cls._meta.concrete_fields, *cls._meta.many_to_many]
            if field.editable and field.name not in NOT_FACTS | {"sources", "citations"}
        }
        return {"", *fields}

    def citations_of(self, field: str) -> list[dict]:
        return [citation for citation in self.citations or [] if citation["field"] == field]

    def clean(self):
        super().clean()
        if self.citations:
            self.citations = self.checked_citations(self.citations)

    def checked_citations(self, citations):
        """The citations, each with all four keys, or ValidationError saying what is wrong."""
        from directory.models.sources import Source

        message = _(
            'Each citation is {"field": ..., "source": ..., "passage": ..., "location": ...}.'
        )
        if not isinstance(citations, list) or not all(
            isinstance(citation, dict)
            and set(citation) <= CITATION_KEYS
            and isinstance(citation.get("source"), str)
            and all(isinstance(citation.get(key, ""), str) for key in CITATION_KEYS)
            for citation in citations
        ):
            raise ValidationError({"citations": message})
        checked = [
            {key: citation.get(key, "").strip() for key in sorted(CITATION_KEYS)}
            for citation in citations
        ]
        errors = []
        unknown_fields = {c["field"] for c in checked} - self.citable_fields()
        if unknown_fields:
            errors.append(
                _("No such field to cite: %(fields)s.")
                % {"fields": ", ".join(sorted(unknown_fields))}
            )
        slugs = {c["source"] for c in checked}
        known = set(Source.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        if slugs - known:
            errors.append(
                _("No such source: %(slugs)s.") % {"slugs": ", ".join(sorted(slugs - known))}
            )
        if any(len(c["passage"]) > 2000 or len(c["location"]) > 100 for c in checked):
            errors.append(_("A passage is at most 2,000 characters, a location 100."))
        keys = [(c["field"], c["source"], c["location"], c["passage"]) for c in checked]
        if len(set(keys)) != len(keys):
            errors.append(_("The same citation is given twice."))
        if errors:
            raise ValidationError({"citations": errors})
        return checked


class Cited(Citations):
    """A record that names the sources stating it; at least one is required in forms."""

    sources = models.ManyToManyField(
        "directory.Source",
        related_name="cited_by_%(class)s",
        verbose_name=_("sources"),
        help_text=_("The publications that state this record."),
    )

    class Meta:
        abstract = True
