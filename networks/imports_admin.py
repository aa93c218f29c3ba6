"""The admin's import of the UN Committee on NGOs' decisions (upload, preview, confirm) and
its review list of possible duplicates."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist

from directory.uploads import UploadRefused, read_spreadsheet
from networks.ecosoc.importer import OUTCOME_LABELS, OUTCOMES
from networks.ecosoc.reading import KINDS, UnreadableFile, read_decisions
from networks.ecosoc.review import resolve
from networks.jobs import read_progress, start_import, start_preview
from networks.models import Decision, ImportFile, ImportRun, PossibleDuplicate

KIND_LABELS = {**dict(Decision.Kind.choices), "votes": _("roll-call votes")}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label=_("Files"),
        help_text=_(
            "The ECOSOC_Status spreadsheets (XLSX or CSV): status granted, name changes, "
            "mergers, applications declined, deferred, closed or withdrawn, status "
            "withdrawn, roll-call votes. One or all of them."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind of decisions"),
        choices=[("", _("From the file name")), *((kind, KIND_LABELS[kind]) for kind in KINDS)],
        required=False,
        help_text=_(
            "Read from each file's name as the dataset names it (1_ecosoc_status_granted.xlsx "
            "holds decisions granting status); choose a kind for files named otherwise: it "
            "applies to every file of this upload."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        if "files" not in cleaned or "kind" not in cleaned:
            return cleaned
        self.decision_files = []
        errors = []
        for upload in cleaned["files"]:
            try:
                content = read_spreadsheet(upload, settings.IMPORT_MAX_ROWS)
                self.decision_files.append(
                    read_decisions(upload.name, content, cleaned["kind"] or None)
                )
            except (UploadRefused, UnreadableFile) as error:
                errors.append(str(error))
        if errors:
            self.add_error("files", errors)
        return cleaned


# A job no worker has taken up after this long is pointed out to the editor.
WORKER_EXPECTED_SECONDS = 30


def job_state(run) -> dict:
    """Where the run's background job is: waiting for a worker, or running and how far."""
    try:
        result = default_task_backend.get_result(run.job_id)
    except TaskResultDoesNotExist:
        result = None
    waiting = result is not None and result.status == TaskResultStatus.READY
    return {
        "waiting": waiting,
        "no_worker": waiting
        and (timezone.now() - result.enqueued_at).total_seconds() > WORKER_EXPECTED_SECONDS,
        "progress": read_progress(run),
    }


def counted(outcome, count) -> str:
    """A count and its outcome ("3 created"), in the editor's language."""
    return pgettext("import outcome count", "%(count)d %(outcome)s") % {
        "count": count,
        "outcome": OUTCOME_LABELS[outcome],
    }


def report_files(run) -> list[dict]:
    """The run's report by file, for report.html: its counts under the outcomes' labels."""
    return [
        {
            **file,
            "count_list": [
                (OUTCOME_LABELS[outcome], count) for outcome, count in file.get("count_list", [])
            ],
        }
        for file in run.report.get("files", [])
    ]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "created_by", "created_at", "applied_at", "totals"]
    list_filter = ["status"]
    list_select_related = ["created_by"]
    readonly_fields = ["name", "status", "created_by", "created_at", "applied_at"]
    fields = readonly_fields
    change_form_template = "admin/networks/importrun/change_form.html"
    change_list_template = "admin/networks/importrun/change_list.html"

    @admin.display(description=_("rows"))
    def totals(self, run):
        totals = {
            outcome: sum(file["counts"][outcome] for file in run.report.get("files", []))
            for outcome in OUTCOMES
        }
        return ", ".join(counted(outcome, count) for outcome, count in totals.items() if count)

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="networks_importrun_upload",
            ),
            path(
                "<int:pk>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="networks_importrun_preview",
            ),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return self.upload_view(request)

    def context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    def upload_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            with transaction.atomic():
                run = ImportRun.objects.create(
                    name=gettext("ECOSOC import %(time)s")
                    % {"time": f"{timezone.localtime():%Y-%m-%d %H:%M}"},
                    created_by=request.user,
                )
                for upload, decisions in zip(
                    form.cleaned_data["files"], form.decision_files, strict=True
                ):
                    upload.seek(0)
                    ImportFile.objects.create(
                        run=run,
                        name=decisions.name,
                        kind=form.cleaned_data["kind"],
                        content=upload.read(),
                    )
                start_preview(run)
            return redirect("admin:networks_importrun_preview", run.pk)
        return TemplateResponse(
            request,
            "admin/networks/importrun/upload.html",
            self.context(request, form=form, title=_("Import ECOSOC decisions")),
        )

    def preview_view(self, request, pk):
        run = get_object_or_404(ImportRun, pk=pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            start_import(run.pk, request.user)
            return redirect("admin:networks_importrun_preview", run.pk)
        if run.status == ImportRun.Status.APPLIED:
            self.message_user(
                request, _("Imported. Possible duplicates wait for review."), messages.SUCCESS
            )
            return redirect("admin:networks_importrun_change", run.pk)
        in_progress = run.status in ImportRun.IN_PROGRESS
        return TemplateResponse(
            request,
            "admin/networks/importrun/preview.html",
            self.context(
                request,
                run=run,
                job=job_state(run) if in_progress else None,
                report_files=report_files(run),
                outcomes=OUTCOMES,
                title=(
                    _("Import in progress") if in_progress else _("Preview: nothing is written yet")
                ),
            ),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        run = get_object_or_404(ImportRun, pk=object_id)
        return super().change_view(
            request,
            object_id,
            form_url,
            {
                **(extra_context or {}),
                "run": run,
                "report_files": report_files(run),
                "outcomes": OUTCOMES,
            },
        )


@admin.register(PossibleDuplicate)
class PossibleDuplicateAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "status", "file", "row_number", "run"]
    list_filter = ["status", "file"]
    list_select_related = ["organization", "run"]
    search_fields = ["name", "organization__name_en", "organization__name_zh"]
    readonly_fields = [
        "name",
        "organization",
        "file",
        "row_number",
        "row",
        "status",
        "run",
        "resolved_by",
        "resolved_at",
    ]
    actions = ["same_organization", "different_organization"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    @admin.action(
        description=_("Same organization: keep the name as another name of it"),
        permissions=["change"],
    )
    def same_organization(self, request, queryset):
        self.resolve(request, queryset, same=True)

    @admin.action(description=_("Different organization: create it"), permissions=["change"])
    def different_organization(self, request, queryset):
        self.resolve(request, queryset, same=False)

    def resolve(self, request, queryset, *, same):
        reports = resolve(
            list(queryset.select_related("organization", "run")), same=same, user=request.user
        )
        self.message_user(
            request, _("%(count)d rows applied.") % {"count": len(reports)}, messages.SUCCESS
        )
