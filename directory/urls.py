from django.urls import path

from directory import views
from directory.models import Organization, Person, Source
from directory.record_pages import record_page_urls

urlpatterns = [
    path("organizations/", views.organization_list, name="organization-list-page"),
    path("organizations/<slug:slug>/", views.organization_detail, name="organization-page"),
    path("people/", views.person_list, name="person-list-page"),
    path("people/<slug:slug>/", views.person_detail, name="person-page"),
    path("sources/", views.source_list, name="source-list-page"),
    path("sources/<slug:slug>/", views.source_detail, name="source-page"),
    *record_page_urls("organizations", Organization),
    *record_page_urls("people", Person),
    *record_page_urls("sources", Source),
]
