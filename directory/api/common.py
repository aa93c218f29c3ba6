"""Serializer and viewset conventions every app's endpoints share.

The classes named in settings.REST_FRAMEWORK live in their own small modules (pagination,
filtering, parsers, renderers, exceptions, and the site's throttling): DRF imports them
while loading its views, so they must not import DRF's views or viewsets themselves.
"""

import copy
import hashlib
import re
from urllib.parse import quote

import orjson
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.http import QueryDict
from django.urls import NoReverseMatch
from django.utils.http import RFC3986_SUBDELIMS
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.reverse import reverse
from rest_framework.settings import api_settings
from rest_framework.validators import UniqueValidator

from directory.api.exceptions import PreconditionFailed
from directory.api.pagination import CountedAs


class LinkedSlugField(serializers.SlugRelatedField):
    """A related record, written as its slug and read as a summary with its link."""

    def __init__(self, summary, **kwargs):
        self.summary = summary
        kwargs.setdefault("slug_field", "slug")
        super().__init__(**kwargs)

    def to_representation(self, value):
        # One summary serializer for every record this field shows: making one per record
        # (copying its fields each time) cost most of a list's serialization.
        summary = self.__dict__.get("_summary")
        if summary is None:
            summary = self._summary = self.summary(context=self.context)
        return summary.to_representation(value)

    def to_internal_value(self, data):
        # No slug holds a NUL, and PostgreSQL refuses one in a statement's text: not found.
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        # Looked up by id: a whole number, as DRF's PrimaryKeyRelatedField takes it (not a
        # boolean, nor a fraction that the database would round to another record's id).
        if self.slug_field == "pk" and not (
            (isinstance(data, int) and not isinstance(data, bool))
            or (isinstance(data, str) and data.isascii() and data.isdigit())
        ):
            self.fail("invalid")
        return super().to_internal_value(data)

    def get_choices(self, cutoff=None):
        """The browsable API's form offers records by the slug one writes: the summary one
        reads is a dict, which cannot key a choice."""
        queryset = self.get_queryset()
        if queryset is None:
            return {}
        if cutoff is not None:
            queryset = queryset[:cutoff]
        return {getattr(item, self.slug_field): self.display_value(item) for item in queryset}


LINK_PLACEHOLDER = "0lookup0placeholder0"


def link_template(view_name, lookup_url_kwarg, request, format):
    """A record's address with a placeholder for its lookup value, as reverse() gives it for
    this request and format suffix; None if the view's pattern refuses the placeholder."""
    try:
        return reverse(
            view_name, kwargs={lookup_url_kwarg: LINK_PLACEHOLDER}, request=request, format=format
        )
    except NoReverseMatch:
        return None


# Characters quote() leaves as they are: a value of only these (every slug and id) needs no
# quoting, a noticeable part of the time a list's links take.
UNQUOTED = re.compile(r"[A-Za-z0-9_.~-]*")


def fill_link(template, value):
    """The template completed with a record's lookup value, quoted as reverse() quotes a
    value it puts in a path."""
    value = str(value)
    if not UNQUOTED.fullmatch(value):
        value = quote(value, safe=RFC3986_SUBDELIMS + "/~:@")
    return template.replace(LINK_PLACEHOLDER, value)


class LinkField(serializers.HyperlinkedIdentityField):
    """A record's own address, reversed once per serializer and completed for each record:
    reversing for every record of a list cost as much as the rest of its fields."""

    def get_url(self, obj, view_name, request, format):
        if getattr(obj, "pk", None) in (None, ""):
            return None
        templates = self.__dict__.setdefault("_templates", {})
        if (view_name, format) not in templates:
            templates[view_name, format] = link_template(
                view_name, self.lookup_url_kwarg, request, format
            )
        template = templates[view_name, format]
        if template is None:
            return super().get_url(obj, view_name, request, format)
        return fill_link(template, getattr(obj, self.lookup_field))


