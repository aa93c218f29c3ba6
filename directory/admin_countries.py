"""The admin's review list of countries suggested by organizations' names
(directory.countries): an editor ticks the right ones and accepts them; nothing is set
otherwise."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries

PER_PAGE = 100


@admin.action(description=_("Set suggested country"), permissions=["change"])
def set_suggested_country(modeladmin, request, queryset):
    report_accepted(modeladmin, request, queryset.accept_country_suggestions(request.user))


def report_accepted(modeladmin, request, accepted):
    modeladmin.message_user(
        request,
        ngettext(
            "Set the suggested country of %(count)d organization.",
            "Set the suggested country of %(count)d organizations.",
            accepted,
        )
        % {"count": accepted},
        messages.SUCCESS,
    )


class CountrySuggestionsMixin:
    """The review list of suggested countries, linked from the organizations' list. The
    model admin lists set_suggested_country among its actions."""

    change_list_template = "admin/directory/organization/change_list.html"

    def get_urls(self):
        return [
            path(
                "country-suggestions/",
                self.admin_site.admin_view(self.country_suggestions_view),
                name="directory_organization_country_suggestions",
            ),
            *super().get_urls(),
        ]

    def country_suggestions_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            selected = [pk for pk in request.POST.getlist("selected") if pk.isdigit()]
            accepted = self.model.objects.filter(pk__in=selected).accept_country_suggestions(
                request.user
            )
            report_accepted(self, request, accepted)
            if accepted < len(selected):
                self.message_user(
                    request,
                    _(
                        "%(count)d had a country set meanwhile, or no longer a suggestion: "
                        "left as they are."
                    )
                    % {"count": len(selected) - accepted},
                    messages.WARNING,
                )
            return HttpResponseRedirect(request.get_full_path())
        country = request.GET.get("country", "")
        suggestions = self.model.objects.country_suggestions()
        counts: dict[str, int] = {}
        for suggestion in suggestions.values():
            counts[suggestion.country] = counts.get(suggestion.country, 0) + 1
        shown = [
            (pk, suggestion)
            for pk, suggestion in suggestions.items()
            if country in ("", suggestion.country)
        ]
        page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
        organizations = self.model.objects.only("id", "slug", "name_zh", "name_en").in_bulk(
            [pk for pk, _suggestion in page]
        )
        return TemplateResponse(
            request,
            "admin/directory/organization/country_suggestions.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": _("Countries suggested by the names"),
                "page": page,
                "rows": [
                    (organizations[pk], suggestion)
                    for pk, suggestion in page
                    if pk in organizations
                ],
                "country": country,
                "total": len(suggestions),
                "choices": sorted(
                    ((code, countries.name(code), count) for code, count in counts.items()),
                    key=lambda choice: (-choice[2], choice[1]),
                ),
                "change_url": reverse("admin:directory_organization_changelist"),
            },
        )
