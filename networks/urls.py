from django.urls import path

from directory.record_pages import record_page_urls
from networks import committee_pages, views
from networks.models import Network, Program

urlpatterns = [
    path("networks/", views.network_list, name="network-list-page"),
    path("networks/<slug:slug>/", views.network_detail, name="network-page"),
    path("programs/", views.program_list, name="program-list-page"),
    path("programs/<slug:slug>/", views.program_detail, name="program-page"),
    path("committee/", committee_pages.statistics, name="committee-page"),
    path(
        "committee/sessions/",
        committee_pages.session_list,
        name="committee-session-list-page",
    ),
    path(
        "committee/decisions/",
        committee_pages.decision_list,
        name="committee-decision-list-page",
    ),
    path("committee/votes/", committee_pages.vote_list, name="committee-vote-list-page"),
    path(
        "committee/sessions/<str:date>/",
        committee_pages.session_detail,
        name="committee-session-page",
    ),
    *record_page_urls("networks", Network),
    *record_page_urls("programs", Program),
]
