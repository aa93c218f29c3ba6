"""Addresses organizations no longer have, kept so that links to them still lead somewhere.

A merge deletes the organizations merged away, and an editor may change an organization's
slug; pages, citations and bookmarks that used the old address then find the organization it
became (a permanent redirect) instead of nothing.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models.base import SLUG_MAX_LENGTH


class FormerSlugQuerySet(models.QuerySet):
    def current_slug(self, slug):
        """The slug of the organization `slug` now leads to, or None. A chain of merges leads
        straight to the last organization: a merge moves the merged-away organization's
        former slugs along with everything else of it."""
        return self.filter(slug=slug).values_list("organization__slug", flat=True).first()


class FormerSlug(models.Model):
    slug = models.SlugField(_("former slug"), max_length=SLUG_MAX_LENGTH, unique=True)
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="former_slugs",
        verbose_name=_("organization"),
        help_text=_("The organization the former address leads to."),
    )
    retired_at = models.DateTimeField(_("retired at"), default=timezone.now)

    objects = FormerSlugQuerySet.as_manager()

    class Meta:
        verbose_name = _("former address")
        verbose_name_plural = _("former addresses")
        ordering = ["-retired_at", "slug"]

    def __str__(self):
        return self.slug

    def clean(self):
        # An address in use leads to its own organization: as a former one it would never be
        # followed.
        organizations = self._meta.get_field("organization").related_model._default_manager
        live = organizations.filter(slug=self.slug).first()
        if live is not None:
            raise ValidationError(
                {"slug": _("This is the address of %(organization)s.") % {"organization": live}}
            )
