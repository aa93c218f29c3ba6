"""Imports of the UN Committee on NGOs' decisions: each run is one named change set, and rows
that only resemble an existing organization wait here for an editor's decision."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """Files uploaded for import, previewed (nothing written) and then applied, or not. The
    preview and the import run as background jobs (networks.jobs)."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("being previewed")
        PREVIEWED = "previewed", _("previewed, not applied")
        APPLYING = "applying", _("being applied")
        APPLIED = "applied", _("applied")
        FAILED = "failed", _("preview failed")

    # While one of these, a job is queued or running and the run's page follows it.
    IN_PROGRESS = (Status.CHECKING, Status.APPLYING)

    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CHECKING
    )
    job_id = models.CharField(
        max_length=64, blank=True, editable=False, help_text="The background job's result id."
    )
    error = models.TextField(
        _("error"), blank=True, help_text=_("Why the last preview or import wrote nothing.")
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)

    class Meta:
        verbose_name = _("ECOSOC import")
        verbose_name_plural = _("ECOSOC imports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.name

    @property
    def error_message(self) -> str:
        """Why the last job wrote nothing, in the reader's language where it is the site's
        own message (a database's is shown as it came)."""
        return gettext(self.error) if self.error else ""

    @property
    def change_reason(self) -> str:
        """What every change the run makes is recorded under in the records' history."""
        return f"Import #{self.pk}: {self.name}"[:100]


class ImportFile(models.Model):
    """An uploaded file, kept in the database so that the preview and the confirmation may be
    served by different machines."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(
        _("kind of decisions"),
        max_length=30,
        blank=True,
        help_text=_("Empty: the kind the file's name says."),
    )
    content = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.name


class PossibleDuplicateQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=PossibleDuplicate.Status.PENDING)


class PossibleDuplicate(models.Model):
    """A row whose organization resembles one already in the directory without matching it
    exactly. Nothing of the row is written until an editor says whether it is the same
    organization."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        SAME = "same", _("same organization")
        DIFFERENT = "different", _("different organization")

    key = models.CharField(
        max_length=64,
        editable=False,
        help_text="SHA-256 of the row's kind, names and date, normalized.",
    )
    file = models.CharField(_("file"), max_length=255)
    row_number = models.PositiveIntegerField(_("row"))
    name = models.CharField(_("name in the file"), max_length=255)
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="possible_duplicates",
        verbose_name=_("resembles"),
    )
    row = models.JSONField(_("row"), help_text=_("The decision, to apply once reviewed."))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    run = models.ForeignKey(
        ImportRun,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="possible_duplicates",
        verbose_name=_("import"),
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    resolved_at = models.DateTimeField(_("reviewed"), null=True, blank=True)

    objects = PossibleDuplicateQuerySet.as_manager()

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        ordering = ["status", "file", "row_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(status="pending"),
                name="%(app_label)s_%(class)s_one_pending_per_row",
            ),
        ]

    def __str__(self):
        return f"{self.name} ≈ {self.organization}"
