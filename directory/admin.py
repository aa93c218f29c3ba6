from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from directory.admin_countries import CountrySuggestionsMixin, set_suggested_country
from directory.admin_merge import MergeActionMixin, merge_selected
from directory.admin_tools import (
    CitedInlineMixin,
    DirectorySearchAdmin,
    HistoryAdmin,
    PartialDatesForm,
    RefuseDeleteWhileReferencedAdmin,
    SpreadsheetMixin,
    UniqueRowsInlineFormSet,
)
from directory.models import (
    City,
    ErrorReport,
    FieldOfWork,
    FormerSlug,
    Identifier,
    Organization,
    OrganizationName,
    Person,
    Position,
    Source,
)
from directory.resources import OrganizationResource, PersonResource

NAME_SEARCH = ["name_zh", "name_en", "slug"]


@admin.register(City)
class CityAdmin(HistoryAdmin):
    list_display = ["name_zh", "name_en", "country", "slug"]
    list_filter = [("country", CountryFilter)]
    search_fields = NAME_SEARCH


@admin.register(FieldOfWork)
class FieldOfWorkAdmin(RefuseDeleteWhileReferencedAdmin):
    list_display = ["name_zh", "name_en", "slug", "organization_count"]
    search_fields = NAME_SEARCH

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(organization_count=Count("organizations"))

    @admin.display(description=_("organizations"), ordering="organization_count")
    def organization_count(self, field):
        return field.organization_count


@admin.register(Source)
class SourceAdmin(RefuseDeleteWhileReferencedAdmin):
    list_display = ["title", "publisher", "author", "published_on", "language", "kind"]
    list_filter = ["kind", "language"]
    list_select_related = ["publisher"]
    search_fields = [
        "title",
        "author",
        "slug",
        "web_address",
        "publisher__name_zh",
        "publisher__name_en",
    ]
    autocomplete_fields = ["publisher"]
    date_hierarchy = "published_on"


class OtherNameInline(admin.TabularInline):
    model = OrganizationName
    # Citations of an other name are edited on its own page: their rows do not fit in a row.
    fields = ["name", "language", "kind", "end_date", "end_precision"]
    form = PartialDatesForm
    formset = UniqueRowsInlineFormSet
    extra = 0


class FormerSlugInline(admin.TabularInline):
    """Old addresses that lead to this organization: made by merges and slug changes; an
    editor may add one (an address used elsewhere) or remove one."""

    model = FormerSlug
    fields = ["slug", "retired_at"]
    readonly_fields = ["retired_at"]
    extra = 0


class IdentifierInline(admin.TabularInline):
    model = Identifier
    formset = UniqueRowsInlineFormSet
    extra = 0


class OrganizationPositionInline(CitedInlineMixin, admin.TabularInline):
    model = Position
    fields = [
        "person",
        "title_zh",
        "title_en",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "sources",
    ]
    autocomplete_fields = ["person"]
    verbose_name_plural = _("people and their positions")


@admin.register(Organization)
class OrganizationAdmin(
    CountrySuggestionsMixin, MergeActionMixin, SpreadsheetMixin, DirectorySearchAdmin
):
    resource_classes = [OrganizationResource]
    actions = [merge_selected, set_suggested_country]
    list_display = ["name_zh", "name_en", "kind", "city", "country", "parent"]
    list_filter = [
        "kind",
        "fields",
        ("country", CountryFilter),
        ("memberships__network", admin.RelatedOnlyFieldListFilter),
        "memberships__role",
        "memberships__level",
    ]
    list_select_related = ["city", "parent"]
    search_fields = [*NAME_SEARCH, "other_names__name", "identifiers__value"]
    autocomplete_fields = ["city", "parent", "successor", "fields", "sources"]
    fieldsets = [
        (None, {"fields": ["name_zh", "name_en", "slug", "kind", "fields"]}),
        (
            _("Place and structure"),
            {"fields": ["city", "country", "parent", ("successor", "succeeded_on")]},
        ),
        (
            _("About"),
            {
                "fields": [
                    "founded_on",
                    "founded_precision",
                    "website",
                    "description_zh",
                    "description_en",
                    "sources",
                    "citations",
                ]
            },
        ),
    ]
    inlines = [OtherNameInline, IdentifierInline, OrganizationPositionInline, FormerSlugInline]

    @classmethod
    def add_inline(cls, inline):
        """Let the apps that relate to organizations add their own inlines here."""
        cls.inlines = [*cls.inlines, inline]