class WithoutFormat:
    """The request as reverse() reads it to write a link, without its `?format=`: DRF
    copies that parameter into every link it reverses, and the links in a CSV page or an
    export lead to the records themselves, not to another CSV."""

    def __init__(self, request):
        self.request = request
        self.GET = QueryDict(mutable=True)
        self.GET.update(request.GET)
        self.GET.pop("format", None)
        self.versioning_scheme = getattr(request, "versioning_scheme", None)

    def build_absolute_uri(self, location=None):
        return self.request.build_absolute_uri(location)


class Links:
    """Records' addresses written without their serializer's fields (directory.api.writers),
    exactly as LinkField writes them: each view's address reversed once for the request and
    its format suffix, then completed with each record's lookup value."""

    def __init__(self, request, format=None):
        self.request, self.format, self.templates = request, format, {}
        # A page links to the same few networks and sources again and again.
        self.written = {}

    def __call__(self, view_name, value, kwarg="slug"):
        link = self.written.get((view_name, value, kwarg))
        if link is None:
            link = self.written[view_name, value, kwarg] = self.write(view_name, value, kwarg)
        return link

    def write(self, view_name, value, kwarg="slug"):
        template = self.template(view_name, kwarg)
        if template is None:
            return reverse(
                view_name, kwargs={kwarg: value}, request=self.request, format=self.format
            )
        return fill_link(template, value)

    def template(self, view_name, kwarg="slug"):
        """The view's address for this request with LINK_PLACEHOLDER for the lookup value;
        None where link_template() cannot write one."""
        if (view_name, kwarg) not in self.templates:
            self.templates[view_name, kwarg] = link_template(
                view_name, kwarg, self.request, self.format
            )
        return self.templates[view_name, kwarg]


class LinkedSlugFieldExtension(OpenApiSerializerFieldExtension):
    target_class = LinkedSlugField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            # Written as it is looked up: a slug, or (for records without one) an id.
            by_id = self.target.slug_field == "pk"
            return build_basic_type(OpenApiTypes.INT if by_id else OpenApiTypes.STR)
        return auto_schema.resolve_serializer(self.target.summary, direction).ref


class SummarySerializer(CountryFieldMixin, serializers.ModelSerializer):
    """A record as embedded in another."""


def summary_serializer(model, view_name=None, fields=("slug", "name_zh", "name_en")):
    """A serializer for a record as embedded in another: its link (if it has an endpoint),
    slug and names."""
    attrs = {
        "Meta": type(
            "Meta", (), {"model": model, "fields": [*(["url"] if view_name else []), *fields]}
        )
    }
    if view_name:
        attrs["url"] = LinkField(view_name=view_name, lookup_field="slug")
    return type(f"{model.__name__}SummarySerializer", (SummarySerializer,), attrs)


