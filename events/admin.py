import nested_admin
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from directory.admin_tools import (
    CitedInlineMixin,
    DirectorySearchAdmin,
    HistoryAdmin,
    YearListFilter,
)
from events.models import Event, Participation, Session, Talk

TALK_FIELDS = [
    "order",
    "speaker",
    "role",
    "speaker_organization",
    "speaker_title_zh",
    "speaker_title_en",
    "title_zh",
    "title_en",
    "remote",
    "sources",
]


class TalkInline(CitedInlineMixin, nested_admin.NestedTabularInline):
    model = Talk
    fields = TALK_FIELDS
    autocomplete_fields = ["speaker", "speaker_organization"]
    sortable_field_name = "order"


class SessionInline(CitedInlineMixin, nested_admin.NestedStackedInline):
    model = Session
    fields = ["order", "kind", "title_zh", "title_en", "start_time", "end_time", "sources"]
    sortable_field_name = "order"
    inlines = [TalkInline]


class ParticipationInline(CitedInlineMixin, nested_admin.NestedTabularInline):
    model = Participation
    fields = ["organization", "role", "sources"]
    autocomplete_fields = ["organization"]
    verbose_name_plural = _("organizers and participating organizations")


@admin.register(Event)
class EventAdmin(DirectorySearchAdmin, nested_admin.NestedModelAdmin):
    list_display = [
        "name_zh",
        "name_en",
        "start_date",
        "city",
        "country",
        "attendance_mode",
        "kind",
    ]
    list_filter = [YearListFilter, "kind", "attendance_mode", ("country", CountryFilter)]
    list_select_related = ["city"]
    search_fields = ["name_zh", "name_en", "slug", "venue_zh", "venue_en"]
    autocomplete_fields = ["city", "sources"]
    date_hierarchy = "start_date"
    fieldsets = [
        (None, {"fields": ["name_zh", "name_en", "slug", "kind", "attendance_mode"]}),
        (
            _("When"),
            {
                "fields": [
                    "start_date",
                    "start_precision",
                    "end_date",
                    "end_precision",
                    "start_time",
                    "end_time",
                ]
            },
        ),
        (_("Where"), {"fields": ["venue_zh", "venue_en", "city", "country"]}),
        (_("About"), {"fields": ["description_zh", "description_en", "sources", "citations"]}),
    ]
    inlines = [ParticipationInline, SessionInline]


class EventYearListFilter(YearListFilter):
    date_field = "event__start_date"

    def lookups(self, request, model_admin):
        years = Event.objects.dates("start_date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]


@admin.register(Session)
class SessionAdmin(HistoryAdmin, nested_admin.NestedModelAdmin):
    list_display = ["__str__", "event", "order", "kind"]
    list_filter = [EventYearListFilter, "kind"]
    list_select_related = ["event"]
    search_fields = ["title_zh", "title_en", "event__name_zh", "event__name_en"]
    autocomplete_fields = ["event", "sources"]
    inlines = [TalkInline]


@admin.register(Talk)
class TalkAdmin(HistoryAdmin):
    list_display = ["speaker", "role", "title_zh", "speaker_organization", "session", "remote"]
    list_filter = ["role", "remote"]
    list_select_related = ["speaker", "speaker_organization", "session__event"]
    search_fields = [
        "title_zh",
        "title_en",
        "speaker__name_zh",
        "speaker__name_en",
        "session__event__name_zh",
        "session__event__name_en",
    ]
    autocomplete_fields = ["session", "speaker", "speaker_organization", "sources"]


@admin.register(Participation)
class ParticipationAdmin(HistoryAdmin):
    list_display = ["organization", "event", "role"]
    list_filter = ["role", EventYearListFilter]
    list_select_related = ["organization", "event"]
    search_fields = [
        "organization__name_zh",
        "organization__name_en",
        "event__name_zh",
        "event__name_en",
    ]
    autocomplete_fields = ["organization", "event", "sources"]
