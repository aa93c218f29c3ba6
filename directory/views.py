import sys
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.http import require_safe
from django_countries import countries

from directory import graph as relationship_graph
from directory import health
from directory.filters import OrganizationFilterSet, PersonFilterSet, SourceFilterSet
from directory.fragments import kept_fragment
from directory.jsonld import organization_jsonld, person_jsonld
from directory.models import Organization, OrganizationKind, Person, Source
from directory.pages import filtered_list, localized_row_name, organization_moved
from directory.search_answers import grouped_matches
from directory.statement_timeout import is_statement_timeout
from events.models import Event
from networks.models import Membership, Network, Program

API_PREFIX = "/api/"


@require_safe
def home(request):
    return render(
        request,
        "directory/home.html",
        {
            "counts": [
                (
                    _("organizations"),
                    Organization.objects.count(),
                    reverse("organization-list-page"),
                ),
                (_("networks"), Network.objects.count(), reverse("network-list-page")),
                (_("programs"), Program.objects.count(), reverse("program-list-page")),
                (_("events"), Event.objects.count(), reverse("event-list-page")),
                (_("people"), Person.objects.count(), reverse("person-list-page")),
            ],
            "recent_events": Event.objects.for_listing()[:5],
            "top_networks": Network.objects.with_member_count().order_by("-member_count", "slug")[
                :6
            ],
        },
    )


@require_safe
def about(request):
    return render(
        request,
        "directory/about.html",
        {
            "sources": Source.objects.for_listing(),
        },
    )


FACET_LABELS = {
    "kind": lambda row: OrganizationKind(row["kind"]).label,
    "field": lambda row: localized_row_name(row, "fields__"),
    "country": lambda row: countries.name(row["country"]),
    "city": lambda row: localized_row_name(row, "city__"),
    "network": lambda row: localized_row_name(row, "memberships__network__"),
    "consultative_level": lambda row: Membership.Level(row["memberships__level"]).label,
}
FACET_VALUES = {
    "kind": "kind",
    "field": "fields__slug",
    "country": "country",
    "city": "city__slug",
    "network": "memberships__network__slug",
    "consultative_level": "memberships__level",
}
FACET_TITLES = {
    "kind": gettext_lazy("Kind"),
    "field": gettext_lazy("Field of work"),
    "country": gettext_lazy("Country"),
    "city": gettext_lazy("City"),
    "network": gettext_lazy("Network"),
    "consultative_level": gettext_lazy("UN consultative status"),
}


