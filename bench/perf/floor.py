"""The physical limit of the list API: the first page's 50 organizations with what the API
nests in them (other names, fields of work, city, parent, memberships with their networks,
sources) and the total count, read with the DB driver alone and written with json.dumps.
No framework, no URLs, no date formatting: what any server of this page must at least do."""

import json
import time

from bench.perf.data import connect
from bench.perf.stats import percentile

PAGE = 50
ORGANIZATIONS = """
SELECT o.id, o.slug, o.name_zh, o.name_en, o.kind, o.country, o.founded_on,
       o.founded_precision, o.website, o.description_zh, o.description_en,
       c.slug, c.name_zh, c.name_en, c.country, p.slug, p.name_zh, p.name_en
FROM directory_organization o
LEFT JOIN directory_city c ON c.id = o.city_id
LEFT JOIN directory_organization p ON p.id = o.parent_id
ORDER BY o.slug LIMIT {page}"""
# Each: the organization's id first, then what is nested under `key`.
NESTED = {
    "other_names": """SELECT organization_id, name, language, kind, end_date, end_precision
        FROM directory_organizationname WHERE organization_id IN ({ids})
        ORDER BY organization_id, kind, name""",
    "fields": """SELECT l.organization_id, f.slug, f.name_zh, f.name_en
        FROM directory_organization_fields l JOIN directory_fieldofwork f
        ON f.id = l.fieldofwork_id WHERE l.organization_id IN ({ids}) ORDER BY f.slug""",
    "memberships": """SELECT m.organization_id, m.id, n.slug, n.name_zh, n.name_en,
        n.abbreviation, m.role, m.level, m.start_date, m.start_precision, m.end_date,
        m.end_precision
        FROM networks_membership m JOIN networks_network n ON n.id = m.network_id
        WHERE m.organization_id IN ({ids}) ORDER BY m.network_id, m.start_date, m.id""",
    "sources": """SELECT l.organization_id, s.slug, s.title, s.author, s.published_on,
        s.web_address FROM directory_organization_sources l JOIN directory_source s
        ON s.id = l.source_id WHERE l.organization_id IN ({ids})
        ORDER BY s.published_on DESC, s.slug""",
}


def list_page(connection, marker):
    """The page as JSON text. `marker` is the driver's placeholder (? or %s)."""
    count = connection.execute("SELECT count(*) FROM directory_organization").fetchone()[0]
    rows = connection.execute(ORGANIZATIONS.format(page=PAGE)).fetchall()
    ids = [row[0] for row in rows]
    placeholders = ", ".join([marker] * len(ids))
    results = {row[0]: {"row": list(row[1:])} for row in rows}
    for key, sql in NESTED.items():
        for result in results.values():
            result[key] = []
        for nested in connection.execute(sql.format(ids=placeholders), ids).fetchall():
            results[nested[0]][key].append(list(nested[1:]))
    return json.dumps(
        {"count": count, "results": list(results.values())}, default=str, ensure_ascii=False
    )


def median_ms(backend, size, seconds):
    """The median time of list_page over `seconds`, on one kept connection."""
    marker = "?" if backend == "sqlite" else "%s"
    samples = []
    with connect(backend, size) as connection:
        list_page(connection, marker)
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            list_page(connection, marker)
            samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 0.5)
