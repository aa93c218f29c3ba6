"""The directory's pages (directory.urls), those that show what networks and events know served
by the site's composed views (website.records.views)."""

from django.urls import path

from directory import urls as own
from website.records import views

COMPOSED = {
    "organization-list-page": views.organization_list,
    "organization-page": views.organization_detail,
    "person-list-page": views.person_list,
}

urlpatterns = [
    path(
        str(pattern.pattern),
        COMPOSED.get(pattern.name, pattern.callback),
        pattern.default_args,
        name=pattern.name,
    )
    for pattern in own.urlpatterns
]
