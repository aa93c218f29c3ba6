"""What is timed: each endpoint's name and the paths it rotates through, built from a sample
of real records (bench.perf.probe reads it from the database)."""

LIST_API = "organization list API"
DETAIL_API = "organization detail API"
LIST_PAGE = "organization list page, 2 facets"
DETAIL_PAGE = "organization detail page"
EVENT_PAGE = "event detail page"
SEARCH_API = "search API"

# The list API's selections timed against the physical limit and against Datasette, as
# ../shared/tools/vs-datasette times them: the first page, a broad filter, a narrower one, and
# a page about half-way through (Datasette reaches it with its keyset, `_next`).
PAGE_SIZE = 50
FIRST_PAGE, COUNTRY, KIND = "first page", "country=CN", "kind=ngo"
DETAIL = "detail"


def deep_page(size):
    """The page about half-way through `size` organizations, PAGE_SIZE a page."""
    return max(1, size // 100) + 1


def list_selections(size):
    """{selection: (our list API's path, Datasette's query string)}."""
    deep = deep_page(size)
    return {
        FIRST_PAGE: (f"/api/organizations/?page_size={PAGE_SIZE}", f"?_size={PAGE_SIZE}"),
        COUNTRY: (
            f"/api/organizations/?country=CN&page_size={PAGE_SIZE}",
            f"?country=CN&_size={PAGE_SIZE}",
        ),
        KIND: (
            f"/api/organizations/?kind=ngo&page_size={PAGE_SIZE}",
            f"?kind=ngo&_size={PAGE_SIZE}",
        ),
        f"page {deep:,}": (
            f"/api/organizations/?page={deep}&page_size={PAGE_SIZE}",
            f"?_next={(deep - 1) * PAGE_SIZE}&_size={PAGE_SIZE}",
        ),
    }


def datasette_path(database, query):
    """Datasette's rows of the organization table in the SQLite file named `database`."""
    return f"/{database}/directory_organization.json{query}"


def limit_paths(sample, size):
    """{selection: path} timed against the physical limit: the list API's selections and an
    organization's detail."""
    paths_ = {name: ours for name, (ours, _theirs) in list_selections(size).items()}
    return {**paths_, DETAIL: f"/api/organizations/{sample['organizations'][0]}/"}


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


# The list page with its counts cached (directory.list_counts) is timed across its first
# pages, which share the counts but not the rows shown.
CACHED_COUNT_PAGES = 4


def list_pages(sample, pages=CACHED_COUNT_PAGES):
    """The first `pages` pages of the list page's selection."""
    [first] = paths(sample)[LIST_PAGE]
    return [first] + [f"{first}&page={page}" for page in range(2, pages + 1)]


# The page-cached run: anonymous detail answers, two workers.
PAGE_CACHED = [DETAIL_PAGE, DETAIL_API]
