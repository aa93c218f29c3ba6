"""What every record's public page offers besides its facts, for the records of every app:
when the record last changed, the public history of its changes, and a form to report an
error on it. Each app's urls add these pages for its records with record_page_urls()."""

import time

from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from directory.models import ErrorReport
from directory.models.base import SORT_KEYS
from directory.models.reports import MESSAGE_MAX_LENGTH, SOURCE_MAX_LENGTH

# The most recent changes a history page lists; older ones are in the admin.
HISTORY_SHOWN = 100
# The directory's own bookkeeping, derived from the facts: their changes say nothing more.
UNSHOWN_FIELDS = {"search_names", "search_description", "search_grams", *SORT_KEYS}
# Values too long or too structured to show side by side: the change is named, not shown.
VALUE_SHOWN_FOR = (
    models.CharField,
    models.DateField,
    models.TimeField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
)
VALUE_SHOWN_LENGTH = 200
TYPES = {
    "+": _("created"),
    "~": _("changed"),
    "-": _("deleted"),
}


def record_page_urls(prefix, model):
    """The history and report pages of the model's records, under `prefix`/<slug>/, named
    "<model name>-history-page", "-report-page" and "-report-sent-page"."""
    name = model._meta.model_name
    kwargs = {"model": model}
    return [
        path(f"{prefix}/<slug:slug>/history/", record_history, kwargs, name=f"{name}-history-page"),
        path(f"{prefix}/<slug:slug>/report/", report_error, kwargs, name=f"{name}-report-page"),
        path(
            f"{prefix}/<slug:slug>/report/sent/",
            report_sent,
            kwargs,
            name=f"{name}-report-sent-page",
        ),
    ]


def record_url(record, page):
    return reverse(f"{record._meta.model_name}-{page}-page", kwargs={"slug": record.slug})


def shown_value(field, value):
    """A value as a reader reads it: a choice by its label, a country by its name, a list
    of them (a program's countries) item by item."""
    if isinstance(value, list | tuple):
        text = ", ".join(shown_item(field, item) for item in value)
    else:
        text = shown_item(field, value) if value is not None else ""
    return truncatechars(text, VALUE_SHOWN_LENGTH) or "—"


def shown_item(field, value):
    if hasattr(value, "name") and hasattr(value, "code"):  # django-countries' Country
        return str(value.name)
    try:
        return str(dict(field.flatchoices or ()).get(value, value))
    except TypeError:  # unhashable: django-countries' list of countries, which names them
        return str(value)


def field_changes(model, delta):
    """Each field the change made, with its old and new values where they can be shown. Who
    made it (history_user) is never read: readers see what changed, not who changed it."""
    changes = []
    for change in delta.changes:
        if change.field in UNSHOWN_FIELDS:
            continue
        field = model._meta.get_field(change.field)
        shown = isinstance(field, VALUE_SHOWN_FOR) and not isinstance(field, models.JSONField)
        changes.append(
            {
                "field": field.verbose_name,
                "old": shown_value(field, change.old) if shown else None,
                "new": shown_value(field, change.new) if shown else None,
            }
        )
    return changes


def history_entries(record):
    """The record's most recent changes, newest first, each with what it changed: one query,
    the entry before the oldest shown read with them to compare it against."""
    entries = list(
        record.history.defer("history_user", "history_change_reason")[: HISTORY_SHOWN + 1]
    )
    model = type(record)
    shown = []
    for newer, older in zip(entries, [*entries[1:], None], strict=True):
        if len(shown) == HISTORY_SHOWN:
            break
        changes = (
            field_changes(model, newer.diff_against(older))
            if older is not None and newer.history_type == "~"
            else []
        )
        shown.append(
            {
                "date": newer.history_date,
                "type": TYPES.get(newer.history_type, newer.history_type),
                "changes": changes,
            }
        )
    return shown, len(entries) > HISTORY_SHOWN


@require_safe
def record_history(request, slug, model):
    record = get_object_or_404(model._default_manager.all(), slug=slug)
    entries, more = history_entries(record)
    return render(
        request,
        "directory/record_history.html",
        {"record": record, "entries": entries, "more": more},
    )


