"""Generated organizations with their other names, identifiers, fields of work and sources;
some are units of others, a few merged into others."""

import datetime
from dataclasses import replace

from directory.models import Identifier, Organization, OrganizationName
from directory.models.base import DatePrecision, truncate_to_precision
from directory.models.organizations import USCC_ALPHABET, USCC_WEIGHTS
from website.bulk import batches, write, write_children
from website.generator.names import CITIES, organization_names
from website.generator.writing import SlugAllocator, prepare

# Registration authority 5 (civil affairs) and its type of organization, by kind.
USCC_TYPES = {"association": "1", "ngo": "2", "foundation": "3"}
UNIT_SHARE = 0.02
SUCCEEDED_SHARE = 0.005


def uscc(number: int, region: int, kind: str) -> str:
    """A unified social credit code with a valid check character, unique for each number
    (multiplying by a number prime to 31 permutes the codes, so they do not all start with
    zeros)."""
    number = number * 7_777_777_777 % len(USCC_ALPHABET) ** 9
    body = ""
    for _ in range(9):
        number, digit = divmod(number, len(USCC_ALPHABET))
        body = USCC_ALPHABET[digit] + body
    code = "5" + USCC_TYPES.get(kind, "9") + f"{110000 + region * 100:06d}" + body
    total = sum(
        USCC_ALPHABET.index(char) * weight for char, weight in zip(code, USCC_WEIGHTS, strict=True)
    )
    return code + USCC_ALPHABET[(31 - total % 31) % 31]


def random_date(rng, first_year, last_year):
    return datetime.date(rng.randint(first_year, last_year), rng.randint(1, 12), rng.randint(1, 28))


# Dates of what has happened (memberships, positions) end by this year: none is in the future.
LAST_YEAR = 2025


def partial_date(rng, first_year, last_year):
    """A date known to the year, the month or the day, stored as the model stores it."""
    precision = rng.choices(
        [DatePrecision.YEAR, DatePrecision.MONTH, DatePrecision.DAY], [5, 2, 3]
    )[0]
    return truncate_to_precision(random_date(rng, first_year, last_year), precision), precision


def other_names(rng, name, founded_year):
    """Unsaved other names of an organization, in the model's order (kind, then name)."""
    others = []
    if rng.random() < 0.35:
        if name.name_zh:
            others.append(
                OrganizationName(
                    name=name.abbreviation_zh,
                    language="zh",
                    kind=OrganizationName.Kind.ABBREVIATION,
                )
            )
        if name.name_en:
            others.append(
                OrganizationName(
                    name=name.abbreviation_en,
                    language="en",
                    kind=OrganizationName.Kind.ABBREVIATION,
                )
            )
    if name.name_zh and rng.random() < 0.05:
        place = name.city[0] if name.city else "中国"
        end, precision = partial_date(rng, max(founded_year or 1990, 1990), 2024)
        others.append(
            OrganizationName(
                name=place + name.theme[0] + name.legal_form[0],
                language="zh",
                kind=OrganizationName.Kind.FORMER,
                end_date=end,
                end_precision=precision,
            )
        )
    if "Center" in name.name_en and rng.random() < 0.2:
        others.append(
            OrganizationName(
                name=name.name_en.replace("Center", "Centre"),
                language="en",
                kind=OrganizationName.Kind.TRANSLATION,
            )
        )
    return sorted(others, key=lambda other: (other.kind, other.name))


def generate_organizations(context):
    rng = context.rng("organizations")
    for batch in batches(organization_rows(context, rng)):
        created = write(Organization, [row[0] for row in batch], [row[1] for row in batch])
        write_children(OrganizationName, "organization", created, [row[2] for row in batch])
        write_children(Identifier, "organization", created, [row[3] for row in batch])
        context.organizations += [organization.pk for organization in created]
        context.founded.update(
            (organization.pk, organization.founded_on.year)
            for organization in created
            if organization.founded_on
        )
        context.progress("organizations", len(context.organizations), context.plan.organizations)
    link_units_and_successors(context, rng)


def organization_rows(context, rng):
    """For each organization: the record, its links (sources, fields of work), its other
    names and its identifiers."""
    slugs = SlugAllocator(Organization)
    taken_identifiers = set(Identifier.objects.values_list("scheme", "value"))
    names = organization_names(
        rng,
        context.plan.organizations,
        Organization.objects.exclude(name_zh="").values_list("name_zh", flat=True),
        Organization.objects.exclude(name_en="").values_list("name_en", flat=True),
    )
    field_ids = sorted(context.fields.values())
    for number, name in enumerate(names):
        name_zh, name_en = name.name_zh, name.name_en
        country = name.city[2] if name.city else "CN"
        if country != "CN" and rng.random() < 0.7:
            name_zh = ""
        elif country == "CN" and rng.random() < 0.08:
            name_en = ""
        founded = partial_date(rng, 1980, 2023) if rng.random() < 0.8 else (None, "day")
        year = founded[0].year if founded[0] else None
        described = rng.random() < 0.6
        place_zh, place_en = (name.city[0], name.city[1]) if name.city else ("全国", "China")
        organization = Organization(
            name_zh=name_zh,
            name_en=name_en,
            kind=name.kind,
            city_id=context.cities[name.city[0]] if name.city else None,
            country=country,
            founded_on=founded[0],
            founded_precision=founded[1],
            website=f"https://org-{number + 1}.example.org" if rng.random() < 0.4 else "",
            description_zh=(
                f"{year or '多'}年来在{place_zh}开展{name.theme[0]}{name.work[0]}工作的社会组织。"
                if described and name_zh
                else ""
            ),
            description_en=(
                f"Works on {name.theme[1].lower()} {name.work[1].lower()} in "
                f"{place_en}" + (f" since {year}." if year else ".")
                if described and name_en
                else ""
            ),
        )
        others = other_names(rng, replace(name, name_zh=name_zh, name_en=name_en), year)
        prepare(organization, slugs, organization.search_forms(other_names=others))
        identifiers = []
        if name_zh and country == "CN" and rng.random() < 0.3:
            identifiers.append(
                ("uscc", uscc(number + 1, CITIES.index(name.city) if name.city else 0, name.kind))
            )
        if rng.random() < 0.02:
            identifiers.append(("wikidata", f"Q{200_000_000 + number}"))
        fields = {context.fields[name.theme[2]], *rng.sample(field_ids, rng.choice([0, 0, 1, 2]))}
        yield (
            organization,
            {"sources": context.cite(rng), "fields": sorted(fields)},
            others,
            [
                Identifier(scheme=scheme, value=value)
                for scheme, value in identifiers
                if (scheme, value) not in taken_identifiers
            ],
        )


def link_units_and_successors(context, rng):
    """Make some organizations units of others and some merged into others. Parents and
    successors are never units or predecessors themselves, so no chain loops back."""
    ids = context.organizations
    if len(ids) < 10:
        return
    chosen = rng.sample(ids, int(len(ids) * (UNIT_SHARE + SUCCEEDED_SHARE)) or 1)
    cut = int(len(ids) * UNIT_SHARE)
    units, predecessors = set(chosen[:cut]), set(chosen[cut:])
    others = [pk for pk in ids if pk not in units and pk not in predecessors]
    changed = []
    for pk in chosen:
        organization = Organization(pk=pk)
        if pk in units:
            organization.parent_id = rng.choice(others)
        else:
            organization.successor_id = rng.choice(others)
            organization.succeeded_on = random_date(rng, 2000, 2024)
        changed.append(organization)
    Organization.objects.bulk_update(
        changed, ["parent", "successor", "succeeded_on"], batch_size=500
    )
