"""Generated networks, organizations' memberships in them, and programs with the roles
organizations play in them."""

import itertools

from networks.models import Membership, Network, Program, ProgramRole
from website.bulk import BATCH, batches, write, write_children
from website.generator.names import CITIES, NETWORK_FORMS, PROGRAM_FORMS, REGIONS, THEMES
from website.generator.organizations import LAST_YEAR, partial_date
from website.generator.writing import SlugAllocator, prepare

# One network in this many is a consultative status system (their members hold a level).
CONSULTATIVE_EVERY = 40
LEVEL_WEIGHTS = {"general": 5, "special": 65, "roster": 25, "unknown": 5}
ROLE_WEIGHTS = {"member": 80, "founder": 3, "partner": 10, "observer": 4, "funder": 3}
# Membership counts fall off with a network's rank, as they do among real networks (a few
# hold thousands of members, most a few hundred).
POPULARITY_EXPONENT = 0.8
PROGRAM_COUNTRIES = ["KH", "LA", "MM", "MN", "NP", "KE", "ET", "PK", "LK", "TH", "VN", "ZM"]


def distinct(rng, draw, count):
    """`count` distinct values of draw(), in the order first drawn."""
    seen = {}
    while len(seen) < count:
        seen.setdefault(draw(rng), None)
    return list(seen)


def generate_networks(context):
    rng = context.rng("networks")
    slugs = SlugAllocator(Network)
    ordinary = [form for form in NETWORK_FORMS if form[2] != "consultative_status"]
    consultative = [form for form in NETWORK_FORMS if form[2] == "consultative_status"]
    combos = distinct(
        rng, lambda rng: (rng.choice(REGIONS), rng.choice(THEMES)), context.plan.networks
    )
    networks, links = [], []
    for number, (region, theme) in enumerate(combos):
        form = rng.choice(consultative if number % CONSULTATIVE_EVERY == 0 else ordinary)
        name_en = f"{region[1]} {theme[1]} {form[1]}"
        founded, precision = partial_date(rng, 1985, 2022)
        network = Network(
            name_zh=region[0] + theme[0] + form[0],
            name_en=name_en,
            kind=form[2],
            scope=region[2],
            founded_on=founded,
            founded_precision=precision,
            abbreviation=(
                "".join(
                    word[0] for word in name_en.replace("-", " ").split() if word[0].isalpha()
                ).upper()
                if rng.random() < 0.4
                else ""
            ),
            secretariat_id=rng.choice(context.organizations) if rng.random() < 0.7 else None,
            description_zh=f"{region[0]}{theme[0]}领域社会组织的{form[0]}。",
            description_en=f"A {form[1].lower()} of {theme[1].lower()} organizations "
            f"({region[1]}).",
        )
        networks.append(prepare(network, slugs))
        links.append({"sources": context.cite(rng)})
    created = write(Network, networks, links)
    context.networks = [(network.pk, network.kind, network.founded_on.year) for network in created]
    context.progress("networks", len(created), context.plan.networks)


def generate_memberships(context):
    rng = context.rng("memberships")
    written = 0
    for batch in batches(membership_rows(context, rng), BATCH * 5):
        write(Membership, [row[0] for row in batch], [row[1] for row in batch])
        written += len(batch)
        context.progress("memberships", written, context.plan.memberships)


def membership_rows(context, rng):
    """Memberships of random organizations in networks drawn by popularity; an organization
    is in a network at most once. Members of a consultative status system hold a level."""
    organizations, networks = context.organizations, context.networks
    weights = list(
        itertools.accumulate(1 / (rank + 1) ** POPULARITY_EXPONENT for rank in range(len(networks)))
    )
    taken = set()
    while len(taken) < context.plan.memberships:
        organization = rng.randrange(len(organizations))
        network = rng.choices(range(len(networks)), cum_weights=weights)[0]
        if (organization, network) in taken:
            continue
        taken.add((organization, network))
        network_id, kind, founded = networks[network]
        consultative = kind == "consultative_status"
        first = max(founded, 1990, context.founded.get(organizations[organization], 0) + 1)
        start, start_precision = (
            partial_date(rng, first, LAST_YEAR) if rng.random() < 0.85 else (None, "day")
        )
        end, end_precision = None, "day"
        if start and start.year < LAST_YEAR and rng.random() < 0.15:
            end, end_precision = partial_date(rng, start.year + 1, LAST_YEAR)
        yield (
            Membership(
                organization_id=organizations[organization],
                network_id=network_id,
                role="consultative_status"
                if consultative
                else rng.choices(list(ROLE_WEIGHTS), list(ROLE_WEIGHTS.values()))[0],
                level=rng.choices(list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values()))[0]
                if consultative
                else "",
                start_date=start,
                start_precision=start_precision,
                end_date=end,
                end_precision=end_precision,
            ),
            {"sources": context.cite(rng)},
        )


def program_name(rng):
    place = rng.choice([*REGIONS, *CITIES])
    return place, rng.choice(THEMES), rng.choice(PROGRAM_FORMS)


def generate_programs(context):
    rng = context.rng("programs")
    slugs = SlugAllocator(Program)
    programs, links, roles = [], [], []
    for place, theme, form in distinct(rng, program_name, context.plan.programs):
        start, start_precision = (
            partial_date(rng, 2000, 2024) if rng.random() < 0.8 else (None, "day")
        )
        end, end_precision = None, "day"
        if start and rng.random() < 0.3:
            end, end_precision = partial_date(rng, start.year + 1, 2026)
        program = Program(
            name_zh=place[0] + theme[0] + form[0],
            name_en=f"{place[1]} {theme[1]} {form[1]}",
            kind=form[2],
            frequency=rng.choice(["", "one_off", "annual", "ongoing"]),
            start_date=start,
            start_precision=start_precision,
            end_date=end,
            end_precision=end_precision,
            network_id=rng.choice(context.networks)[0] if rng.random() < 0.3 else None,
            launch_event_id=(
                rng.choice(context.events) if context.events and rng.random() < 0.1 else None
            ),
            countries=sorted(rng.sample(PROGRAM_COUNTRIES, rng.randint(1, 3)))
            if rng.random() < 0.25
            else [],
            description_zh=f"在{place[0]}开展的{theme[0]}{form[0]}。" if rng.random() < 0.5 else "",
        )
        programs.append(prepare(program, slugs))
        links.append({"sources": context.cite(rng)})
        roles.append(program_roles(context, rng))
    created = write(Program, programs, links)
    write_children(ProgramRole, "program", created, roles, links)
    nest_programs(rng, [program.pk for program in created])
    context.progress("programs", len(created), context.plan.programs)


def program_roles(context, rng):
    """An initiator, and perhaps an operator, partners and a funder: different
    organizations."""
    roles = [
        "initiator",
        *["operator"] * rng.randint(0, 1),
        *["partner"] * rng.randint(0, 3),
        *["funder"] * rng.randint(0, 1),
    ]
    organizations = rng.sample(context.organizations, min(len(roles), len(context.organizations)))
    return [
        ProgramRole(organization_id=organization, role=role)
        for organization, role in zip(organizations, roles, strict=False)
    ]


def nest_programs(rng, ids):
    """Make one program in twenty part of another, which is itself part of none."""
    children = set(rng.sample(ids, len(ids) // 20))
    parents = [pk for pk in ids if pk not in children]
    if children and parents:
        Program.objects.bulk_update(
            [Program(pk=pk, parent_id=rng.choice(parents)) for pk in sorted(children)],
            ["parent"],
            batch_size=500,
        )
