from django.urls import path

from directory.record_pages import record_page_urls
from events import views
from events.models import Event

urlpatterns = [
    path("events/", views.event_list, name="event-list-page"),
    path("events/<slug:slug>/", views.event_detail, name="event-page"),
    *record_page_urls("events", Event),
]
