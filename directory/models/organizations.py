"""Organizations, the other names they go by, and their identifiers in other registers."""

import re

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from directory.countries import Suggestion, suggest_country
from directory.history import change_set
from directory.models.base import (
    Citations,
    Cited,
    DatePrecision,
    Described,
    Founded,
    Language,
    Named,
    NaturalKeyModel,
    Searchable,
    SearchableQuerySet,
    WebAddressField,
    format_partial_date,
    truncate_to_precision,
)
from directory.models.counts import CountedQuerySet
from directory.models.former_slugs import FormerSlug


class OrganizationKind(models.TextChoices):
    NGO = "ngo", _("NGO or social organization")
    FOUNDATION = "foundation", _("foundation")
    ASSOCIATION = "association", _("association or federation")
    INTERNATIONAL_NGO = "international_ngo", _("international NGO")
    RESEARCH_CENTRE = "research_centre", _("research centre")
    UNIVERSITY = "university", _("university")
    UNIVERSITY_UNIT = "university_unit", _("university unit")
    GOVERNMENT_BODY = "government_body", _("government body")
    PEOPLES_ORGANIZATION = "peoples_organization", _("people's organization")
    UN_AGENCY = "un_agency", _("UN agency or body")
    RESCUE_TEAM = "rescue_team", _("rescue team")
    MEDIA_PLATFORM = "media_platform", _("media or platform")
    COMPANY = "company", _("company")
    OTHER = "other", _("other")


class OrganizationQuerySet(CountedQuerySet, SearchableQuerySet):
    name_relations = ("other_names",)
    # Its places in networks, roles in programs and parts in events.
    tie_relations = ("memberships", "program_roles", "event_participations")

    def slugs_in_use(self):
        """Every slug an organization has, and every former one, which still leads to its
        organization: none may be given to a new organization."""
        return set(self.values_list("slug", flat=True)) | set(
            FormerSlug.objects.values_list("slug", flat=True)
        )

    def by_latest_membership(self):
        """The organizations that most recently joined a network first (by the start of
        their latest membership; those with none, or none dated, last), then by name."""
        return self.with_latest("latest_membership", "memberships", "start_date").by_date(
            "latest_membership", latest_first=True
        )

    def for_listing(self):
        """What every row of a list shows, the list page's and the API's: place, parent,
        fields, other names, sources, memberships with their networks; one query each."""
        return self.select_related("city", "parent").prefetch_related(
            self.joined("fields"),
            self.joined("other_names"),
            self.joined("sources"),
            self.joined("memberships", "network"),
        )

    def country_suggestions(self, country="") -> dict[int, Suggestion]:
        """Those of these organizations without a country whose names suggest one
        (directory.countries): each one's id and suggestion, in name order; only those
        suggesting `country`, if given. Two queries, the names and the other names, read as
        values: the suggestions are worked out here, for thousands of organizations."""
        without = self.filter(country="")
        names: dict[int, list[str]] = {}
        for pk, name_en, name_zh in without.values_list("id", "name_en", "name_zh"):
            names[pk] = [name_en, name_zh]
        others = OrganizationName.objects.filter(organization__in=without.values("id"))
        for pk, name in others.values_list("organization_id", "name").order_by():
            names[pk].append(name)
        found = {}
        for pk, its_names in names.items():
            suggestion = suggest_country(its_names)
            if suggestion is not None and country in ("", suggestion.country):
                found[pk] = suggestion
        return found

    def accept_country_suggestions(self, user=None) -> int:
        """Give those of these organizations still without a country the one their names
        suggest, in one transaction and one change set of the history; return how many.
        An organization that got a country meanwhile is left as it is: its row is locked
        and read again here. Two queries, and two for each organization (its update and
        its history)."""
        reason = gettext("Country suggested by the name, accepted")
        with transaction.atomic(), change_set(reason, user):
            # Read again by id, without what the caller joined (the admin's list joins
            # city and parent, whose rows FOR UPDATE may not lock on PostgreSQL).
            organizations = (
                self.model._default_manager.filter(pk__in=self.values("pk"), country="")
                .select_for_update()
                .prefetch_related("other_names")
            )
            accepted = 0
            for organization in organizations:
                suggestion = suggest_country(organization.all_names())
                if suggestion is None:
                    continue
                organization.country = suggestion.country
                organization.save(update_fields=["country"])
                accepted += 1
        return accepted

    def facet_counts(self, limit=20):
        """How many of these organizations fall under each value of each facet
        (directory.facets): one query per facet, most frequent first (ties in the values'
        order)."""
        # Imported here: directory.facets declares the facets with this module's models.
        from directory.facets import count_facets

        return count_facets(self, limit)

    def detail_relations(self):
        """What an organization's detail shows beyond a list's row, each relation with what
        its records lead to: one query each."""
        return [
            self.joined("identifiers"),
            self.joined("units"),
            self.joined("positions", "person"),
            self.joined("sources", through="positions"),
            self.joined("program_roles", "program"),
            self.joined("event_participations", "event"),
            self.joined("talks", "session__event", "speaker"),
        ]

    def for_detail(self):
        """An organization with everything its page shows, in a fixed number of queries:
        one per relation, what each relation's records lead to read with them."""
        return (
            self.select_related("city", "parent")
            .prefetch_related(
                self.joined("fields"),
                self.joined("other_names"),
                self.joined("sources", "publisher"),
                self.joined("memberships", "network"),
                *self.detail_relations(),
            )
            .compiled_once("for_detail")
        )


