"""The UN Committee on NGOs' decisions as data: its sessions, each decision it took on an
organization, and its roll-call votes with each member state's vote. Written by the ECOSOC
import (networks.ecosoc); consultative status itself stays a Membership."""

from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField


def kind_counts(relation, kinds):
    """One count per kind of decision over `relation` (a path to Decision), as annotations
    named by the kinds."""
    prefix = f"{relation}__" if relation else ""
    return {
        kind: Count(f"{relation or 'id'}", filter=Q(**{f"{prefix}kind": kind}), distinct=True)
        for kind in kinds
    }


def choice_counts(relation=""):
    """One count per choice of a member state's vote, as annotations named by the choices."""
    prefix = f"{relation}__" if relation else ""
    return {
        choice: Count(f"{relation or 'id'}", filter=Q(**{f"{prefix}choice": choice}))
        for choice in VoteCast.Choice.values
    }


class CommitteeSessionQuerySet(models.QuerySet):
    def with_counts(self):
        """Each session with its decisions counted by kind (annotations named by the kinds)
        and its votes (`vote_count`): one query."""
        return self.annotate(
            **kind_counts("decisions", Decision.Kind.values),
            decision_count=Count("decisions", distinct=True),
            vote_count=Count("votes", distinct=True),
        ).order_by("-date")  # Meta.ordering is left out of a query that groups

    def for_listing(self):
        return self.with_counts()


class CommitteeSession(models.Model):
    """A session of the Committee on NGOs, known by the date of its report (the dataset's
    `Session_number`)."""

    date = models.DateField(_("report date"))

    objects = CommitteeSessionQuerySet.as_manager()

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

    def get_absolute_url(self):
        return reverse("committee-session-page", args=[self.date.isoformat()])

    def kind_counts(self):
        """(kind, label, count) for every kind, as with_counts() counted them."""
        return [(kind, label, getattr(self, kind, 0)) for kind, label in Decision.Kind.choices]


class DecisionQuerySet(models.QuerySet):
    def search(self, text):
        """Decisions on the organizations the text names, as the file or the directory
        spells them."""
        return self.filter(
            Q(name__icontains=text)
            | Q(organization__name_en__icontains=text)
            | Q(organization__name_zh__icontains=text)
        )

    def for_listing(self):
        # session: its date; organization: its name and address.
        return self.select_related("session", "organization")

    def deferrals(self):
        return self.filter(kind__in=Decision.DEFERRALS)

    def by_session_and_kind(self):
        """Rows of session date, kind and count, oldest session first: one query."""
        return (
            self.values("session__date", "kind")
            .annotate(count=Count("id"))
            .order_by("session__date", "kind")
        )

    def by_year_and_kind(self):
        """Rows of year, kind and count, oldest first: one query."""
        return (
            self.annotate(year=ExtractYear("session__date"))
            .values("year", "kind")
            .annotate(count=Count("id"))
            .order_by("year", "kind")
        )

    def most_deferred_organizations(self, limit=20):
        """The organizations these decisions deferred at the most sessions, with that number
        (`sessions`), most first: one query."""
        from directory.models import Organization

        return (
            Organization.objects.filter(pk__in=self.deferrals().values("organization"))
            .annotate(
                sessions=Count(
                    "committee_decisions__session",
                    filter=Q(committee_decisions__kind__in=Decision.DEFERRALS),
                    distinct=True,
                )
            )
            .order_by("-sessions", "slug")[:limit]
        )


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

    # The kinds that put an application off to a later session.
    DEFERRALS = (Kind.DEFERRED, Kind.NEW_APPLICATION_DEFERRED, Kind.RECLASSIFICATION_DEFERRED)

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

    objects = DecisionQuerySet.as_manager()

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

    def get_absolute_url(self):
        return f"{self.session.get_absolute_url()}#decision-{self.pk}"


class VoteQuerySet(models.QuerySet):
    def search(self, text):
        """Votes whose topic holds the text."""
        return self.filter(topic__icontains=text)

    def with_tally(self):
        """Each vote with its member states counted by choice (annotations named by the
        choices): one query."""
        # Meta.ordering is left out of a query that groups: given again.
        return self.annotate(**choice_counts("casts")).order_by("-session__date", "order")

    def for_listing(self):
        # session: its date; organization: its name and address; casts: each state's vote.
        return self.with_tally().select_related("session", "organization").prefetch_related("casts")

    def of_organization(self, organization):
        """An organization's votes with their tallies, oldest first: one query."""
        return (
            self.filter(organization=organization)
            .with_tally()
            .select_related("session")
            .order_by("session__date", "order")
        )


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

    objects = VoteQuerySet.as_manager()

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

    def get_absolute_url(self):
        return f"{self.session.get_absolute_url()}#vote-{self.order}"

    def tally(self):
        """(choice, label, count) for each choice, as with_tally() counted them."""
        return [
            (choice, label, getattr(self, choice, 0)) for choice, label in VoteCast.Choice.choices
        ]

    def casts_by_choice(self):
        """(label, [casts]) for each choice some member state made, from prefetched casts."""
        casts = list(self.casts.all())
        groups = [
            (label, sorted((c for c in casts if c.choice == choice), key=lambda c: c.country.name))
            for choice, label in VoteCast.Choice.choices
        ]
        return [(label, group) for label, group in groups if group]


class VoteCastQuerySet(models.QuerySet):
    def by_member_state(self):
        """Rows of member state (`country`) and its votes counted by choice, one query."""
        return self.values("country").annotate(**choice_counts()).order_by("country")


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

    objects = VoteCastQuerySet.as_manager()

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
