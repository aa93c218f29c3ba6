"""The publications that every fact in the directory cites."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory.models.base import (
    Language,
    NaturalKeyModel,
    ProtectedWhileReferenced,
    ProtectedWhileReferencedQuerySet,
    WebAddressField,
)


class SourceQuerySet(ProtectedWhileReferencedQuerySet):
    def search(self, text: str):
        """Sources by title, author or publisher's name, ignoring case."""
        return self.filter(
            Q(title__icontains=text)
            | Q(author__icontains=text)
            | Q(publisher__name_zh__icontains=text)
            | Q(publisher__name_en__icontains=text)
        )

    def for_listing(self):
        return self.select_related("publisher")

    def for_detail(self):
        """A source with the named records that cite it (one query per kind of record)."""
        return self.for_listing().prefetch_related(
            "cited_by_organization",
            "cited_by_person",
            "cited_by_network",
            "cited_by_program",
            "cited_by_event",
        )


class Source(ProtectedWhileReferenced, NaturalKeyModel):
    class Kind(models.TextChoices):
        ARTICLE = "article", _("article")
        REPORT = "report", _("report")
        DATASET = "dataset", _("data set")
        OFFICIAL_DOCUMENT = "official_document", _("official document")
        WEBPAGE = "webpage", _("web page")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=500)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ARTICLE)
    publisher = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_sources",
        verbose_name=_("publisher"),
    )
    author = models.CharField(_("author"), max_length=255, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.CHINESE
    )
    web_address = WebAddressField(_("web address"), max_length=500, blank=True)
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_(
            "What the source covers and anything a reader should know about the copy that was used."
        ),
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["-published_on", "slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["web_address"],
                condition=~Q(web_address=""),
                name="%(app_label)s_%(class)s_unique_url",
                violation_error_message=_("Another source already has this address."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("source-page", args=[self.slug])

    def citing_records(self, limit=100):
        """Every kind of record that cites this source: its name, how many, and the first
        `limit` of them (a fixed number of queries per kind)."""
        groups = []
        for relation in self._meta.related_objects:
            if relation.many_to_many:
                model = relation.related_model
                # What a list of them shows: each record as text, linked; not what its own
                # rows nest (prefetching that for every kind made the page slow).
                citing = model.objects.for_listing().prefetch_related(None).filter(sources=self)
                records = list(citing[:limit])
                if records:
                    groups.append(
                        {
                            "name": model._meta.verbose_name_plural,
                            "count": citing.count() if len(records) == limit else len(records),
                            "records": records,
                        }
                    )
        return groups
