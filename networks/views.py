from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from directory.pages import BY_NAME, FOUNDED, MOST_CONNECTED, filtered_list, paginate
from networks import graph as relationship_graph
from networks.charts import Series, bar_chart
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
            **members_joined(network),
            **relationship_graph.neighbourhood_figure(
                neighbourhood, _("Members and programs of %(name)s") % {"name": network.name}
            ),
        },
    )


def members_joined(network):
    """When the network's members joined, by year: a chart and its numbers (one query).
    Nothing when no membership's start is recorded."""
    rows = [(row["year"], row["count"]) for row in network.memberships.joined_by_year()]
    if not rows:
        return {}
    years = list(range(rows[0][0], rows[-1][0] + 1))
    counts = dict(rows)
    return {
        "joined_rows": rows,
        "joined_chart": bar_chart(
            "joined",
            [str(year) for year in years],
            [Series(_("members joined"), [counts.get(year, 0) for year in years])],
            title=_("Members joined, by year"),
            description=_(
                "For each year from %(first)s to %(last)s, how many of the members whose "
                "start is recorded joined. The table gives the numbers."
            )
            % {"first": years[0], "last": years[-1]},
            label_every=max(len(years) // 20, 1),
        ),
    }


@require_safe
def program_list(request):
    return filtered_list(
        request, ProgramFilterSet, "networks/program_list.html", sorts=(BY_NAME, MOST_CONNECTED)
    )


@require_safe
def program_detail(request, slug):
    program = get_object_or_404(Program.objects.with_last_changed().for_detail(), slug=slug)
    return render(request, "networks/program_detail.html", {"program": program})
