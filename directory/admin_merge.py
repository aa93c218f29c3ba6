"""The admin action that merges organizations found to be the same one."""

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from directory.merging import MergeRefused, merge_organizations, related_counts


@admin.action(description=_("Merge selected organizations"), permissions=["merge"])
def merge_selected(modeladmin, request, queryset):
    """First a page to choose the organization to keep, showing what each would bring; once
    confirmed, the merge."""
    organizations = list(queryset)
    if len(organizations) < 2:
        modeladmin.message_user(
            request, _("Select two or more organizations to merge."), messages.WARNING
        )
        return None
    kept = next(
        (
            organization
            for organization in organizations
            if str(organization.pk) == request.POST.get("kept")
        ),
        None,
    )
    if request.POST.get("post") and kept is not None:
        return merge(modeladmin, request, kept, organizations)
    return TemplateResponse(
        request,
        "admin/directory/organization/merge.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": _("Merge organizations"),
            "opts": modeladmin.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "choices": [
                (organization, related_counts(organization)) for organization in organizations
            ],
            "unchosen": bool(request.POST.get("post")),
        },
    )


def merge(modeladmin, request, kept, organizations):
    duplicates = [organization for organization in organizations if organization != kept]
    names = ", ".join(str(duplicate) for duplicate in duplicates)
    try:
        summary = merge_organizations(kept, duplicates)
    except MergeRefused as refusal:
        modeladmin.message_user(request, str(refusal), messages.ERROR)
        return None
    message = _("Merged %(names)s into %(kept)s. Moved: %(moved)s.") % {
        "names": names,
        "kept": kept,
        "moved": listed(summary.moved),
    }
    if summary.folded:
        message += " " + _("Already there, so combined with the existing record: %(folded)s.") % {
            "folded": listed(summary.folded)
        }
    modeladmin.message_user(request, message, messages.SUCCESS)
    return HttpResponseRedirect(reverse("admin:directory_organization_change", args=[kept.pk]))


def listed(counts) -> str:
    return ", ".join(f"{label} ({count})" for label, count in counts.items()) or _("nothing")


class MergeActionMixin:
    """Gives a model admin the merge action, for users who may both change and delete."""

    actions = [merge_selected]

    def has_merge_permission(self, request):
        # Merging deletes the organizations not kept. An action's own list of permissions
        # asks for any one of them, not all.
        return self.has_change_permission(request) and self.has_delete_permission(request)
