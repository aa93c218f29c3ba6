"""Helpers the public pages of every app share."""

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.list_counts import selection_counts
from directory.models.base import localized_value, name_order
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


def with_params(request, **changes):
    """This page's address with some parameters changed (None removes one) and no page."""
    params = request.GET.copy()
    params.pop("page", None)
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return f"?{params.urlencode()}"


class Sort:
    """One order a list page offers: its name in the address (`?sort=founded`), its label,
    and the queryset method that orders the records (None: as they come, the model's
    order, or a search's best matches first); `ordering`, if the API's lists order the
    same way, gives their `ordering` parameter for it (the page's exports use it)."""

    def __init__(self, name, label, method=None, ordering=None):
        self.name, self.label, self.method, self.ordering = name, label, method, ordering

    def apply(self, records):
        return getattr(records, self.method)() if self.method else records


# The API orders by a name's sort key in either language, ties by id, as in_name_order().
BY_NAME = Sort("name", gettext_lazy("name"), "in_name_order", lambda: name_order()[0])
FOUNDED = Sort("founded", gettext_lazy("founded"), "by_founding")
MOST_CONNECTED = Sort("connected", gettext_lazy("most connected"), "most_connected")
NEWEST = Sort("date", gettext_lazy("newest first"))
BEST_MATCH = Sort("", gettext_lazy("best match"))
SORT_PARAM = "sort"


def chosen_sort(request, sorts):
    """The sorts the page offers (a search's best matches first while searching), the one
    chosen (the first unless the address names another) and, for a name the page does not
    offer, a message."""
    if (request.GET.get("search") or "").strip():
        sorts = [BEST_MATCH, *sorts]
    requested = request.GET.get(SORT_PARAM) or ""
    for sort in sorts:
        if sort.name == requested or (not requested and sort is sorts[0]):
            return sorts, sort, None
    names = ", ".join(sort.name for sort in sorts if sort.name)
    message = _("Cannot sort by “%(sort)s”. Choose from: %(names)s.") % {
        "sort": requested,
        "names": names,
    }
    return sorts, sorts[0], f"{_('Sort')}: {message}"


def sort_controls(request, sorts, chosen):
    """The links that sort the list, each keeping the filters: the first sort is the page's
    own order, so its link drops the parameter."""
    return [
        {
            "label": sort.label,
            "url": with_params(request, **{SORT_PARAM: None if sort is sorts[0] else sort.name}),
            "active": sort is chosen,
        }
        for sort in sorts
    ]


def export_links(request, model, sort):
    """The API's exports of what the list page shows (directory.api.exports): its filters
    and search, in its order where the API orders that way too, every record rather than
    a page. None for a list the API does not export."""
    params = request.GET.copy()
    for name in ("page", SORT_PARAM, "format"):
        params.pop(name, None)
    if sort.ordering is not None:
        params["ordering"] = sort.ordering()
    query = f"?{params.urlencode()}" if params else ""
    links = {}
    for suffix in ("csv", "jsonl"):
        try:
            address = reverse(f"{model._meta.model_name}-export", kwargs={"format": suffix})
        except NoReverseMatch:
            return None
        links[suffix] = address + query
    return links


def filter_errors(filterset):
    return [
        f"{filterset.form.fields[name].label or name}: {' '.join(messages)}"
        for name, messages in filterset.form.errors.items()
    ]


def filtered_list(
    request,
    filterset_class,
    template,
    *,
    per_page=PAGE_SIZE,
    counted=None,
    extra=None,
    sorts=(BY_NAME,),
):
    """A list page: the records the request's filters select (the same FilterSet as the API),
    one page of them in the order chosen from `sorts` (`?sort=`, the first by default) and,
    if the filters or the sort are malformed, a 400 that says why.

    The page's counts, how many records are selected and whatever else `counted` counts of
    them, are cached under the filters (directory.list_counts); `extra` makes more of the
    page's context from them."""
    model = filterset_class._meta.model
    filterset = filterset_class(request.GET, queryset=model.objects.all())
    sorts, sort, sort_error = chosen_sort(request, sorts)
    valid = filterset.is_valid() and not sort_error
    if valid:
        records = filterset.qs
        counts = selection_counts(filterset, records, counted)
    else:
        records = model.objects.none()
        counts = {"count": 0, **(counted(records) if counted else {})}
    # The sort orders the page, not the selection: the counts are the same in every order.
    listed = sort.apply(records.for_listing())
    context = {
        "page": paginate(request, listed, per_page, count=counts["count"]),
        "query": request.GET.get("search", ""),
        "sort": request.GET.get(SORT_PARAM, "") if not sort_error else "",
        "sorts": sort_controls(request, sorts, sort),
        "sorted_by": sort.name,
        "errors": [] if valid else [*filter_errors(filterset), *filter(None, [sort_error])],
        "downloads": export_links(request, model, sort) if valid else None,
        **(extra(counts) if extra else {}),
    }
    return render(request, template, context, status=200 if valid else 400)