@admin.register(OrganizationName)
class OrganizationNameAdmin(HistoryAdmin):
    list_display = ["name", "organization", "language", "kind", "end_date"]
    list_filter = ["kind", "language"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name_zh", "organization__name_en"]
    autocomplete_fields = ["organization"]


@admin.register(Identifier)
class IdentifierAdmin(HistoryAdmin):
    list_display = ["value", "scheme", "organization"]
    list_filter = ["scheme"]
    list_select_related = ["organization"]
    search_fields = ["value", "organization__name_zh", "organization__name_en"]
    autocomplete_fields = ["organization"]


@admin.register(FormerSlug)
class FormerSlugAdmin(admin.ModelAdmin):
    list_display = ["slug", "organization", "retired_at"]
    list_select_related = ["organization"]
    search_fields = ["slug", "organization__name_zh", "organization__name_en"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "retired_at"


class PersonPositionInline(CitedInlineMixin, admin.TabularInline):
    model = Position
    fields = [
        "organization",
        "title_zh",
        "title_en",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
        "sources",
    ]
    autocomplete_fields = ["organization"]


@admin.register(Person)
class PersonAdmin(SpreadsheetMixin, DirectorySearchAdmin):
    resource_classes = [PersonResource]
    list_display = ["name_zh", "name_en", "slug"]
    list_filter = ["positions__organization__kind"]
    search_fields = NAME_SEARCH
    autocomplete_fields = ["sources"]
    fields = [
        "name_zh",
        "name_en",
        "slug",
        "description_zh",
        "description_en",
        "sources",
        "citations",
    ]
    inlines = [PersonPositionInline]


@admin.register(Position)
class PositionAdmin(HistoryAdmin):
    list_display = ["person", "title_zh", "title_en", "organization", "start_date", "end_date"]
    list_select_related = ["person", "organization"]
    search_fields = [
        "person__name_zh",
        "person__name_en",
        "organization__name_zh",
        "organization__name_en",
        "title_zh",
        "title_en",
    ]
    autocomplete_fields = ["person", "organization", "sources"]


@admin.register(ErrorReport)
class ErrorReportAdmin(admin.ModelAdmin):
    """Readers' reports of errors (directory.record_pages): read, acted on in the record
    they concern, then marked handled. They come from the public form alone."""

    list_display = ["created_at", "excerpt", "page_link", "content_type", "has_email", "handled"]
    list_display_links = ["created_at", "excerpt"]
    list_filter = ["handled", "content_type"]
    list_select_related = ["content_type"]
    search_fields = ["message", "page", "source", "email"]
    date_hierarchy = "created_at"
    fields = [
        "page_link",
        "content_type",
        "object_id",
        "message",
        "source",
        "email",
        "created_at",
        "handled",
        "handled_at",
    ]
    readonly_fields = [
        "page_link",
        "content_type",
        "object_id",
        "message",
        "source",
        "email",
        "created_at",
        "handled_at",
    ]
    actions = ["mark_handled", "mark_unhandled"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("what is wrong"))
    def excerpt(self, report):
        return Truncator(report.message).chars(80)

    @admin.display(description=_("page"), ordering="page")
    def page_link(self, report):
        return format_html('<a href="{}">{}</a>', report.page, report.page)

    @admin.display(description=_("email"), boolean=True)
    def has_email(self, report):
        return bool(report.email)

    def save_model(self, request, report, form, change):
        if "handled" in form.changed_data:
            report.handled_at = timezone.now() if report.handled else None
        super().save_model(request, report, form, change)

    @admin.action(description=_("Mark the selected reports handled"))
    def mark_handled(self, request, queryset):
        queryset.filter(handled=False).update(handled=True, handled_at=timezone.now())

    @admin.action(description=_("Mark the selected reports not handled"))
    def mark_unhandled(self, request, queryset):
        queryset.update(handled=False, handled_at=None)
