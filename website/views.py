"""The site's own pages: home, about, search across every kind of record, the whole
relationship graph, robots.txt and the error pages."""

import sys
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.decorators.http import require_safe
from django_countries import countries

from directory.models import Organization, OrganizationKind, Person, Source
from events.models import Event
from networks import graph as relationship_graph
from networks.models import Decision, Network, Program, Vote
from website import health
from website.api import is_api_request
from website.context_processors import site
from website.downloads.views import listed_downloads
from website.search_answers import counted_first, grouped_matches
from website.search_matches import result, searched_fields
from website.statement_timeout import is_statement_timeout


@require_safe
def home(request):
    return render(
        request,
        "website/home.html",
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
    downloads_built, downloads = listed_downloads()
    return render(
        request,
        "website/about.html",
        {
            "sources": Source.objects.for_listing(),
            "downloads_built": downloads_built,
            "downloads": downloads,
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
# The Committee's decisions and votes, found by the organizations' names and the topics
# they hold (their querysets' search), after the indexed records.
COMMITTEE_SEARCH_GROUPS = [
    ("decisions", gettext_lazy("UN Committee decisions"), Decision, "committee-decision-list-page"),
    ("votes", gettext_lazy("UN Committee votes"), Vote, "committee-vote-list-page"),
]
SEARCH_GROUP_SIZE = 10
# What the search page shows of each record: its name in both languages, linked by its slug,
# and the texts it may have been found by (website.search_matches).
SEARCH_RESULT_FIELDS = ("slug",)


@require_safe
def search(request):
    query = request.GET.get("q", "").strip()
    groups = []
    if query:
        answers = grouped_matches(
            [
                (model, (*SEARCH_RESULT_FIELDS, *searched_fields(model)))
                for _key, _title, model, _list in SEARCH_GROUPS
            ],
            query,
            SEARCH_GROUP_SIZE,
        )
        answers += [
            counted_first(model.objects.search(query), SEARCH_GROUP_SIZE)
            for _key, _title, model, _list in COMMITTEE_SEARCH_GROUPS
        ]
        for (key, title, _model, list_name), (count, exact, first) in zip(
            SEARCH_GROUPS + COMMITTEE_SEARCH_GROUPS, answers, strict=True
        ):
            groups.append(
                {
                    "key": key,
                    "title": title,
                    "count": count,
                    "count_exact": exact,
                    "results": [result(record, query) for record in first],
                    "more": f"{reverse(list_name)}?{urlencode({'search': query})}",
                }
            )
    return render(
        request,
        "website/search.html",
        {
            "query": query,
            "groups": groups,
            "total": sum(group["count"] for group in groups),
            "total_exact": all(group["count_exact"] for group in groups),
        },
    )


# The drawings' boxes: the whole graph's, and an organization's or a network's
# neighbourhood's (networks.graph.neighbourhood_figure).
GRAPH_SIZE = (1000, 700)
NEIGHBOURHOOD_SIZE = (720, 440)
# The years a graph can be asked for.
YEARS = (1900, 2100)


def graph_filters(query):
    """The whole graph's filters read from a query string, and what is wrong with them:
    ({network, kind, country, year}, [error, ...]). The page and its JSON read them alike."""
    errors = []
    filters = {"network": None, "kind": None, "country": None, "year": None}
    if query.get("network"):
        filters["network"] = Network.objects.filter(slug=query["network"]).first()
        if filters["network"] is None:
            errors.append(_("There is no network %(slug)s.") % {"slug": query["network"]})
    if query.get("kind"):
        filters["kind"] = query["kind"]
        if filters["kind"] not in OrganizationKind.values:
            errors.append(_("There is no kind of organization %(kind)s.") % {"kind": query["kind"]})
    if query.get("country"):
        filters["country"] = query["country"].upper()
        if filters["country"] not in dict(countries):
            errors.append(_("There is no country %(code)s.") % {"code": filters["country"]})
    if query.get("year"):
        filters["year"], error = graph_year(query["year"])
        errors += error
    return filters, errors


def graph_year(text):
    """A year asked for, and the error if it is not one: (year or None, [error])."""
    first, last = YEARS
    try:
        year = int(text)
    except ValueError:
        year = None
    if year is None or not first <= year <= last:
        message = _("The year must be a whole number from %(first)s to %(last)s, not %(text)s.")
        return None, [message % {"first": first, "last": last, "text": text}]
    return year, []


@require_safe
def graph(request):
    filters, errors = graph_filters(request.GET)
    year = filters.pop("year")
    full = (
        relationship_graph.RelationshipGraph()
        if errors
        else relationship_graph.full_graph(**filters)
    )
    width, height = GRAPH_SIZE
    selected = {
        "network": request.GET.get("network", ""),
        "kind": filters["kind"] or "",
        "country": filters["country"] or "",
        "year": year or "",
    }
    return render(
        request,
        "website/graph.html",
        {
            "graph": full,
            "graph_svg": relationship_graph.render_svg(
                full.in_year(year) if year else full,
                width=width,
                height=height,
                title=_("Relationship graph"),
            ),
            "graph_data_url": relationship_graph.data_url(**selected),
            "graph_title": _("Relationship graph"),
            "networks": Network.objects.order_by("slug"),
            "kinds": OrganizationKind.choices,
            "countries": [
                (code, countries.name(code))
                for code in Organization.objects.exclude(country="")
                .order_by("country")
                .values_list("country", flat=True)
                .distinct()
            ],
            "selected": selected,
            "years": YEARS,
            "errors": errors,
            "limit": relationship_graph.FULL_GRAPH_LIMIT,
        },
        status=400 if errors else 200,
    )


def neighbourhood(centre):
    """The neighbourhood a `centre` names ("organization:<slug>" or "network:<slug>"), and
    the error if it names none: (graph or None, [error])."""
    kind, _colon, slug = centre.partition(":")
    if kind == "organization":
        # what organization_neighbourhood reads of it: its parent, units, memberships and
        # program roles
        organization = (
            Organization.objects.select_related("parent")
            .prefetch_related("units", "memberships", "program_roles")
            .filter(slug=slug)
            .first()
        )
        if organization is None:
            return None, [_("There is no organization %(slug)s.") % {"slug": slug}]
        return relationship_graph.organization_neighbourhood(organization), []
    if kind == "network":
        network = Network.objects.filter(slug=slug).first()
        if network is None:
            return None, [_("There is no network %(slug)s.") % {"slug": slug}]
        return relationship_graph.network_neighbourhood(network), []
    return None, [
        _("The centre must be organization:<slug> or network:<slug>, not %(centre)s.")
        % {"centre": centre}
    ]


@require_safe
def graph_data(request):
    """The graph as JSON for the interactive drawing: the whole graph with the page's
    filters, or (centre=organization:<slug> or network:<slug>) a record's neighbourhood as
    its page draws it; as of a year if asked. A 400 says what is wrong with a filter."""
    if request.GET.get("centre"):
        year, errors = graph_year(request.GET["year"]) if request.GET.get("year") else (None, [])
        if any(request.GET.get(name) for name in ("network", "kind", "country")):
            errors.append(_("A record's neighbourhood takes no network, kind or country."))
        graph, more = (None, []) if errors else neighbourhood(request.GET["centre"])
        errors += more
        size = NEIGHBOURHOOD_SIZE
    else:
        filters, errors = graph_filters(request.GET)
        year = filters.pop("year")
        graph = None if errors else relationship_graph.full_graph(**filters)
        size = GRAPH_SIZE
    if errors:
        return JsonResponse({"detail": " ".join(errors), "errors": errors}, status=400)
    width, height = size
    return JsonResponse(
        relationship_graph.graph_data(graph, width=width, height=height, year=year),
        json_dumps_params={"ensure_ascii": False},
    )


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap-index"))
    # A custom admin address (ADMIN_URL) is kept out of this public file.
    admin = ["Disallow: /admin/"] if settings.ADMIN_URL == "admin/" else []
    lines = ["User-agent: *", *admin, "Allow: /", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


def bad_request(request, exception):
    """API clients get JSON saying what is wrong with the request; people get the page. A
    body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413."""
    status = 413 if isinstance(exception, RequestDataTooBig) else 400
    if is_api_request(request):
        return JsonResponse({"detail": str(exception) or _("Bad request.")}, status=status)
    response = defaults.bad_request(request, exception)
    response.status_code = status
    return response


def page_not_found(request, exception):
    """API clients get JSON for an address no route matches; people get the page."""
    if is_api_request(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


# A template that does not exist, for defaults.server_error's built-in page.
NO_TEMPLATE = "500-without-a-template.html"


def server_error(request):
    """Called while the error is being handled, so the error is at hand: a database that
    cannot be reached, or a statement stopped at its time limit, is a 503 (an outage or an
    overload, not a bug), for every page and endpoint."""
    error = sys.exc_info()[1]
    if is_statement_timeout(error):
        return health.statement_stopped(request)
    if health.is_database_unavailable(error):
        return health.database_unavailable(request)
    if is_api_request(request):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    try:
        # The site's frame in the request's language, drawn without the request's context
        # processors (the signed-in user is read from the database): only the language
        # links, which need nothing but the address.
        html = loader.render_to_string("500.html", site(request))
    except Exception:
        # Whatever broke breaks the frame too: Django's own few words, which cannot fail.
        return defaults.server_error(request, template_name=NO_TEMPLATE)
    return HttpResponseServerError(html)
