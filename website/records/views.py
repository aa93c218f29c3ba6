"""The public pages of organizations and people with what networks and events know of them:
the lists filtered across apps, and an organization's relationship graph."""

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from directory import views as own
from directory.fragments import cached_fragment
from networks import graph as relationship_graph
from networks.committee_pages import committee_history
from website.records.filters import OrganizationFilterSet, PersonFilterSet
from website.records.timeline import organization_timeline


def organization_list(request):
    return own.organization_list(request, filterset_class=OrganizationFilterSet)


def organization_detail(request, slug):
    return own.organization_detail(request, slug, more=organization_figures)


def person_list(request):
    return own.person_list(request, filterset_class=PersonFilterSet)


def organization_figures(organization):
    history = committee_history(organization)
    return {
        "graph_figure": cached_fragment(
            f"organization-graph:{organization.pk}", lambda: organization_graph(organization)
        ),
        "committee_history": history,
        "timeline": organization_timeline(organization, history),
    }


def organization_graph(organization):
    """The networks and programs around an organization, drawn as its page shows them. Drawn
    without the request, so that nothing of one visitor's (a nonce, a token) is cached in the
    figure every visitor shares."""
    neighbourhood = relationship_graph.organization_neighbourhood(organization)
    title = _("Networks and programs around %(name)s") % {"name": organization.name}
    return render_to_string(
        "includes/graph.html", relationship_graph.neighbourhood_figure(neighbourhood, title)
    )
