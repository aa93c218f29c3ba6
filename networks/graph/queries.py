"""The graphs' data: an organization's or a network's neighbourhood, or the whole directory
narrowed by network, kind or country. Ties: an organization's membership in a network, its
role in a program, a program run through a network, and an organization that is a unit of
another. They are read with a fixed number of values() queries, whatever the size of the
graph (one more reads the organizations' abbreviations, for the labels)."""

from django.db import connections
from django.utils.translation import gettext_lazy as _

from directory.models import Organization, OrganizationName
from directory.models.base import active_language_suffix
from networks.graph.structure import RelationshipGraph
from networks.models import Membership, Program, ProgramRole

FULL_GRAPH_LIMIT = 150
NEIGHBOURS_PER_HUB = 12

NAME_FIELDS = ["slug", "name_zh", "name_en"]
# What a node shows of each kind of record (structure.RelationshipGraph.add_node).
FIELDS = {
    "organization": [*NAME_FIELDS, "country"],
    "network": [*NAME_FIELDS, "abbreviation"],
    "program": NAME_FIELDS,
}
# A tie's dates: a membership's, or its program's for a program's ties.
PERIOD_FIELDS = ["start_date", "start_precision", "end_date", "end_precision"]


def names(record, kind="organization"):
    """A record's slug, names and what else its node shows, as a values() row holds them."""
    return {name: getattr(record, name) for name in FIELDS[kind]}


def prefixed(prefix, kind=None):
    return [f"{prefix}{name}" for name in (FIELDS[kind] if kind else NAME_FIELDS)]


def role_labels(roles):
    """Each role's label in the active language, translated once rather than per tie."""
    return {value: str(label) for value, label in roles.choices}


def add_memberships(graph, memberships):
    labels = role_labels(Membership.Role)
    for row in memberships.values(
        *prefixed("organization__", "organization"),
        *prefixed("network__", "network"),
        "role",
        *PERIOD_FIELDS,
    ):
        organization = graph.add_node("organization", row, "organization__")
        network = graph.add_node("network", row, "network__")
        graph.add_tie(organization, network, labels[row["role"]], row)


def add_program_roles(graph, roles):
    labels = role_labels(ProgramRole.Role)
    for row in roles.values(
        *prefixed("organization__", "organization"),
        *prefixed("program__"),
        "role",
        *(f"program__{name}" for name in PERIOD_FIELDS),
    ):
        organization = graph.add_node("organization", row, "organization__")
        program = graph.add_node("program", row, "program__")
        graph.add_tie(organization, program, labels[row["role"]], row, "program__")


def add_program_networks(graph, programs):
    for row in programs.filter(network__isnull=False).values(
        *NAME_FIELDS, *PERIOD_FIELDS, *prefixed("network__", "network")
    ):
        program = graph.add_node("program", row)
        network = graph.add_node("network", row, "network__")
        graph.add_tie(program, network, _("run through"), row)


def add_units(graph, organizations):
    for row in organizations.filter(parent__isnull=False).values(
        *FIELDS["organization"], *prefixed("parent__", "organization")
    ):
        unit = graph.add_node("organization", row)
        parent = graph.add_node("organization", row, "parent__")
        graph.add_tie(unit, parent, _("part of"))


def organization_neighbourhood(organization):
    """The organization, its networks, programs, parent and units, and some of the other
    organizations in each of its networks and programs. What the organization's page has
    loaded already (for_detail: its parent, units, memberships and program roles) is used
    as it is."""
    graph = RelationshipGraph()
    centre = graph.add_node("organization", names(organization))
    ties = [(organization, organization.parent)] if organization.parent_id else []
    for unit, parent in [*ties, *((unit, organization) for unit in organization.units.all())]:
        graph.add_tie(
            graph.add_node("organization", names(unit)),
            graph.add_node("organization", names(parent)),
            _("part of"),
        )
    network_ids = sorted({membership.network_id for membership in organization.memberships.all()})
    program_ids = sorted({role.program_id for role in organization.program_roles.all()})
    add_memberships(graph, first_per(Membership, "network", network_ids, organization))
    add_program_roles(graph, first_per(ProgramRole, "program", program_ids, organization))
    add_program_networks(graph, Program.objects.filter(pk__in=program_ids))
    add_abbreviations(graph)
    graph.centre = centre
    return graph


