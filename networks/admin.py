from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from directory.admin import OrganizationAdmin
from directory.admin_tools import (
    CitedInlineMixin,
    DirectorySearchAdmin,
    HistoryAdmin,
    SpreadsheetMixin,
)
from networks.models import Membership, Network, Program, ProgramRole
from networks.resources import MembershipResource

PERIOD_FIELDS = ["start_date", "start_precision", "end_date", "end_precision"]


class OrganizationMembershipInline(CitedInlineMixin, admin.TabularInline):
    model = Membership
    fields = ["network", "role", "level", *PERIOD_FIELDS, "notes", "sources"]
    autocomplete_fields = ["network"]
    verbose_name_plural = _("memberships in networks")


class NetworkMembershipInline(CitedInlineMixin, admin.TabularInline):
    model = Membership
    fields = ["organization", "role", "level", *PERIOD_FIELDS, "notes", "sources"]
    autocomplete_fields = ["organization"]


class ProgramRoleInline(CitedInlineMixin, admin.TabularInline):
    model = ProgramRole
    fields = ["organization", "role", "notes", "sources"]
    autocomplete_fields = ["organization"]


OrganizationAdmin.add_inline(OrganizationMembershipInline)


@admin.register(Network)
class NetworkAdmin(DirectorySearchAdmin):
    list_display = [
        "name_zh",
        "name_en",
        "abbreviation",
        "kind",
        "scope",
        "secretariat",
        "member_count",
    ]
    list_filter = ["kind", "scope"]
    list_select_related = ["secretariat"]
    search_fields = ["name_zh", "name_en", "abbreviation", "slug"]
    autocomplete_fields = ["secretariat", "sources"]
    inlines = [NetworkMembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_member_count()

    @admin.display(description=_("memberships"), ordering="member_count")
    def member_count(self, network):
        return network.member_count


@admin.register(Membership)
class MembershipAdmin(SpreadsheetMixin, HistoryAdmin):
    resource_classes = [MembershipResource]
    list_display = ["organization", "network", "role", "level", "start_date", "end_date"]
    list_filter = ["network", "role", "level", "organization__country"]
    list_select_related = ["organization", "network"]
    search_fields = [
        "organization__name_zh",
        "organization__name_en",
        "organization__other_names__name",
        "network__name_zh",
        "network__name_en",
        "network__abbreviation",
    ]
    autocomplete_fields = ["organization", "network", "sources"]


@admin.register(Program)
class ProgramAdmin(DirectorySearchAdmin):
    list_display = ["name_zh", "name_en", "kind", "frequency", "network", "start_date"]
    list_filter = ["kind", "frequency", "network"]
    list_select_related = ["network"]
    search_fields = ["name_zh", "name_en", "slug"]
    autocomplete_fields = ["parent", "network", "launch_event", "sources"]
    inlines = [ProgramRoleInline]


@admin.register(ProgramRole)
class ProgramRoleAdmin(HistoryAdmin):
    list_display = ["organization", "program", "role"]
    list_filter = ["role"]
    list_select_related = ["organization", "program"]
    search_fields = [
        "organization__name_zh",
        "organization__name_en",
        "program__name_zh",
        "program__name_en",
    ]
    autocomplete_fields = ["organization", "program", "sources"]


# Registers the import and review admin, and the Committee's decisions and votes.
from networks import committee_admin, imports_admin  # noqa: E402, F401
