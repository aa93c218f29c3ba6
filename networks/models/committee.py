"""The UN Committee on NGOs' decisions as data: its sessions, each decision it took on an
organization, and its roll-call votes with each member state's vote. Written by the ECOSOC
import (networks.ecosoc); consultative status itself stays a Membership."""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


class CommitteeSession(models.Model):
    """A session of the Committee on NGOs, known by the date of its report (the dataset's
    `Session_number`)."""

    date = models.DateField(_("report date"))

    class Meta:
        verbose_name = _("Committee session")
        verbose_name_plural = _("Committee sessions")
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(
                fields=["date"],
                name="%(app_label)s_%(class)s_unique_date",
                violation_error_message=_("There is already a session reported on this date."),
            ),
        ]

    def __str__(self):
        return gettext("Committee on NGOs, %(date)s") % {"date": self.date.isoformat()}


class Decision(models.Model):
    """What the Committee decided on an organization at a session, as one row of a file
    states it."""

    class Kind(models.TextChoices):
        GRANTED = "granted", _("status granted")
        RENAMED = "renamed", _("new name noted")
        CLOSED = "closed", _("application closed (no response)")
        APPLICATION_WITHDRAWN = "application_withdrawn", _("application withdrawn")
        DECLINED = "declined", _("status not recommended")
        STATUS_WITHDRAWN = "status_withdrawn", _("status withdrawn at own request")
        DEFERRED = "deferred", _("application deferred")
        NEW_APPLICATION_DEFERRED = "new_application_deferred", _("new application deferred")
        RECLASSIFICATION_DEFERRED = "reclassification_deferred", _("reclassification deferred")
        MERGED = "merged", _("merger noted")

    session = models.ForeignKey(
        CommitteeSession,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("session"),
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.CASCADE,
        related_name="committee_decisions",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("decision"), max_length=30, choices=Kind.choices)
    name = models.CharField(
        _("name in the file"), max_length=255, help_text=_("As the file spells it.")
    )
    file = models.CharField(_("file"), max_length=255)
    row_number = models.PositiveIntegerField(_("row"))
    info = models.TextField(_("information"), blank=True)

    class Meta:
        verbose_name = _("Committee decision")
        verbose_name_plural = _("Committee decisions")
        ordering = ["-session__date", "kind", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "organization", "kind"],
                name="%(app_label)s_%(class)s_unique_per_session",
                violation_error_message=_(
                    "This decision on this organization is already recorded for this session."
                ),
            ),
        ]
        # An organization's decisions (its page, the admin's search by organization).
        indexes = [models.Index(fields=["organization", "kind"], name="networks_decision_org")]

    def __str__(self):
        return f"{self.name} · {self.get_kind_display()} ({self.session.date})"


class Vote(models.Model):
    """A roll-call vote of the Committee: on an organization's application or status, or on
    a motion (then with no organization)."""

    class Outcome(models.TextChoices):
        IN_FAVOUR = "in_favour", _("in favour")
        AGAINST = "against", _("against")
        ADOPTED = "adopted", _("adopted")
        REJECTED = "rejected", _("rejected")
        OTHER = "other", _("other (see as written)")

    session = models.ForeignKey(
        CommitteeSession, on_delete=models.PROTECT, related_name="votes", verbose_name=_("session")
    )
    order = models.PositiveIntegerField(_("number in the file"))
    topic = models.TextField(_("topic"), help_text=_("As the file writes it."))
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_votes",
        verbose_name=_("organization"),
        help_text=_("The NGO the topic names; none for a motion."),
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    outcome_as_written = models.TextField(_("outcome as written"), blank=True)

    class Meta:
        verbose_name = _("Committee vote")
        verbose_name_plural = _("Committee votes")
        ordering = ["-session__date", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "order"],
                name="%(app_label)s_%(class)s_unique_order",
                violation_error_message=_("This session already has a vote with this number."),
            ),
        ]

    def __str__(self):
        topic = " ".join(self.topic.split())
        return topic if len(topic) <= 80 else topic[:79] + "…"


class VoteCast(models.Model):
    """How one member state of the Committee voted."""

    class Choice(models.TextChoices):
        IN_FAVOUR = "in_favour", _("in favour")
        AGAINST = "against", _("against")
        ABSTAINED = "abstained", _("abstained")
        ABSENT = "absent", _("absent")

    vote = models.ForeignKey(
        Vote, on_delete=models.CASCADE, related_name="casts", verbose_name=_("vote")
    )
    country = CountryField(_("member state"))
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)

    class Meta:
        verbose_name = _("member state's vote")
        verbose_name_plural = _("member states' votes")
        ordering = ["vote", "choice", "country"]
        constraints = [
            models.UniqueConstraint(
                fields=["vote", "country"],
                name="%(app_label)s_%(class)s_unique_country",
                violation_error_message=_("This member state's vote is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.country.name}: {self.get_choice_display()}"