class Organization(Named, Searchable, Described, Founded, Cited):
    stated_fields = (
        "city",
        "country",
        "parent",
        "founded_on",
        "successor",
        "succeeded_on",
        "website",
    )

    kind = models.CharField(_("kind"), max_length=30, choices=OrganizationKind.choices)
    fields = models.ManyToManyField(
        "directory.FieldOfWork",
        blank=True,
        related_name="organizations",
        verbose_name=_("fields of work"),
    )
    city = models.ForeignKey(
        "directory.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("city"),
    )
    country = CountryField(_("country"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("parent organization"),
        help_text=_(
            "The organization this one is part of, such as a university for its research centre."
        ),
    )
    website = WebAddressField(_("website"), max_length=500, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("succeeded by"),
        help_text=_("The organization this one merged into."),
    )
    succeeded_on = models.DateField(
        _("succeeded on"),
        null=True,
        blank=True,
        help_text=_("When the merger took effect, or was recognized."),
    )

    objects = OrganizationQuerySet.as_manager()

    class Meta(Named.Meta):
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["slug"]
        # The list filtered by its first facets: its page read in order and its count and
        # the kinds and cities counted from this index alone, not from every organization
        # (the id, which the counts count, is in it: SQLite's rows carry it anyway, and
        # without it PostgreSQL read the table for every facet of a large selection).
        indexes = [
            models.Index(
                fields=["country", "kind", "slug", "city", "id"], name="directory_org_country_kind"
            ),
            # A list filtered by one of them alone, read in name order from the index and
            # stopped at its page, instead of every selected organization sorted.
            models.Index(fields=["country", "slug"], name="directory_org_country_slug"),
            models.Index(fields=["kind", "slug"], name="directory_org_kind_slug"),
            # The list page in name order, in each language (directory.name_order), read
            # from the index and stopped at its page.
            models.Index(fields=["sort_key_zh", "id"], name="directory_org_sort_zh"),
            models.Index(fields=["sort_key_en", "id"], name="directory_org_sort_en"),
        ]
        constraints = [
            *Named.Meta.constraints,
            models.UniqueConstraint(
                fields=["name_zh"],
                condition=~Q(name_zh=""),
                name="%(app_label)s_%(class)s_unique_name_zh",
                violation_error_message=_("Another organization already has this Chinese name."),
            ),
            models.UniqueConstraint(
                Lower("name_en"),
                condition=~Q(name_en=""),
                name="%(app_label)s_%(class)s_unique_name_en",
                violation_error_message=_("Another organization already has this English name."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="%(app_label)s_%(class)s_not_its_own_parent",
                violation_error_message=_("An organization cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=~Q(successor=F("id")),
                name="%(app_label)s_%(class)s_not_its_own_successor",
                violation_error_message=_("An organization cannot succeed itself."),
            ),
        ]

    def get_absolute_url(self):
        return reverse("organization-page", args=[self.slug])

    @classmethod
    def from_db(cls, db, field_names, values):
        record = super().from_db(db, field_names, values)
        # The address it was read under: if a save changes it, the old one is retired.
        record._slug_as_read = record.__dict__.get("slug")
        return record

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        as_read = getattr(self, "_slug_as_read", None)
        if as_read and as_read != self.slug:
            self.retire_slug(as_read)
        self._slug_as_read = self.slug

    def retire_slug(self, slug):
        """Keep `slug`, an address this organization (or one merged into it) no longer has,
        leading here."""
        FormerSlug.objects.update_or_create(
            slug=slug, defaults={"organization": self, "retired_at": timezone.now()}
        )

    def taken_slugs(self, base):
        # A former address still leads to its organization: a new one must not take it.
        return super().taken_slugs(base) | set(
            FormerSlug.objects.filter(slug__startswith=base).values_list("slug", flat=True)
        )

    def merge_into(self, kept, *, user=None):
        """Move everything of this organization onto `kept`, the same organization, and
        delete this one; see directory.merging.merge_organizations."""
        from directory.merging import merge_organizations

        return merge_organizations(kept, [self], user=user)

    def all_names(self) -> list[str]:
        """Its main names and other names (read with it, if prefetched)."""
        return [self.name_en, self.name_zh, *(other.name for other in self.other_names.all())]

    def search_forms(self, other_names=None):
        """Names and other names; `other_names` (in the model's order: kind, then name) stands
        in for the saved ones when records are written in bulk (website.generator)."""
        names, chinese, extra = super().search_forms()
        if other_names is not None:
            others = other_names
        else:
            others = list(self.other_names.all()) if self.pk else []
        return (
            [*names, *(other.name for other in others)],
            [*chinese, *(other.name for other in others if other.language == "zh")],
            extra,
        )

    def clean(self):
        super().clean()
        if self.city_id and not self.country:
            self.country = self.city.country
        if self.city_id and self.country != self.city.country:
            raise ValidationError(
                {"country": _("%(city)s is not in this country.") % {"city": self.city}}
            )
        self.check_parent_chain()

    def check_parent_chain(self):
        """Refuse a parent that is, further up, a unit of this organization.

        An organization named as its own parent is left to the database constraint.
        """
        if self.parent_id is None or self.parent_id == self.pk:
            return
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError(
                    {"parent": _("This would make the organization a unit of itself.")}
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class OrganizationName(NaturalKeyModel, Citations):
    """Another name an organization is or was known by: abbreviation, former name, translation."""

    stated_fields = ("end_date",)

    class Kind(models.TextChoices):
        ABBREVIATION = "abbreviation", _("abbreviation")
        FORMER = "former", _("former name")
        TRANSLATION = "translation", _("alternative translation")
        ALIAS = "alias", _("other name")

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="other_names",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=255)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    end_date = models.DateField(
        _("used until"),
        null=True,
        blank=True,
        help_text=_("For a former name: when the organization stopped using it."),
    )
    end_precision = models.CharField(
        _("precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )

    natural_key_fields = ("organization", "name")

    class Meta:
        verbose_name = _("other name")
        verbose_name_plural = _("other names")
        ordering = ["organization_id", "kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="%(app_label)s_%(class)s_unique_name_per_organization",
                violation_error_message=_("This organization already has this name."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def used_until(self) -> str:
        return format_partial_date(self.end_date, self.end_precision)

    def clean(self):
        super().clean()
        self.end_date = truncate_to_precision(self.end_date, self.end_precision)
        organization = getattr(self, "organization", None)
        if organization and self.name in {organization.name_zh, organization.name_en}:
            raise ValidationError({"name": _("This is already the organization's main name.")})


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_is_valid(code: str) -> bool:
    """Check a unified social credit code (GB 32100-2015): 18 characters, last is a checksum."""
    if len(code) != 18 or any(char not in USCC_ALPHABET for char in code):
        return False
    total = sum(USCC_ALPHABET.index(char) * w for char, w in zip(code, USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[(31 - total % 31) % 31] == code[17]


class Identifier(NaturalKeyModel):
    """An organization's identifier in another register."""

    class Scheme(models.TextChoices):
        WIKIDATA = "wikidata", _("Wikidata item")
        USCC = "uscc", _("unified social credit code")
        ECOSOC = "ecosoc", _("UN ECOSOC civil society profile")

    URL_TEMPLATES = {
        Scheme.WIKIDATA: "https://www.wikidata.org/wiki/{}",
        Scheme.ECOSOC: "https://esango.un.org/civilsociety/showProfileDetail.do"
        "?method=showProfileDetails&profileCode={}",
    }
    FORMATS = {
        Scheme.WIKIDATA: (re.compile(r"Q[1-9]\d*"), _("A Wikidata item looks like Q42.")),
        Scheme.ECOSOC: (re.compile(r"[1-9]\d*"), _("An ECOSOC profile code is a number.")),
    }

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="identifiers",
        verbose_name=_("organization"),
    )
    scheme = models.CharField(_("scheme"), max_length=10, choices=Scheme.choices)
    value = models.CharField(_("identifier"), max_length=50)

    natural_key_fields = ("scheme", "value")

    class Meta:
        verbose_name = _("identifier")
        verbose_name_plural = _("identifiers")
        ordering = ["organization_id", "scheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "value"],
                name="%(app_label)s_%(class)s_unique_value",
                violation_error_message=_("Another organization already has this identifier."),
            ),
            models.UniqueConstraint(
                fields=["organization", "scheme"],
                name="%(app_label)s_%(class)s_one_per_scheme",
                violation_error_message=_(
                    "This organization already has an identifier in this scheme."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.get_scheme_display()}: {self.value}"

    @property
    def url(self) -> str:
        template = self.URL_TEMPLATES.get(self.scheme)
        return template.format(self.value) if template else ""

    def clean(self):
        super().clean()
        self.value = self.value.strip().upper()
        if self.scheme == self.Scheme.USCC:
            if not uscc_is_valid(self.value):
                raise ValidationError(
                    {
                        "value": _(
                            "A unified social credit code has 18 characters and a valid "
                            "check digit."
                        )
                    }
                )
        elif self.scheme in self.FORMATS:
            pattern, message = self.FORMATS[self.scheme]
            if not pattern.fullmatch(self.value):
                raise ValidationError({"value": message})
