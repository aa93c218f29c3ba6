"""People and the positions they hold in organizations."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory.models.base import (
    Cited,
    DatePrecision,
    Described,
    Named,
    NaturalKeyModel,
    NaturalKeyQuerySet,
    Period,
    PeriodQuerySet,
    Searchable,
    SearchableQuerySet,
    format_partial_date,
    localized,
)


class PersonQuerySet(SearchableQuerySet):
    # The positions they hold and the talks they gave.
    tie_relations = ("positions", "talks")

    def for_listing(self):
        # positions__organization: each row shows where the person works.
        # positions__sources: when each position's evidence is from (Position.as_of).
        return self.prefetch_related("positions__organization", "positions__sources", "sources")

    def for_detail(self):
        return self.for_listing().prefetch_related(
            "talks__session__event", "talks__speaker_organization", "sources__publisher"
        )


class PositionQuerySet(PeriodQuerySet, NaturalKeyQuerySet):
    def search(self, text: str):
        """Positions of the people or in the organizations the text finds, or with the title."""
        from directory.models.organizations import Organization

        return self.filter(
            Q(person__in=Person.objects.search(text).values("pk"))
            | Q(organization__in=Organization.objects.search(text).values("pk"))
            | Q(title_zh__icontains=text)
            | Q(title_en__icontains=text)
        )

    def for_listing(self):
        return self.select_related("person", "organization").prefetch_related("sources")


class Person(Named, Searchable, Described, Cited):
    """A person; the English name of a Chinese person is usually the pinyin, family name first."""

    objects = PersonQuerySet.as_manager()

    class Meta(Named.Meta):
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["slug"]

    def get_absolute_url(self):
        return reverse("person-page", args=[self.slug])


class Position(NaturalKeyModel, Period, Cited):
    stated_fields = ("start_date", "end_date")

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="positions", verbose_name=_("person")
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("organization"),
    )
    title_zh = models.CharField(_("title in Chinese"), max_length=255, blank=True)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)

    objects = PositionQuerySet.as_manager()

    natural_key_fields = ("person", "organization", "title_zh", "title_en", "start_date")
    organization_field = "organization"

    class Meta(Period.Meta):
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["person_id", "start_date", "id"]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["person", "organization", "title_zh", "title_en", "start_date"],
                name="%(app_label)s_%(class)s_unique_dated",
                violation_error_message=_(
                    "This person already holds this position from this date."
                ),
            ),
            models.UniqueConstraint(
                fields=["person", "organization", "title_zh", "title_en"],
                condition=Q(start_date__isnull=True),
                name="%(app_label)s_%(class)s_unique_undated",
                violation_error_message=_("This person already holds this position."),
            ),
        ]

    def __str__(self):
        title = self.title or _("(title not stated)")
        return f"{self.person}: {title}, {self.organization}"

    def get_absolute_url(self):
        return self.person.get_absolute_url()

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def as_of(self) -> str:
        """For a position not known to have ended: the month its evidence was published (the
        latest of its sources'), for it may have ended since; "" if it ended or no source is
        dated. Read from the prefetched sources."""
        if self.end_date:
            return ""
        published = [source.published_on for source in self.sources.all() if source.published_on]
        return format_partial_date(max(published), DatePrecision.MONTH) if published else ""
