"""What is timed: each endpoint's name and the paths it rotates through, built from a sample
of real records (bench.perf.probe reads it from the database)."""

LIST_API = "organization list API"
DETAIL_API = "organization detail API"
LIST_PAGE = "organization list page, 2 facets"
DETAIL_PAGE = "organization detail page"
EVENT_PAGE = "event detail page"
SEARCH_API = "search API"

# The peer serves the same 50 organizations' rows (without nesting) from the same file.
DATASETTE_PATH = "/{database}/directory_organization.json?_size=50"


def paths(sample):
    """{endpoint: [path, ...]} for a sample {"organizations": [slug], "events": [slug],
    "kind": ..., "country": ..., "queries": [text]}."""
    from urllib.parse import quote, urlencode

    organizations, events = sample["organizations"], sample["events"]
    facets = urlencode({"kind": sample["kind"], "country": sample["country"]})
    return {
        LIST_API: ["/api/organizations/?page_size=50"],
        DETAIL_API: [f"/api/organizations/{slug}/" for slug in organizations],
        LIST_PAGE: [f"/en/organizations/?{facets}"],
        DETAIL_PAGE: [f"/en/organizations/{slug}/" for slug in organizations],
        EVENT_PAGE: [f"/en/events/{slug}/" for slug in events],
        SEARCH_API: [f"/api/search/?q={quote(text)}" for text in sample["queries"]],
    }


# The list page with its counts kept (directory.list_counts) is timed across its first
# pages, which share the counts but not the rows shown.
KEPT_COUNT_PAGES = 4


def list_pages(sample, pages=KEPT_COUNT_PAGES):
    """The first `pages` pages of the list page's selection."""
    [first] = paths(sample)[LIST_PAGE]
    return [first] + [f"{first}&page={page}" for page in range(2, pages + 1)]


# The cached run: anonymous detail answers, two workers.
CACHED = [DETAIL_PAGE, DETAIL_API]
