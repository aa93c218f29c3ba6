"""Generate a whole directory: sources, places and fields of work, organizations, people,
networks, memberships, events and programs, every record citing a generated source.

The same seed and counts give the same records (names, slugs, dates, links) on a database
holding the same records beforehand: each stage draws from its own random generator, and
names and slugs already taken are skipped the same way every time.
"""

import time

from django.db import transaction
from django.utils.text import slugify

from directory.models import City, FieldOfWork, Source
from website.bulk import analyze, search_indexes_built_at_the_end, write
from website.cache import data_changed
from website.generator.events import generate_events
from website.generator.names import CITIES, FIELDS
from website.generator.networks import (
    generate_memberships,
    generate_networks,
    generate_programs,
)
from website.generator.organizations import generate_organizations, random_date
from website.generator.people import generate_people
from website.generator.plan import Context, Plan, PlanError
from website.generator.writing import prepare

SOURCE_SLUG_PREFIX = "generated-"
NOT_REAL = "生成的测试数据，并非真实出版物。Generated test data, not a real publication."


class AlreadyGenerated(PlanError):
    pass


def generated_sources():
    return Source.objects.filter(slug__startswith=SOURCE_SLUG_PREFIX)


def generate(plan: Plan, seed: int, out=print) -> Context:
    """Write the plan's records in one transaction: all of them, or, on any error, none."""
    plan.check()
    context = Context(plan=plan, seed=seed, out=out)
    with transaction.atomic():
        existing = generated_sources().order_by("slug").first()
        if existing:
            raise AlreadyGenerated(
                f"This database already holds generated data ({existing.note.splitlines()[-1]})."
                " Generate into an empty database, or empty this one first "
                "(manage.py flush)."
            )
        out(f"Generating {plan.describe()} (seed {seed}).")
        with search_indexes_built_at_the_end():
            generate_sources(context)
            generate_vocabularies(context)
            generate_organizations(context)
            name_publishers(context)
            generate_people(context)
            generate_networks(context)
            generate_memberships(context)
            generate_events(context)
            generate_programs(context)
            out(f"  building the search indexes ({time.perf_counter() - context.started:.0f} s)")
        # Written in bulk, without signals: what a running site cached goes stale on commit.
        data_changed()
    analyze()
    out(f"Done in {time.perf_counter() - context.started:.0f} s.")
    return context


def generate_sources(context):
    rng = context.rng("sources")
    total = context.plan.sources
    sources = []
    for number in range(1, total + 1):
        city = rng.choice(CITIES)
        year = rng.randint(2015, 2025)
        chinese = rng.random() < 0.8
        sources.append(
            Source(
                slug=f"{SOURCE_SLUG_PREFIX}{number:05d}",
                title=(
                    f"{city[0]}社会组织发展报告（{year}）"
                    if chinese
                    else f"Civil society in {city[1]}: annual report {year}"
                ),
                kind=rng.choice(Source.Kind.values),
                language="zh" if chinese else "en",
                published_on=random_date(rng, year, year),
                web_address=f"https://reports.example.org/generated/{number}",
                note=NOT_REAL
                + (
                    f"\nmanage.py generate_directory --seed {context.seed}: "
                    f"{context.plan.describe()}"
                    if number == 1
                    else ""
                ),
            )
        )
    context.sources = [source.pk for source in write(Source, sources)]


def generate_vocabularies(context):
    """The places and fields of work the generated records need: existing ones are used
    (matched by slug, as a fixture would be), missing ones created."""
    cities = {slugify(name_en): (name_zh, name_en, country) for name_zh, name_en, country in CITIES}
    existing = dict(City.objects.filter(slug__in=cities).values_list("slug", "pk"))
    write(
        City,
        [
            prepare(City(slug=slug, name_zh=name_zh, name_en=name_en, country=country))
            for slug, (name_zh, name_en, country) in cities.items()
            if slug not in existing
        ],
    )
    by_slug = dict(City.objects.filter(slug__in=cities).values_list("slug", "pk"))
    context.cities = {names[0]: by_slug[slug] for slug, names in cities.items()}
    fields = {slug: (name_zh, name_en) for slug, name_zh, name_en in FIELDS}
    existing = set(FieldOfWork.objects.filter(slug__in=fields).values_list("slug", flat=True))
    write(
        FieldOfWork,
        [
            prepare(FieldOfWork(slug=slug, name_zh=name_zh, name_en=name_en))
            for slug, (name_zh, name_en) in fields.items()
            if slug not in existing
        ],
    )
    context.fields = dict(FieldOfWork.objects.filter(slug__in=fields).values_list("slug", "pk"))


def name_publishers(context):
    """Half the sources are published by a generated organization."""
    rng = context.rng("publishers")
    changed = [
        Source(pk=pk, publisher_id=rng.choice(context.organizations))
        for pk in context.sources
        if rng.random() < 0.5
    ]
    Source.objects.bulk_update(changed, ["publisher"], batch_size=500)
