from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory import graph as relationship_graph
from directory.pages import filtered_list
from networks.filters import NetworkFilterSet, ProgramFilterSet
from networks.models import Network, Program


@require_safe
def network_list(request):
    return filtered_list(request, NetworkFilterSet, "networks/network_list.html")


@require_safe
def network_detail(request, slug):
    network = get_object_or_404(Network.objects.for_detail(), slug=slug)
    neighbourhood = relationship_graph.network_neighbourhood(network)
    memberships = list(network.memberships.all())
    return render(request, "networks/network_detail.html", {
        "network": network,
        "memberships": memberships,
        "founders": [m for m in memberships if m.role == "founder"],
        "graph": neighbourhood,
        "graph_svg": relationship_graph.render_svg(
            neighbourhood, width=720, height=440,
            title=_("Members and programs of %(name)s") % {"name": network.name}),
    })


@require_safe
def program_list(request):
    return filtered_list(request, ProgramFilterSet, "networks/program_list.html")


@require_safe
def program_detail(request, slug):
    program = get_object_or_404(Program.objects.for_detail(), slug=slug)
    return render(request, "networks/program_detail.html", {"program": program})
