"""The Committee on NGOs' sessions, decisions and votes in the admin: written by the ECOSOC
import, so they are read here, searched by organization and filtered by kind and year, and
not edited (an import would write them back as the files state them)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from networks.models import CommitteeSession, Decision, Vote, VoteCast


class ReadMostlyAdmin(admin.ModelAdmin):
    """Viewed and, by those allowed, deleted; never added or changed by hand."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SessionYearFilter(admin.SimpleListFilter):
    title = _("session year")
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CommitteeSession.objects.dates("date", "year", order="DESC")
        return [(str(year.year), str(year.year)) for year in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(session__date__year=self.value())
        return queryset


ORGANIZATION_SEARCH = ["organization__name_en", "organization__name_zh"]


@admin.register(CommitteeSession)
class CommitteeSessionAdmin(ReadMostlyAdmin):
    list_display = ["__str__", "date"]
    date_hierarchy = "date"
    search_fields = ["date"]


@admin.register(Decision)
class DecisionAdmin(ReadMostlyAdmin):
    list_display = ["name", "organization", "kind", "session", "file", "row_number"]
    list_filter = ["kind", SessionYearFilter]
    # __str__ of each row's session and organization.
    list_select_related = ["session", "organization"]
    search_fields = [*ORGANIZATION_SEARCH, "name"]


class VoteCastInline(admin.TabularInline):
    model = VoteCast
    fields = ["country", "choice"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Vote)
class VoteAdmin(ReadMostlyAdmin):
    list_display = ["__str__", "organization", "outcome", "session", "order"]
    list_filter = ["outcome", SessionYearFilter]
    list_select_related = ["session", "organization"]
    search_fields = [*ORGANIZATION_SEARCH, "topic"]
    inlines = [VoteCastInline]
