"""Networks organizations join, their memberships (including UN consultative status) and
the programs organizations run together."""

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from directory.models.base import (
    Cited,
    Described,
    Founded,
    Named,
    NaturalKeyModel,
    NaturalKeyQuerySet,
    Period,
    PeriodQuerySet,
    Searchable,
    SearchableQuerySet,
    WebAddressField,
)


class NetworkQuerySet(SearchableQuerySet):
    # Its members and its programs.
    tie_relations = ("memberships", "programs")

    def with_member_count(self):
        """Annotate how many organizations each network has, as a subquery: a join and GROUP
        BY would drop the default ordering and grow with the number of memberships."""
        members = (
            Membership.objects.filter(network=OuterRef("pk"))
            .order_by()
            .values("network")
            .annotate(count=Count("organization", distinct=True))
            .values("count")
        )
        return self.annotate(member_count=Coalesce(Subquery(members), 0))

    def for_listing(self):
        return self.with_member_count().select_related("secretariat").prefetch_related("sources")

    def for_detail(self):
        """A network with its programs and sources. Its members are read a page at a time
        (Membership.objects.members_of): a network may have tens of thousands."""
        return self.for_listing().prefetch_related("programs", "sources__publisher")


class Network(Named, Searchable, Described, Founded, Cited):
    """An international or domestic network, platform or system that organizations join or
    work through, such as UN ECOSOC consultative status or VSO's partner network."""

    stated_fields = ("abbreviation", "founded_on", "secretariat", "website")

    class Kind(models.TextChoices):
        CONSULTATIVE_STATUS = "consultative_status", _("consultative status system")
        VOLUNTEER_PROGRAMME = "volunteer_programme", _("volunteer programme")
        PARTNER_NETWORK = "partner_network", _("partner network")
        PLATFORM = "platform", _("platform or committee")
        PROFESSIONAL_NETWORK = "professional_network", _("professional network")
        ALLIANCE = "alliance", _("alliance or coalition")

    class Scope(models.TextChoices):
        INTERNATIONAL = "international", _("international")
        REGIONAL = "regional", _("regional")
        NATIONAL = "national", _("national")

    abbreviation = models.CharField(_("abbreviation"), max_length=50, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    secretariat = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secretariat_of",
        verbose_name=_("secretariat"),
        help_text=_("The organization that runs the network."),
    )
    website = WebAddressField(_("website"), max_length=500, blank=True)

    objects = NetworkQuerySet.as_manager()

    class Meta(Named.Meta):
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["slug"]

    def get_absolute_url(self):
        return reverse("network-page", args=[self.slug])

    def search_forms(self):
        names, chinese, extra = super().search_forms()
        return [*names, self.abbreviation], chinese, extra


class MembershipQuerySet(PeriodQuerySet, NaturalKeyQuerySet):
    def search(self, text: str):
        """Memberships of the organizations, or in the networks, that the text finds."""
        from directory.models import Organization

        return self.filter(
            Q(organization__in=Organization.objects.search(text).values("pk"))
            | Q(network__in=Network.objects.search(text).values("pk"))
        )

    def matching(
        self, *, network=None, role=None, level=None, started_after=None, started_before=None
    ):
        """Memberships meeting all the given conditions at once (None means any)."""
        conditions = {
            "network": network,
            "role": role,
            "level": level,
            "start_date__gte": started_after,
            "start_date__lte": started_before,
        }
        return self.filter(
            **{key: value for key, value in conditions.items() if value not in (None, "")}
        )

    def for_listing(self):
        return self.select_related("organization", "network").prefetch_related("sources")

    def joined_by_year(self):
        """Rows of year and how many of these memberships began in it, oldest first, those
        with a recorded start only: one query."""
        return (
            self.filter(start_date__isnull=False)
            .annotate(year=ExtractYear("start_date"))
            .values("year")
            .annotate(count=Count("id"))
            .order_by("year")
        )

    def in_member_order(self):
        """By organization, in the order the organizations were recorded: read in that
        order from the (network, organization) index, so that the first page of a network
        of tens of thousands of members is as quick as a small one's (sorting them by name
        reads and sorts every member first)."""
        return self.order_by("organization_id", "pk")

    def members_of(self, network):
        return self.filter(network=network).select_related("organization").in_member_order()


