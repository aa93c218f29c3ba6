"""Generated people and the positions they hold in generated organizations."""

from directory.models import Person, Position
from website.bulk import batches, write, write_children
from website.generator.names import THEMES, TITLES, person_name
from website.generator.organizations import LAST_YEAR, partial_date
from website.generator.writing import SlugAllocator, prepare

# Title weights: secretaries-general and chairs are named by sources far more than volunteers.
TITLE_WEIGHTS = [8, 6, 6, 3, 4, 3, 2, 2, 2, 1]


def generate_people(context):
    """People, each with none, one or two positions in generated organizations, stated by the
    person's sources."""
    rng = context.rng("people")
    for batch in batches(person_rows(context, rng)):
        links = [{"sources": row[1]} for row in batch]
        created = write(Person, [row[0] for row in batch], links)
        write_children(Position, "person", created, [row[2] for row in batch], links)
        context.people += [person.pk for person in created]
        context.positions += [
            (held[0].organization_id, held[0].title_zh, held[0].title_en) if held else None
            for _person, _sources, held in batch
        ]
        context.progress("people", len(context.people), context.plan.people)


def person_rows(context, rng):
    slugs = SlugAllocator(Person)
    for _number in range(context.plan.people):
        name_zh, name_en = person_name(rng)
        person = Person(name_zh=name_zh, name_en=name_en)
        if name_zh and rng.random() < 0.2:
            theme = rng.choice(THEMES)
            person.description_zh = f"长期从事{theme[0]}领域的工作。"
            person.description_en = f"Has long worked on {theme[1].lower()} issues."
        prepare(person, slugs)
        sources = context.cite(rng)
        held = rng.choices([0, 1, 2], [1, 16, 3])[0]
        yield (
            person,
            sources,
            [
                position(rng, organization, context.founded.get(organization))
                for organization in rng.sample(context.organizations, held)
            ],
        )


def position(rng, organization, founded_year=None):
    title_zh, title_en = rng.choices(TITLES, TITLE_WEIGHTS)[0]
    first = max(1995, (founded_year or 0) + 1)
    start, start_precision = (
        partial_date(rng, first, LAST_YEAR) if rng.random() < 0.8 else (None, "day")
    )
    end, end_precision = None, "day"
    if start and start.year < LAST_YEAR and rng.random() < 0.25:
        end, end_precision = partial_date(rng, start.year + 1, LAST_YEAR)
    return Position(
        organization_id=organization,
        title_zh=title_zh,
        title_en=title_en,
        start_date=start,
        start_precision=start_precision,
        end_date=end,
        end_precision=end_precision,
    )
