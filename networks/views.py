from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.pages import BY_NAME, FOUNDED, MOST_CONNECTED, filtered_list, paginate
from networks import graph as relationship_graph
from networks.ecosoc.importer import NETWORK_SLUG as ECOSOC_NETWORK
from networks.filters import NetworkFilterSet, ProgramFilterSet
from networks.models import Membership, Network, Program

MEMBERS_PER_PAGE = 50
FOUNDERS_SHOWN = 20


def first_and_count(records, count):
    """The first `count` records and how many more there are (counted only if there are
    any)."""
    first = list(records[: count + 1])
    more = records.count() - count if len(first) > count else 0
    return {"first": first[:count], "more": more}


@require_safe
def network_list(request):
    return filtered_list(
        request,
        NetworkFilterSet,
        "networks/network_list.html",
        sorts=(BY_NAME, FOUNDED, MOST_CONNECTED),
    )


@require_safe
def network_detail(request, slug):
    network = get_object_or_404(Network.objects.with_last_changed().for_detail(), slug=slug)
    members = Membership.objects.members_of(network)
    page = paginate(request, members, MEMBERS_PER_PAGE)
    neighbourhood = relationship_graph.network_neighbourhood(
        network, membership_count=page.paginator.count
    )
    return render(
        request,
        "networks/network_detail.html",
        {
            "network": network,
            "page": page,
            # The consultative status network links to the Committee's record.
            "committee_record": network.slug == ECOSOC_NETWORK,
            "founders": first_and_count(
                members.filter(role=Membership.Role.FOUNDER), FOUNDERS_SHOWN
            ),
            **relationship_graph.neighbourhood_figure(
                neighbourhood, _("Members and programs of %(name)s") % {"name": network.name}
            ),
        },
    )


@require_safe
def program_list(request):
    return filtered_list(
        request, ProgramFilterSet, "networks/program_list.html", sorts=(BY_NAME, MOST_CONNECTED)
    )


@require_safe
def program_detail(request, slug):
    program = get_object_or_404(Program.objects.with_last_changed().for_detail(), slug=slug)
    return render(request, "networks/program_detail.html", {"program": program})
