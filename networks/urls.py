from django.urls import path

from networks import views

urlpatterns = [
    path("networks/", views.network_list, name="network-list-page"),
    path("networks/<slug:slug>/", views.network_detail, name="network-page"),
    path("programs/", views.program_list, name="program-list-page"),
    path("programs/<slug:slug>/", views.program_detail, name="program-page"),
]
