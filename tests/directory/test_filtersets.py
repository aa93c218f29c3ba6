"""The filter sets' own machinery (directory.library_internals): form classes built once per
class and language, filters copied per use, and no form at all for a request without any of
their parameters."""

import pytest
from django.http import QueryDict
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from directory.models import Organization
from networks.models import Network
from website.records.filters import OrganizationFilterSet

pytestmark = pytest.mark.django_db


ECOSOC = "un-ecosoc-consultative-status"


def label(language, name):
    with translation.override(language):
        return str(OrganizationFilterSet(QueryDict()).form.fields[name].label)


def test_labels_are_in_the_language_of_each_use():
    # The schema generator asks the class's own filters for their form fields (built
    # without a model, so without a label); no filter set copies those.
    SchemaGenerator().get_schema(request=None, public=True)
    english, chinese = label("en", "kind"), label("zh-hans", "kind")
    assert english == "Kind"
    assert chinese == "类型"
    assert label("en", "kind") == english


def test_each_filter_set_filters_with_its_own_values():
    ecosoc = Network.objects.get(slug=ECOSOC)
    by_network = OrganizationFilterSet(QueryDict(f"network={ECOSOC}"))
    by_search = OrganizationFilterSet(QueryDict("search=基金会"))
    assert by_network.filters["network"] is not by_search.filters["network"]
    assert by_network.filters["search"].parent is by_network
    assert by_network.is_valid() and by_search.is_valid()
    members = set(Organization.objects.filter(memberships__network=ecosoc))
    found = set(Organization.objects.search("基金会"))
    assert members and found and members != found
    assert set(by_search.qs) == found
    assert set(by_network.qs) == members


def test_a_request_without_filters_builds_no_form():
    unfiltered = OrganizationFilterSet(QueryDict("page=2&page_size=50&ordering=slug"))
    assert unfiltered.is_valid()
    assert unfiltered.qs.count() == Organization.objects.count()
    assert "_form" not in unfiltered.__dict__


def test_an_invalid_value_is_still_refused():
    refused = OrganizationFilterSet(QueryDict("kind=nonsense&page_size=50"))
    assert not refused.is_valid()
    assert list(refused.errors) == ["kind"]


def every_filter_set():
    from directory import filters as directory_filters
    from events import filters as event_filters
    from networks import filters as network_filters
    from website.records import filters as composed_filters

    found = [
        value
        for module in (directory_filters, network_filters, event_filters, composed_filters)
        for value in vars(module).values()
        if isinstance(value, type)
        and issubclass(value, directory_filters.SearchFilterSet)
        and value._meta.model is not None
    ]
    return sorted(set(found), key=qualified_name)


def qualified_name(cls):
    return f"{cls.__module__}.{cls.__name__}"


@pytest.mark.parametrize("filter_set", every_filter_set(), ids=qualified_name)
def test_every_filter_is_named_in_words_in_both_languages(filter_set):
    """Error messages and the API's documentation name each filter by its label: not
    django-filter's own ("Founded is greater than or equal to"), and in Chinese too."""
    english = labels(filter_set, "en")
    chinese = labels(filter_set, "zh-hans")
    assert len(english) > 1
    for name, text in english.items():
        assert not any(
            words in text for words in ("is greater than", "is less than", " is in", " contains")
        ), (name, text)
        assert chinese[name] != text, f"{filter_set.__name__}.{name}: {text!r} untranslated"


def labels(filter_set, language):
    with translation.override(language):
        return {
            name: str(field.label) for name, field in filter_set(QueryDict()).form.fields.items()
        }
