"""Helpers the public pages of every app share."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from directory.list_counts import selection_counts
from directory.models.base import localized_value
from directory.models.former_slugs import FormerSlug

PAGE_SIZE = 25


class CountedPaginator(Paginator):
    """A paginator told how many records there are, rather than asking the database."""

    def __init__(self, object_list, per_page, count):
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self):
        return self.known_count


def paginate(request, queryset, per_page=PAGE_SIZE, count=None):
    """The requested page of the queryset, of `count` records if known; a page that does not
    exist is a 404."""
    paginator = (
        Paginator(queryset, per_page)
        if count is None
        else CountedPaginator(queryset, per_page, count)
    )
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (EmptyPage, PageNotAnInteger):
        raise Http404(_("There is no such page.")) from None


def organization_moved(request, slug, route, not_found=None):
    """For an address no organization has: a permanent redirect to the `route` of the
    organization it now leads to (directory.models.former_slugs), with the request's query
    string; a 404 (saying `not_found`) if it leads nowhere."""
    current = FormerSlug.objects.current_slug(slug)
    if current is None:
        raise Http404(not_found or _("No organization has this address."))
    path = reverse(route, args=[current])
    query = request.META.get("QUERY_STRING")
    return HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)


def localized_row_name(row, prefix):
    """The name from a values() row in the active language, falling back to the other."""
    return localized_value(row.__getitem__, f"{prefix}name")


def filter_errors(filterset):
    return [
        f"{filterset.form.fields[name].label or name}: {' '.join(messages)}"
        for name, messages in filterset.form.errors.items()
    ]


def filtered_list(
    request, filterset_class, template, *, per_page=PAGE_SIZE, counted=None, extra=None
):
    """A list page: the records the request's filters select (the same FilterSet as the API),
    one page of them, and, if the filters are malformed, a 400 that says why.

    The page's counts, how many records are selected and whatever else `counted` counts of
    them, are cached under the filters (directory.list_counts); `extra` makes more of the
    page's context from them."""
    model = filterset_class._meta.model
    filterset = filterset_class(request.GET, queryset=model.objects.all())
    valid = filterset.is_valid()
    if valid:
        records = filterset.qs
        counts = selection_counts(filterset, records, counted)
    else:
        records = model.objects.none()
        counts = {"count": 0, **(counted(records) if counted else {})}
    context = {
        "page": paginate(request, records.for_listing(), per_page, count=counts["count"]),
        "query": request.GET.get("search", ""),
        "errors": [] if valid else filter_errors(filterset),
        **(extra(counts) if extra else {}),
    }
    return render(request, template, context, status=200 if valid else 400)
