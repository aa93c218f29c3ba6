"""What readers tell the editors is wrong on a page: kept until an editor has dealt with it."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 2000
SOURCE_MAX_LENGTH = 500


class ErrorReport(models.Model):
    """A reader's report of an error on a record's page. The record is named generically (its
    kind and id), so that every app's pages take reports without this app knowing them; the
    page's address is kept as well, and outlives the record if it is deleted."""

    # A report changes no data that pages show: it must not make every cached page stale
    # (website.cache), or anyone could empty the cache by sending reports.
    changes_cached_data = False

    page = models.CharField(_("page"), max_length=500)
    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("kind of record"),
    )
    object_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    record = GenericForeignKey("content_type", "object_id")
    message = models.TextField(_("what is wrong"), max_length=MESSAGE_MAX_LENGTH)
    source = models.CharField(
        _("source or link"), max_length=SOURCE_MAX_LENGTH, blank=True, default=""
    )
    email = models.EmailField(_("email for a reply"), blank=True, default="")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True, db_index=True)
    handled = models.BooleanField(_("handled"), default=False, db_index=True)
    handled_at = models.DateTimeField(_("handled on"), null=True, blank=True)

    class Meta:
        verbose_name = _("error report")
        verbose_name_plural = _("error reports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.page} ({self.created_at:%Y-%m-%d})" if self.created_at else self.page