@extend_schema_field(
    {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", "example": "09:00:00"}
)
class LocalTimeField(serializers.TimeField):
    """A time of day at the venue, without a time zone (not an RFC 3339 time)."""


class DirectorySerializer(CountryFieldMixin, serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.TimeField: LocalTimeField,
    }


class ModelValidatedSerializer(DirectorySerializer):
    """Validate writes with the model's own rules (clean() and its constraints), so the API
    refuses exactly what the admin refuses, with the same messages."""

    def get_validators(self):
        # The model's constraints are checked in validate(); DRF's copies would repeat them
        # with other words.
        return []

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        return fields

    def validate(self, attrs):
        attrs = super().validate(attrs)
        model = self.Meta.model
        many = {field.name for field in model._meta.many_to_many}
        instance = copy.copy(self.instance) if self.instance is not None else model()
        for name, value in attrs.items():
            if name not in many:
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            errors = serializers.as_serializer_error(error)
            if NON_FIELD_ERRORS in errors:
                errors[api_settings.NON_FIELD_ERRORS_KEY] = errors.pop(NON_FIELD_ERRORS)
            raise ValidationError(errors) from error
        return {
            name: (value if name in many else getattr(instance, name))
            for name, value in attrs.items()
        }


def record_etag(data):
    """A record's ETag: a digest of its detail's data, as the API reads it."""
    written = orjson.dumps(data, default=str, option=orjson.OPT_SORT_KEYS)
    return f'"{hashlib.sha256(written).hexdigest()[:32]}"'


class DirectoryViewSet(viewsets.ModelViewSet):
    """Thin viewsets: the model's queryset methods decide what each action loads.

    Each write is one transaction, its history with it, with the record locked from the
    moment it is read (on PostgreSQL): two edits of one record follow each other, the second
    applied to what the first saved rather than saving over it, and an edit of a record
    deleted meanwhile is a 404. A record's detail carries an ETag; a write that sends
    If-Match is refused with a 412 if the record has changed since."""

    lookup_field = "slug"
    detail_serializer_class = None
    # The filter set that selected the list's records (set by SelectionFilterBackend).
    selection = None
    WRITES = {"update", "partial_update", "destroy"}

    def initial(self, request, *args, **kwargs):
        # A method the address does not take (POST to a record, say) is a 405 for anyone,
        # as the schema says; DRF would check the credentials first and answer 401.
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise MethodNotAllowed(request.method)
        super().initial(request, *args, **kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve" and hasattr(queryset, "for_detail"):
            return queryset.for_detail()
        if self.action in self.WRITES:
            return queryset.for_listing().select_for_update(of=("self",))
        return queryset.for_listing()

    def create(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().update(request, *args, **kwargs)

    def destroy(self, request, *args, **kwargs):
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)

    def get_object(self):
        record = super().get_object()
        expected = self.request.headers.get("If-Match")
        if self.action in self.WRITES and expected is not None and expected.strip() != "*":
            tags = {tag.strip().removeprefix("W/") for tag in expected.split(",")}
            if record_etag(self.detail_data(record)) not in tags:
                raise PreconditionFailed()
        return record

    def detail_data(self, record):
        """The record's detail as a read of it gives it (for its ETag)."""
        serializer_class = self.detail_serializer_class or self.serializer_class
        queryset = type(record)._default_manager.all()
        if hasattr(queryset, "for_detail"):
            queryset = queryset.for_detail()
        return serializer_class(
            queryset.get(pk=record.pk), context=self.get_serializer_context()
        ).data

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if self.action == "retrieve" and response.status_code == 200:
            if isinstance(response.data, dict):
                response["ETag"] = record_etag(response.data)
        return response

    def filter_queryset(self, queryset):
        # A record is found by its address alone: filters, search and ordering are the
        # lists' (and only documented there), and building a filter set is not free.
        if (self.lookup_url_kwarg or self.lookup_field) in self.kwargs:
            return queryset
        return super().filter_queryset(queryset)

    def paginate_queryset(self, queryset):
        # A list's count is cached under its filters, as its list page's is.
        if not isinstance(queryset, CountedAs):
            queryset = CountedAs(queryset, queryset, self.selection)
        return super().paginate_queryset(queryset)

    def writes_csv(self):
        """Whether the answer is CSV: its records' links then lead to the records themselves,
        not to more CSV (which DRF's reverse() would carry over from `?format=csv`)."""
        renderer = getattr(self.request, "accepted_renderer", None)
        return getattr(renderer, "format", None) == "csv"

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.writes_csv():
            context.update(request=WithoutFormat(self.request), format=None)
        return context

    def record_links(self):
        """Links for the records this answer writes, as the serializers' context has them."""
        if self.writes_csv():
            return Links(WithoutFormat(self.request))
        return Links(self.request, self.format_kwarg)

    def get_serializer_class(self):
        if self.action == "retrieve" and self.detail_serializer_class:
            return self.detail_serializer_class
        return super().get_serializer_class()


PERIOD_FIELDS = ["start_date", "start_precision", "end_date", "end_precision", "start", "end"]