def network_neighbourhood(network, membership_count=None):
    """The network, its members (as many as fit), its secretariat and its programs.
    `membership_count` is how many memberships it has, if the caller has counted them."""
    graph = RelationshipGraph()
    graph.centre = graph.add_node("network", names(network, "network"))
    memberships = Membership.objects.filter(network=network).order_by("organization__slug")
    if membership_count is None:
        membership_count = memberships.count()
    graph.truncated = membership_count > FULL_GRAPH_LIMIT
    add_memberships(graph, memberships[:FULL_GRAPH_LIMIT])
    programs = Program.objects.filter(network=network)
    add_program_networks(graph, programs)
    add_program_roles(
        graph, ProgramRole.objects.filter(program__in=programs)[: NEIGHBOURS_PER_HUB * 4]
    )
    add_abbreviations(graph)
    return graph


def first_per(model, hub_field, hubs, keep):
    """The rows of `model` (a membership or program role) of `keep` and, for each hub
    (network or program), its first NEIGHBOURS_PER_HUB rows by organization, so that a
    network with thousands of members stays readable. Each hub's rows are read from the
    (hub, organization) index and stop there, so a hub costs the same whether it has twenty
    members or twenty thousand.

    The parts are joined with UNION ALL: PostgreSQL reads the whole table for an OR of
    IN (subquery). SQLite refuses a LIMIT in a part of a union, so there each hub's first
    rows are a subquery of a part of their own."""
    rows = model._default_manager
    ids = rows.order_by().values("pk")
    first = rows.order_by("organization_id").values("pk")
    parts = [first.filter(**{hub_field: hub})[:NEIGHBOURS_PER_HUB] for hub in hubs]
    if not connections[rows.db].features.supports_slicing_ordering_in_compound:
        parts = [ids.filter(pk__in=part) for part in parts]
    return rows.filter(pk__in=ids.filter(organization=keep).union(*parts, all=True))


def full_graph(network=None, kind=None, country=None):
    """Every tie among organizations, networks and programs, optionally narrowed to one
    network's members, one kind of organization or one country; at most FULL_GRAPH_LIMIT
    organizations."""
    graph = RelationshipGraph()
    organizations = Organization.objects.order_by("slug")
    if network:
        organizations = organizations.filter(memberships__network=network)
    if kind:
        organizations = organizations.filter(kind=kind)
    if country:
        organizations = organizations.filter(country=country)
    organization_ids = list(
        organizations.values_list("pk", flat=True).distinct()[: FULL_GRAPH_LIMIT + 1]
    )
    graph.truncated = len(organization_ids) > FULL_GRAPH_LIMIT
    organization_ids = organization_ids[:FULL_GRAPH_LIMIT]
    memberships = Membership.objects.filter(organization__in=organization_ids)
    if network:
        memberships = memberships.filter(network=network)
    add_memberships(graph, memberships)
    roles = ProgramRole.objects.filter(organization__in=organization_ids)
    add_program_roles(graph, roles)
    add_program_networks(graph, Program.objects.filter(pk__in=roles.values("program")))
    add_units(graph, Organization.objects.filter(pk__in=organization_ids))
    add_abbreviations(graph)
    return graph


def add_abbreviations(graph):
    """The organizations' abbreviations, those in the active language first: one query,
    for the organizations the graph holds."""
    slugs = [
        data["slug"]
        for _key, data in graph.graph.nodes(data=True)
        if data["kind"] == "organization"
    ]
    language = active_language_suffix()
    found = {}
    for row in OrganizationName.objects.filter(
        kind=OrganizationName.Kind.ABBREVIATION, organization__slug__in=slugs
    ).values("organization__slug", "name", "language"):
        found.setdefault(row["organization__slug"], []).append(row)
    graph.add_abbreviations(
        {
            slug: [row["name"] for row in sorted(rows, key=lambda row: row["language"] != language)]
            for slug, rows in found.items()
        }
    )
