"""Events, their agenda (sessions in order, talks in order) and the organizations taking part."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from directory.models.base import (
    Cited,
    Described,
    Named,
    NaturalKeyModel,
    NaturalKeyQuerySet,
    Period,
    Searchable,
    SearchableQuerySet,
    localized,
    outside_organization_life,
)


class EventQuerySet(SearchableQuerySet):
    # The organizations that organized it or took part.
    tie_relations = ("participations",)

    def for_listing(self):
        return self.select_related("city").prefetch_related("sources")

    def for_detail(self):
        """An event with its agenda (sessions and talks in order) and its organizations:
        one query per relation, what its records lead to read with them (not built on
        for_listing(), whose plain "sources" lookup would clash with the sources joined to
        their publishers here)."""
        return (
            self.select_related("city")
            .prefetch_related(
                self.joined("participations", "organization"),
                self.joined("sessions"),
                self.joined("talks", "speaker", "speaker_organization", through="sessions"),
                self.joined("launched_programs"),
                self.joined("sources", "publisher"),
            )
            .compiled_once("for_detail")
        )


class Event(Named, Searchable, Described, Period, Cited):
    stated_fields = (
        "start_date",
        "end_date",
        "start_time",
        "end_time",
        "venue_zh",
        "city",
        "country",
    )

    class Kind(models.TextChoices):
        MEETING = "meeting", _("meeting or exchange")
        FORUM = "forum", _("forum or conference")
        RELIEF_OPERATION = "relief_operation", _("relief operation")
        OTHER = "other", _("other")

    class AttendanceMode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid (in person with remote participants)")

    start_date = models.DateField(_("start"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    attendance_mode = models.CharField(
        _("attendance"),
        max_length=10,
        choices=AttendanceMode.choices,
        blank=True,
        help_text=_("Leave empty when the source does not say."),
    )
    start_time = models.TimeField(
        _("start time"), null=True, blank=True, help_text=_("Local time at the venue.")
    )
    end_time = models.TimeField(
        _("end time"), null=True, blank=True, help_text=_("Local time at the venue.")
    )
    venue_zh = models.CharField(_("venue in Chinese"), max_length=255, blank=True)
    venue_en = models.CharField(_("venue in English"), max_length=255, blank=True)
    city = models.ForeignKey(
        "directory.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("city"),
    )
    country = CountryField(_("country"), blank=True)

    objects = EventQuerySet.as_manager()

    class Meta(Named.Meta):
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-start_date", "slug"]
        constraints = [
            *Named.Meta.constraints,
            *Period.Meta.constraints,
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_date__isnull=False, end_date__gt=F("start_date"))
                | Q(end_time__gte=F("start_time")),
                name="%(app_label)s_%(class)s_ends_after_start_time",
                violation_error_message=_("The event cannot end before it starts."),
            ),
        ]

    def get_absolute_url(self):
        return reverse("event-page", args=[self.slug])

    def search_forms(self):
        # The venue is searched as the names are ("新世界" finds the meeting held at the New
        # World hotel), in both languages, the Chinese one by its characters too.
        names, chinese, extra = super().search_forms()
        names = [*names, self.venue_zh, self.venue_en]
        chinese = [*chinese, self.venue_zh]
        return names, chinese, [*extra, self.start_date.year] if self.start_date else extra

    @property
    def venue(self) -> str:
        return localized(self, "venue")

    def slug_base(self) -> str:
        name = super().slug_base()
        return f"{self.start_date.year}-{name}" if self.start_date else name

    def clean(self):
        super().clean()
        if self.city_id and not self.country:
            self.country = self.city.country


class SessionQuerySet(NaturalKeyQuerySet):
    def search(self, text: str):
        """Sessions of the events the text finds, or with the title."""
        return self.filter(
            Q(event__in=Event.objects.search(text).values("pk"))
            | Q(title_zh__icontains=text)
            | Q(title_en__icontains=text)
        )

    def for_listing(self):
        # talks: each session is shown with its agenda.
        return self.select_related("event").prefetch_related(
            "talks__speaker", "talks__speaker_organization", "sources"
        )


class Session(NaturalKeyModel, Cited):
    """One part of an event's agenda, in order: opening, keynote, roundtable and so on."""

    stated_fields = ("start_time", "end_time", "title_zh")

    class Kind(models.TextChoices):
        OPENING = "opening", _("opening")
        KEYNOTE = "keynote", _("keynote presentation")
        THEMATIC = "thematic", _("thematic sharing")
        ROUNDTABLE = "roundtable", _("roundtable")
        FREE_EXCHANGE = "free_exchange", _("free exchange")
        CLOSING = "closing", _("closing")
        OTHER = "other", _("other")

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("event")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title_zh = models.CharField(_("title in Chinese"), max_length=255, blank=True)
    title_en = models.CharField(_("title in English"), max_length=255, blank=True)
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    end_time = models.TimeField(_("end time"), null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    natural_key_fields = ("event", "order")

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "order"],
                name="%(app_label)s_%(class)s_unique_order",
                violation_error_message=_(
                    "Another session of this event has this place in the order."
                ),
            ),
            models.CheckConstraint(
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gte=F("start_time")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("The session cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.event} · {self.order}. {self.title or self.get_kind_display()}"

    def clean(self):
        super().clean()
        event = self.event if self.event_id else None
        if event is None or not (event.start_time and event.end_time) or event.end_date:
            return  # only a one-day event with its hours bounds its sessions' hours
        errors = {}
        for name in ("start_time", "end_time"):
            time = getattr(self, name)
            if time and not event.start_time <= time <= event.end_time:
                errors[name] = _("The event runs from %(start)s to %(end)s.") % {
                    "start": event.start_time.strftime("%H:%M"),
                    "end": event.end_time.strftime("%H:%M"),
                }
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return f"{self.event.get_absolute_url()}#session-{self.order}"

    @property
    def title(self) -> str:
        return localized(self, "title")


class TalkQuerySet(NaturalKeyQuerySet):
    def search(self, text: str):
        """Talks by the people the text finds, or with the title."""
        from directory.models import Person

        return self.filter(
            Q(speaker__in=Person.objects.search(text).values("pk"))
            | Q(title_zh__icontains=text)
            | Q(title_en__icontains=text)
        )

    def for_listing(self):
        return self.select_related(
            "session__event", "speaker", "speaker_organization"
        ).prefetch_related("sources")


class Talk(NaturalKeyModel, Cited):
    """A person's part in a session, with the organization and title they spoke for then."""

    stated_fields = ("title_zh", "remote", "speaker_organization", "speaker_title_zh")

    class Role(models.TextChoices):
        SPEAKER = "speaker", _("speaker")
        MODERATOR = "moderator", _("moderator")
        PANELIST = "panelist", _("panelist")

    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="talks", verbose_name=_("session")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    speaker = models.ForeignKey(
        "directory.Person",
        on_delete=models.PROTECT,
        related_name="talks",
        verbose_name=_("speaker"),
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.SPEAKER)
    speaker_organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="talks",
        verbose_name=_("speaker's organization then"),
    )
    speaker_title_zh = models.CharField(
        _("speaker's title then, in Chinese"), max_length=255, blank=True
    )
    speaker_title_en = models.CharField(
        _("speaker's title then, in English"), max_length=255, blank=True
    )
    title_zh = models.CharField(_("talk title in Chinese"), max_length=255, blank=True)
    title_en = models.CharField(_("talk title in English"), max_length=255, blank=True)
    remote = models.BooleanField(
        _("remote"), default=False, help_text=_("Spoke over a video or phone link.")
    )

    objects = TalkQuerySet.as_manager()

    natural_key_fields = ("session", "order")

    class Meta:
        verbose_name = _("talk")
        verbose_name_plural = _("talks")
        ordering = ["session_id", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "order"],
                name="%(app_label)s_%(class)s_unique_order",
                violation_error_message=_(
                    "Another talk in this session has this place in the order."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.speaker}: {self.title or self.get_role_display()}"

    def clean(self):
        super().clean()
        # The organization a speaker spoke for existed on the day: founded, not yet succeeded.
        if self.speaker_organization_id and self.session_id:
            event = self.session.event
            if problem := outside_organization_life(
                self.speaker_organization, event.start_date, event.start_precision
            ):
                raise ValidationError({"speaker_organization": problem})

    def get_absolute_url(self):
        return f"{self.session.event.get_absolute_url()}#talk-{self.pk}"

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def speaker_title(self) -> str:
        return localized(self, "speaker_title")


class ParticipationQuerySet(NaturalKeyQuerySet):
    def search(self, text: str):
        """Parts in the events the text finds, or of the organizations it finds."""
        from directory.models import Organization

        return self.filter(
            Q(event__in=Event.objects.search(text).values("pk"))
            | Q(organization__in=Organization.objects.search(text).values("pk"))
        )

    def for_listing(self):
        return self.select_related("event", "organization").prefetch_related("sources")


class Participation(NaturalKeyModel, Cited):
    """An organization's part in an event: organizer, co-organizer or participant."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("organizer")
        CO_ORGANIZER = "co_organizer", _("co-organizer")
        SUPPORTER = "supporter", _("supporter")
        PARTICIPANT = "participant", _("participant")

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="participations", verbose_name=_("event")
    )
    organization = models.ForeignKey(
        "directory.Organization",
        on_delete=models.PROTECT,
        related_name="event_participations",
        verbose_name=_("organization"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    objects = ParticipationQuerySet.as_manager()

    natural_key_fields = ("event", "organization", "role")

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["event_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization", "role"],
                name="%(app_label)s_%(class)s_unique_role",
                violation_error_message=_("This organization already has this role at this event."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.event} ({self.get_role_display()})"

    def get_absolute_url(self):
        return self.event.get_absolute_url()
