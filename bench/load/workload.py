"""The paths the load benchmark requests, drawn from the database: what visitors and API
clients ask for, with the weights of a plausible mix."""

import random
from urllib.parse import urlencode

from directory.models import City, FieldOfWork, Organization, Person
from events.models import Event
from networks.models import Network

PATHS_PER_KIND = 300
LANGUAGES = ["zh-hans", "en"]
SEARCHES = [
    "环境",
    "基金会",
    "北京",
    "儿童",
    "青少年发展",
    "志愿",
    "foundation",
    "youth",
    "beijing",
    "rescue team",
    "jijinhui",
    "huanjing",
    "bjhj",
    "xiamen",
]


def sample(queryset, count, rng):
    """`count` slugs spread over the whole table, the same ones for the same seed."""
    slugs = list(queryset.order_by("pk").values_list("slug", flat=True))
    return rng.sample(slugs, min(count, len(slugs)))


def build(seed=1):
    """{kind: {"weight": share of requests, "paths": [...]}} for bench.load.drive."""
    rng = random.Random(seed)
    organizations = sample(Organization.objects, PATHS_PER_KIND, rng)
    events = sample(Event.objects, PATHS_PER_KIND, rng)
    people = sample(Person.objects, PATHS_PER_KIND, rng)
    networks = sample(Network.objects, 50, rng)
    cities = sample(City.objects.filter(organizations__isnull=False).distinct(), 20, rng)
    fields = sample(FieldOfWork.objects, 20, rng)
    years = [day.year for day in Event.objects.dates("start_date", "year")]
    kinds = ["ngo", "foundation", "association", "research_centre"]

    def pick(values):
        return rng.choice(values)

    def page(path, **query):
        return f"/{pick(LANGUAGES)}{path}" + (f"?{urlencode(query)}" if query else "")

    def api(path, **query):
        return f"/api/{path}" + (f"?{urlencode(query)}" if query else "")

    organization_lists = [
        lambda: page("/organizations/", network=pick(networks)),
        lambda: page("/organizations/", kind=pick(kinds), city=pick(cities)),
        lambda: page("/organizations/", field=pick(fields), country="CN"),
        lambda: page("/organizations/", search=pick(SEARCHES)),
        lambda: page("/organizations/", kind=pick(kinds), page=2),
    ]
    api_lists = [
        lambda: api("organizations/", network=pick(networks)),
        lambda: api("organizations/", kind=pick(kinds), city=pick(cities), ordering="-founded_on"),
        lambda: api("memberships/", network=pick(networks), current="true"),
        lambda: api("events/", year=pick(years)),
        lambda: api("positions/", organization=pick(organizations)),
        lambda: api("talks/", event=pick(events)),
    ]
    return {
        "home": {"weight": 10, "paths": ["/zh-hans/", "/en/"]},
        "organization list": {
            "weight": 20,
            "paths": [
                organization_lists[number % len(organization_lists)]()
                for number in range(PATHS_PER_KIND)
            ],
        },
        "organization page": {
            "weight": 15,
            "paths": [page(f"/organizations/{slug}/") for slug in organizations],
        },
        "event page": {"weight": 10, "paths": [page(f"/events/{slug}/") for slug in events]},
        "API list": {
            "weight": 15,
            "paths": [api_lists[number % len(api_lists)]() for number in range(PATHS_PER_KIND)],
        },
        "API detail": {
            "weight": 15,
            "paths": [
                *(api(f"organizations/{slug}/") for slug in organizations[:100]),
                *(api(f"events/{slug}/") for slug in events[:100]),
                *(api(f"people/{slug}/") for slug in people[:100]),
            ],
        },
        "search API": {"weight": 15, "paths": [api("search/", q=query) for query in SEARCHES]},
    }
