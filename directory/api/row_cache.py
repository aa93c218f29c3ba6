"""The organization list's rows cached written, as JSON, until the data change
(website.cache).

Most of a list page's time goes to reading each organization's nested records (other names,
fields, memberships, sources) and writing them: four of its five queries. Cached written, a
page reads its organizations' ids and takes their rows from the cache in one round trip;
only the rows not there are read and written, and then cached. Any change to the
directory's records moves the data's generation on: a row is never served after a change to
anything it shows.

Unlike the page cache it also serves editors and token clients, and pages, filters and
orderings that share organizations share their rows.
"""

import orjson
from django.conf import settings

from directory.api.renderers import FastJSONRenderer
from directory.api.writers import row_writer_for
from website.cache import cache_key, cached_many


def serves(request):
    """Whether this request's list is written from cached rows: the cache is on and the
    answer is compact JSON, which takes rows already written."""
    renderer = getattr(request, "accepted_renderer", None)
    return (
        settings.DATA_CACHE_SECONDS > 0
        and isinstance(renderer, FastJSONRenderer)
        and renderer.writes_compactly(request.accepted_media_type, {})
    )


def organization_rows(ids, links, serializer_class):
    """The organizations `ids`, in that order, each as an orjson.Fragment of the JSON
    `serializer_class` writes for it (directory.api.writers), with `links`' addresses."""
    keys = row_keys(ids, links, serializer_class)
    ids_of = {key: pk for pk, key in keys.items()}
    writer = row_writer_for(serializer_class)

    def written(missing_keys):
        missing = [ids_of[key] for key in missing_keys]
        return {
            keys[pk]: orjson.dumps(writer.write(row, related, links))
            for pk, row, related in writer.rows(missing)
        }

    found = cached_many(keys.values(), written)
    # An organization deleted between the page's query and its rows' is left out.
    return [orjson.Fragment(found[keys[pk]]) for pk in ids if keys[pk] in found]


def row_keys(ids, links, serializer_class):
    """{id: its row's key}. The rows' addresses are absolute (scheme, host, script prefix,
    format suffix): rows written for one address are cached apart from another's, and rows
    of one shape apart from another's."""
    origin = (
        links.template("organization-detail")
        or f"{links.request.build_absolute_uri('/')} {links.format}"
    )
    # The origin is hashed once for the page and each row's id appended, rather than a hash
    # made for each row of the page.
    shape = f"{serializer_class.__module__}.{serializer_class.__qualname__}"
    rows = cache_key("organization-row", shape, origin)
    return {pk: f"{rows}:{pk}" for pk in ids}