STARTED_SALT = "directory.error-report.started"


class ErrorReportForm(forms.Form):
    """What a reader says is wrong. Without a third party's help against spam: a field that
    people do not see and robots fill in (`website`), and the signed time the form was
    shown (`started`), which must be at least ERROR_REPORT_MIN_SECONDS and at most
    ERROR_REPORT_MAX_AGE_SECONDS old."""

    message = forms.CharField(
        label=_("What is wrong?"),
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Say which fact is wrong and what it should be."),
    )
    source = forms.CharField(
        label=_("Source or link (optional)"),
        max_length=SOURCE_MAX_LENGTH,
        required=False,
        help_text=_("Where the right fact is stated."),
    )
    email = forms.EmailField(
        label=_("Your email (optional)"),
        max_length=254,
        required=False,
        help_text=_("Only if you would like a reply; it is never shown."),
    )
    # The honeypot: hidden from people by the site's style sheet, left empty by them.
    website = forms.CharField(
        label=_("Leave this field empty"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["started"] = signing.dumps(time.time(), salt=STARTED_SALT)

    def renewed(self):
        """The form as sent, with a new time if the one sent was refused as too old or
        altered, so that sending it again after correcting it is not refused the same way."""
        if self.has_error("started") and not self.has_error("started", "too_fast"):
            self.data = self.data.copy()
            self.data["started"] = signing.dumps(time.time(), salt=STARTED_SALT)
        return self

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(_("This field must be left empty."), code="honeypot")
        return ""

    def clean_started(self):
        # The value is the time itself, signed: a client cannot make a form look older.
        try:
            started = float(signing.loads(self.cleaned_data["started"], salt=STARTED_SALT))
        except (signing.BadSignature, TypeError, ValueError):
            raise forms.ValidationError(
                _("This form was altered: reload the page and send it again."), code="invalid"
            ) from None
        age = time.time() - started
        if age > settings.ERROR_REPORT_MAX_AGE_SECONDS:
            raise forms.ValidationError(
                _("This form is too old: reload the page and send it again."), code="expired"
            )
        if age < settings.ERROR_REPORT_MIN_SECONDS:
            raise forms.ValidationError(
                _("This form was sent too fast: wait a moment and send it again."),
                code="too_fast",
            )
        return started


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def report_error(request, slug, model):
    record = get_object_or_404(model._default_manager.all(), slug=slug)
    if request.method != "POST":
        return render_report_form(request, record, ErrorReportForm())
    form = ErrorReportForm(request.POST)
    # Every report sent counts, refused or not: a robot that fails is still a robot.
    if not within_rate(request):
        form.is_valid()
        form.add_error(None, _("Too many reports were sent from your address: try again later."))
        return render_report_form(request, record, form, status=429)
    if not form.is_valid():
        return render_report_form(request, record, form.renewed(), status=400)
    ErrorReport.objects.create(
        page=record.get_absolute_url(),
        content_type=ContentType.objects.get_for_model(model),
        object_id=record.pk,
        message=form.cleaned_data["message"],
        source=form.cleaned_data["source"],
        email=form.cleaned_data["email"],
    )
    # Post, redirect, get: reloading the thanks sends nothing again.
    return redirect(record_url(record, "report-sent"))


def within_rate(request):
    """Whether the client may send this report; if so it is counted. The site names the
    throttle that counts (settings.ERROR_REPORT_THROTTLE), as it names the client address
    for sign-in lockouts: one counter per client for all its limits, in the shared cache."""
    return import_string(settings.ERROR_REPORT_THROTTLE)().allow_request(request, None)


def render_report_form(request, record, form, status=200):
    return render(
        request,
        "directory/report_error.html",
        {"record": record, "form": form},
        status=status,
    )


@require_safe
def report_sent(request, slug, model):
    record = get_object_or_404(model._default_manager.all(), slug=slug)
    return render(request, "directory/report_sent.html", {"record": record})
