from django.contrib import admin
from django.urls import include, path

from directory import views

urlpatterns = [
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("api/", include("directory.api.site")),
]

handler404 = "directory.views.page_not_found"
handler500 = "directory.views.server_error"
