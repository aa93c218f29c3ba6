"""/downloads/<name>: the latest build's file of that name, as an attachment. Only the names
the manifest lists are served; nothing a visitor sends starts a build. And the list of them
the About page shows."""

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from website.downloads.building import POPOLO, exported_lists
from website.downloads.manifest import find_file, latest_files

# The files change once a day at the same address: caches keep one for an hour, then ask
# again (with its ETag, answered 304 if it has not changed).
CACHE_CONTROL = "public, max-age=3600"


@require_safe
def download(request, name):
    path, entry = find_file(name)
    if path is None:
        raise Http404("No such download.")
    etag = f'"{entry["sha256"]}"'
    last_modified = int(parse_datetime(entry["built"]).timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:
        try:
            stream = path.open("rb")
        except FileNotFoundError:
            raise Http404("No such download.") from None
        response = FileResponse(
            stream, as_attachment=True, filename=name, content_type="application/gzip"
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = CACHE_CONTROL
    return response


# How the About page names each format.
FORMAT_LABELS = {"csv": "CSV", "jsonl": "JSON Lines", "json": "Popolo JSON"}


def listed_downloads():
    """The latest build as the About page lists it: when it was built, and a row for each
    list (its name, then its files with their addresses); (None, []) before the first
    build."""
    files = latest_files()
    if not files:
        return None, []
    labels = {
        name: capfirst(viewset.queryset.model._meta.verbose_name_plural)
        for name, viewset in exported_lists()
    }
    labels[POPOLO] = _("The whole directory")
    rows = {}
    for entry in files:
        row = rows.setdefault(
            entry["list"], {"label": labels.get(entry["list"], entry["list"]), "files": []}
        )
        row["files"].append(
            {
                **entry,
                "url": reverse("download", args=[entry["name"]]),
                "format_label": FORMAT_LABELS.get(entry["format"], entry["format"]),
            }
        )
    return max(entry["built"] for entry in files), list(rows.values())