class Membership(NaturalKeyModel, Period, Cited):
    """An organization's place in a network: member, founder, partner, or holder of
    consultative status at a level."""

    stated_fields = ("level", "start_date", "end_date")

    class Role(models.TextChoices):
        MEMBER = "member", _("member")
        FOUNDER = "founder", _("founder")
        CONSULTATIVE_STATUS = "consultative_status", _("consultative status")
        PARTNER = "partner", _("partner")
        FUNDER = "funder", _("funder")
        OBSERVER = "observer", _("observer")

    class Level(models.TextChoices):
        GENERAL = "general", _("General")
        SPECIAL = "special", _("Special")
        ROSTER = "roster", _("Roster")
        UNKNOWN = "unknown", _("level not stated")

    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    network = models.ForeignKey(
        Network, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("network")
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    level = models.CharField(
        _("consultative status level"),
        max_length=10,
        choices=Level.choices,
        blank=True,
        help_text=_("Only for consultative status. Choose 'level not stated' rather than guess."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = MembershipQuerySet.as_manager()

    natural_key_fields = ("organization", "network", "role", "start_date")
    organization_field = "organization"

    class Meta(Period.Meta):
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network_id", models.F("start_date").asc(nulls_first=True), "id"]
        # A network's members in organization order: its first few, read from the index
        # whatever the network's size (the relationship graph).
        indexes = [
            models.Index(fields=["network", "organization"], name="networks_membership_members"),
            # The consultative-status facet: the levels of the organizations a list
            # selects, without reading their other memberships, which a large selection
            # has many of.
            models.Index(
                fields=["organization", "level"],
                condition=Q(role="consultative_status"),
                name="networks_membership_status",
            ),
        ]
        constraints = [
            *Period.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(role="consultative_status") & ~Q(level=""))
                | (~Q(role="consultative_status") & Q(level="")),
                name="%(app_label)s_%(class)s_level_only_for_consultative_status",
                violation_error_message=_(
                    "Consultative status needs a level (choose 'level not stated' if the source "
                    "does not give it); other roles have none."
                ),
            ),
            models.UniqueConstraint(
                fields=["organization", "network", "role", "start_date"],
                name="%(app_label)s_%(class)s_unique_dated",
                violation_error_message=_(
                    "This organization already has this role in this network from this date."
                ),
            ),
            models.UniqueConstraint(
                fields=["organization", "network", "role"],
                condition=Q(start_date__isnull=True),
                name="%(app_label)s_%(class)s_unique_undated",
                violation_error_message=_(
                    "This organization already has this role in this network."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.network} ({self.get_role_display()})"

    def get_absolute_url(self):
        return self.organization.get_absolute_url() + "#memberships"


class ProgramQuerySet(SearchableQuerySet):
    # The organizations that run, fund or join it.
    tie_relations = ("roles",)

    def serving(self, country_code: str):
        """Programs whose countries include the code (stored comma-separated, e.g. "MM,MN")."""
        return self.filter(
            Q(countries=country_code)
            | Q(countries__startswith=f"{country_code},")
            | Q(countries__endswith=f",{country_code}")
            | Q(countries__contains=f",{country_code},")
        )

    def for_listing(self):
        # roles__organization: each row names who runs and funds the program.
        return self.select_related("network", "parent", "launch_event").prefetch_related(
            "roles__organization", "sources"
        )

    def for_detail(self):
        return self.for_listing().prefetch_related("subprograms", "sources__publisher")


class Program(Named, Searchable, Described, Period, Cited):
    """A program or project that organizations run, fund or take part in together."""

    stated_fields = (
        "network",
        "parent",
        "launch_event",
        "start_date",
        "end_date",
        "frequency",
        "countries",
    )

    class Kind(models.TextChoices):
        VOLUNTEER_SERVICE = "volunteer_service", _("volunteer service")
        CAPACITY_BUILDING = "capacity_building", _("capacity building")
        GRANT_SUPPORT = "grant_support", _("grant support")
        TRAINING = "training", _("training")
        EVENT_SERIES = "event_series", _("event series")
        CAMPAIGN = "campaign", _("campaign")
        OTHER = "other", _("other")

    class Frequency(models.TextChoices):
        ONE_OFF = "one_off", _("one-off")
        ANNUAL = "annual", _("every year")
        ONGOING = "ongoing", _("ongoing")

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=Frequency.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subprograms",
        verbose_name=_("part of program"),
    )
    network = models.ForeignKey(
        Network,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("run through network"),
    )
    launch_event = models.ForeignKey(
        "events.Event",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="launched_programs",
        verbose_name=_("launched at event"),
    )
    countries = CountryField(_("countries served"), multiple=True, blank=True)

    objects = ProgramQuerySet.as_manager()

    class Meta(Named.Meta):
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["slug"]
        constraints = [*Named.Meta.constraints, *Period.Meta.constraints]

    def get_absolute_url(self):
        return reverse("program-page", args=[self.slug])


class ProgramRoleQuerySet(NaturalKeyQuerySet):
    def for_listing(self):
        return self.select_related("program", "organization").prefetch_related("sources")


class ProgramRole(NaturalKeyModel, Cited):
    """What an organization does in a program: initiates, operates, partners or funds it."""

    class Role(models.TextChoices):
        INITIATOR = "initiator", _("initiator")
        OPERATOR = "operator", _("operator")
        PARTNER = "partner", _("partner")
        FUNDER = "funder", _("funder")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="roles", verbose_name=_("program")
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="program_roles",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    notes = models.TextField(_("notes"), blank=True)

    objects = ProgramRoleQuerySet.as_manager()

    natural_key_fields = ("program", "organization", "role")

    class Meta:
        verbose_name = _("program role")
        verbose_name_plural = _("program roles")
        ordering = ["program_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "organization", "role"],
                name="%(app_label)s_%(class)s_unique_role",
                violation_error_message=_(
                    "This organization already has this role in this program."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.program} ({self.get_role_display()})"

    def get_absolute_url(self):
        return self.program.get_absolute_url()
