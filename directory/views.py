from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from directory.facets import FACETS
from directory.filters import OrganizationFilterSet, PersonFilterSet, SourceFilterSet
from directory.jsonld import organization_jsonld, person_jsonld
from directory.models import Organization, Person, Source
from directory.pages import (
    BY_NAME,
    FOUNDED,
    MOST_CONNECTED,
    NEWEST,
    Sort,
    filtered_list,
    organization_moved,
    with_params,
)


def facets_for(request, facet_counts):
    facets = []
    for facet in FACETS:
        selected = request.GET.get(facet.name)
        facets.append(
            {
                "name": facet.name,
                "title": facet.title,
                "selected": selected,
                "remove_url": with_params(request, **{facet.name: None}),
                "options": [
                    {
                        "label": facet.label(row),
                        "count": row["count"],
                        "selected": selected == row[facet.value],
                        "url": with_params(request, **{facet.name: row[facet.value]}),
                    }
                    for row in facet_counts[facet.name]
                ],
            }
        )
    return facets


ORGANIZATION_SORTS = (
    BY_NAME,
    FOUNDED,
    Sort("joined", _("most recent membership"), "by_latest_membership"),
    MOST_CONNECTED,
)
PERSON_SORTS = (BY_NAME, MOST_CONNECTED)


# The list pages take their filter set, and the organization's page what more it shows, from
# the site, which composes them with what the other apps know (website.records.views).


@require_safe
def organization_list(request, filterset_class=OrganizationFilterSet):
    return filtered_list(
        request,
        filterset_class,
        "directory/organization_list.html",
        sorts=ORGANIZATION_SORTS,
        counted=lambda organizations: {"facets": organizations.facet_counts()},
        extra=lambda counts: {
            "facets": facets_for(request, counts["facets"]),
            "filtered": any(
                request.GET.get(name) for name in [*(facet.name for facet in FACETS), "search"]
            ),
            "active_filters": sum(bool(request.GET.get(facet.name)) for facet in FACETS),
        },
    )


@require_safe
def organization_detail(request, slug, more=None):
    """An organization's page; `more`(organization) gives what more it shows."""
    try:
        organization = Organization.objects.with_last_changed().for_detail().get(slug=slug)
    except Organization.DoesNotExist:
        return organization_moved(request, slug, "organization-page")
    context = {
        "organization": organization,
        "jsonld": organization_jsonld(organization, request),
        **(more(organization) if more else {}),
    }
    return render(request, "directory/organization_detail.html", context)


@require_safe
def person_list(request, filterset_class=PersonFilterSet):
    return filtered_list(request, filterset_class, "directory/person_list.html", sorts=PERSON_SORTS)


@require_safe
def person_detail(request, slug):
    person = get_object_or_404(Person.objects.with_last_changed().for_detail(), slug=slug)
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "jsonld": person_jsonld(person, request),
        },
    )


@require_safe
def source_list(request):
    # Newest first, the one order: titles are in many languages and have no name order key.
    return filtered_list(request, SourceFilterSet, "directory/source_list.html", sorts=(NEWEST,))


@require_safe
def source_detail(request, slug):
    source = get_object_or_404(Source.objects.for_listing().with_last_changed(), slug=slug)
    return render(
        request,
        "directory/source_detail.html",
        {
            "source": source,
            "citing": source.citing_records(),
        },
    )