def with_params(request, **changes):
    """This page's address with some parameters changed (None removes one) and no page."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return f"?{params.urlencode()}"


def facets_for(request, facet_counts):
    facets = []
    for name, rows in facet_counts.items():
        selected = request.GET.get(name)
        facets.append(
            {
                "name": name,
                "title": FACET_TITLES[name],
                "selected": selected,
                "remove_url": with_params(request, **{name: None}),
                "options": [
                    {
                        "label": FACET_LABELS[name](row),
                        "count": row["count"],
                        "selected": selected == row[FACET_VALUES[name]],
                        "url": with_params(request, **{name: row[FACET_VALUES[name]]}),
                    }
                    for row in rows
                ],
            }
        )
    return facets


@require_safe
def organization_list(request):
    return filtered_list(
        request,
        OrganizationFilterSet,
        "directory/organization_list.html",
        counted=lambda organizations: {"facets": organizations.facet_counts()},
        extra=lambda counts: {
            "facets": facets_for(request, counts["facets"]),
            "filtered": any(request.GET.get(name) for name in [*FACET_VALUES, "search"]),
        },
    )


@require_safe
def organization_detail(request, slug):
    try:
        organization = Organization.objects.for_detail().get(slug=slug)
    except Organization.DoesNotExist:
        return organization_moved(request, slug, "organization-page")
    return render(
        request,
        "directory/organization_detail.html",
        {
            "organization": organization,
            "graph_figure": kept_fragment(
                f"organization-graph:{organization.pk}", lambda: organization_graph(organization)
            ),
            "jsonld": organization_jsonld(organization, request),
        },
    )


def organization_graph(organization):
    """The networks and programs around an organization, drawn as its page shows them. Drawn
    without the request, so that nothing of one visitor's (a nonce, a token) is kept in the
    figure every visitor shares."""
    neighbourhood = relationship_graph.organization_neighbourhood(organization)
    return render_to_string(
        "includes/graph.html",
        {
            "graph": neighbourhood,
            "graph_svg": relationship_graph.render_svg(
                neighbourhood,
                width=720,
                height=440,
                title=_("Networks and programs around %(name)s") % {"name": organization.name},
            ),
        },
    )


@require_safe
def person_list(request):
    return filtered_list(request, PersonFilterSet, "directory/person_list.html")


@require_safe
def person_detail(request, slug):
    person = get_object_or_404(Person.objects.for_detail(), slug=slug)
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
    return filtered_list(request, SourceFilterSet, "directory/source_list.html")


@require_safe
def source_detail(request, slug):
    source = get_object_or_404(Source.objects.for_listing(), slug=slug)
    return render(
        request,
        "directory/source_detail.html",
        {
            "source": source,
            "citing": source.citing_records(),
        },
    )


# Each search group: key, title, model, the list page it links to.
SEARCH_GROUPS = [
    ("organizations", gettext_lazy("Organizations"), Organization, "organization-list-page"),
    ("people", gettext_lazy("People"), Person, "person-list-page"),
    ("networks", gettext_lazy("Networks"), Network, "network-list-page"),
    ("programs", gettext_lazy("Programs"), Program, "program-list-page"),
    ("events", gettext_lazy("Events"), Event, "event-list-page"),
]
SEARCH_GROUP_SIZE = 10
# What the search page shows of each record: its name in both languages, linked by its slug.
SEARCH_RESULT_FIELDS = ("slug", "name_zh", "name_en")


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()
    groups = []
    if query:
        answers = grouped_matches(
            [(model, SEARCH_RESULT_FIELDS) for _key, _title, model, _list in SEARCH_GROUPS],
            query,
            SEARCH_GROUP_SIZE,
        )
        for (key, title, _model, list_name), (count, exact, first) in zip(
            SEARCH_GROUPS, answers, strict=True
        ):
            groups.append(
                {
                    "key": key,
                    "title": title,
                    "count": count,
                    "count_exact": exact,
                    "results": first,
                    "more": f"{reverse(list_name)}?{urlencode({'search': query})}",
                }
            )
    return render(
        request,
        "directory/search.html",
        {
            "query": query,
            "groups": groups,
            "total": sum(group["count"] for group in groups),
            "total_exact": all(group["count_exact"] for group in groups),
        },
    )


@require_safe
def graph(request):
    errors = []
    network = kind = country = None
    if request.GET.get("network"):
        network = Network.objects.filter(slug=request.GET["network"]).first()
        if network is None:
            errors.append(_("There is no network %(slug)s.") % {"slug": request.GET["network"]})
    if request.GET.get("kind"):
        kind = request.GET["kind"]
        if kind not in OrganizationKind.values:
            errors.append(_("There is no kind of organization %(kind)s.") % {"kind": kind})
    if request.GET.get("country"):
        country = request.GET["country"].upper()
        if country not in dict(countries):
            errors.append(_("There is no country %(code)s.") % {"code": country})
    full = (
        relationship_graph.RelationshipGraph()
        if errors
        else relationship_graph.full_graph(network=network, kind=kind, country=country)
    )
    return render(
        request,
        "directory/graph.html",
        {
            "graph": full,
            "graph_svg": relationship_graph.render_svg(
                full, width=1000, height=700, title=_("Relationship graph")
            ),
            "networks": Network.objects.order_by("slug"),
            "kinds": OrganizationKind.choices,
            "countries": [
                (code, countries.name(code))
                for code in Organization.objects.exclude(country="")
                .order_by("country")
                .values_list("country", flat=True)
                .distinct()
            ],
            "selected": {
                "network": request.GET.get("network", ""),
                "kind": kind or "",
                "country": country or "",
            },
            "errors": errors,
            "limit": relationship_graph.FULL_GRAPH_LIMIT,
        },
        status=400 if errors else 200,
    )


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    # A custom admin address (ADMIN_URL) is kept out of this public file.
    admin = ["Disallow: /admin/"] if settings.ADMIN_URL == "admin/" else []
    lines = ["User-agent: *", *admin, "Allow: /", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def page_not_found(request, exception):
    """API clients get JSON for an address no route matches; people get the page."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """Called while the error is being handled, so the error is at hand: a database that
    cannot be reached, or a statement stopped at its time limit, is a 503 (an outage or an
    overload, not a bug), for every page and endpoint."""
    error = sys.exc_info()[1]
    if is_statement_timeout(error):
        return health.statement_stopped(request)
    if health.is_database_unavailable(error):
        return health.database_unavailable(request)
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    return defaults.server_error(request)
