from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from directory.models import Organization, Person

API_PREFIX = "/api/"


def home(request):
    return render(request, "directory/home.html", {
        "organization_count": Organization.objects.count(),
        "person_count": Person.objects.count(),
    })


def page_not_found(request, exception):
    """API clients get JSON for an address no route matches; people get the page."""
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": _("Server error.")}, status=500)
    return defaults.server_error(request)
