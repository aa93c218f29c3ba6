"""A django-filter FilterSet that builds its form class once per class and language, and
copies its filters shallowly.

django-filter deep-copies every filter of a filter set (and the querysets they hold) and
builds a new form class for every request. This class re-implements FilterSet.__init__ to
copy them shallowly instead, and relies on attributes of django-filter's filters that are
not its public API (`_field`, `model`, `parent`, `method`): it was written for, and is
tested against, the release in RELIES_ON alone. tests/test_filtersets.py fails on any other,
so that an upgrade of django-filter reads this module again before it runs.
"""

import copy

import django_filters
from django.http import QueryDict
from django.utils.translation import get_language

RELIES_ON = {"django-filter": "26.2"}


class FilterSetBuiltOnce(django_filters.FilterSet):
    """A filter set whose form class is built once per class and language, whose filters
    are copied shallowly for each use, and which neither validates nor filters a request
    that gives none of its parameters: with no value, no filter applies and no field can be
    invalid."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        # As django-filter's, but each filter is a shallow copy: what it builds on use (its
        # form field, its label) it builds on the copy.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {name: copy.copy(filter_) for name, filter_ in self.base_filters.items()}
        for filter_ in self.filters.values():
            # A form field the class's own filter was asked for (the schema generator asks)
            # was built without a model, so without its label.
            filter_.__dict__.pop("_field", None)
            filter_.model = queryset.model
            filter_.parent = self
            if filter_.method is not None:
                # Its method is looked up on the parent through a proxy of its own.
                filter_.method = filter_.method

    def get_form_class(self):
        # Labels are translated as the class is built: one class per language.
        built = type(self).__dict__.get("_form_classes")
        if built is None:
            built = type(self)._form_classes = {}
        language = get_language()
        if language not in built:
            built[language] = super().get_form_class()
        return built[language]

    @property
    def has_conditions(self):
        """Whether the data give a value for any of the form's fields."""
        fields = self.get_form_class().base_fields
        form_prefix = f"{self.form_prefix}-" if self.form_prefix else ""
        return not all(
            field.widget.value_omitted_from_data(self.data, {}, form_prefix + name)
            for name, field in fields.items()
        )

    def is_valid(self):
        if self.is_bound and not self.has_conditions:
            return True
        return super().is_valid()

    @property
    def qs(self):
        if not self.has_conditions:
            return self.queryset.all()
        return super().qs
