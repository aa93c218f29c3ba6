"""The organization list's rows kept written, as JSON, in the shared cache.

Most of a list page's time goes to reading each organization's nested records (other names,
fields, memberships, sources) and writing them: four of five queries, and 4 of 6 ms for fifty
organizations of 100,000. Kept written, a page reads its organizations' ids and takes their
rows from the cache in one round trip; only the rows not there are read and written, and then
kept. A row is kept under the data's generation (website.cache), which any change to the
directory's records moves on: a row is never served after a change to anything it shows.

Only with a cache that every worker shares (Redis): LIST_ROW_CACHE_SECONDS, 0 turns it off.
Unlike the page cache it also serves editors and token clients, and pages, filters and
orderings that share organizations share their rows.
"""

import hashlib

import orjson
from django.conf import settings
from django.core.cache import cache

from directory.api.renderers import FastJSONRenderer
from directory.api.serializers import OrganizationSerializer
from directory.api.writers import writer_for
from directory.models import Organization
from website.cache import current_generation


def serves(request):
    """Whether this request's list is written from kept rows: the row cache is on and the
    answer is compact JSON, which takes rows already written."""
    renderer = getattr(request, "accepted_renderer", None)
    return (
        settings.LIST_ROW_CACHE_SECONDS > 0
        and isinstance(renderer, FastJSONRenderer)
        and renderer.writes_compactly(request.accepted_media_type, {})
    )


def organization_rows(ids, links):
    """The organizations `ids`, in that order, each as an orjson.Fragment of the JSON
    OrganizationSerializer writes for it (directory.api.writers), with `links`' addresses."""
    # The generation is read before any row: a row read after a change may then be kept
    # under the generation before it, where no one looks, never an old row under a new one.
    prefix = key_prefix(current_generation(), links)
    keys = {pk: f"{prefix}:{pk}" for pk in ids}
    kept = cache.get_many(keys.values())
    written = {pk: kept[key] for pk, key in keys.items() if key in kept}
    missing = [pk for pk in ids if pk not in written]
    if missing:
        write = writer_for(OrganizationSerializer)
        fresh = {
            record.pk: orjson.dumps(write(record, links))
            for record in Organization.objects.filter(pk__in=missing).for_listing()
        }
        cache.set_many(
            {keys[pk]: row for pk, row in fresh.items()}, settings.LIST_ROW_CACHE_SECONDS
        )
        written.update(fresh)
    # An organization deleted between the page's query and its rows' is left out.
    return [orjson.Fragment(written[pk]) for pk in ids if pk in written]


def key_prefix(generation, links):
    # The rows' addresses are absolute (scheme, host, script prefix, format suffix): rows
    # written for one address are kept apart from another's.
    origin = (
        links.template("organization-detail")
        or f"{links.request.build_absolute_uri('/')} {links.format}"
    )
    digest = hashlib.blake2b(origin.encode(), digest_size=8).hexdigest()
    return f"organization-row:{generation}:{digest}"
