from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import RedirectView

from website import health, views
from website.api import PATH_PREFIX
from website.downloads.views import download
from website.sitemaps import SITEMAPS

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path(PATH_PREFIX.lstrip("/"), include("website.api.urls")),
    path("robots.txt", views.robots_txt, name="robots"),
    # The daily downloads of the whole directory (website.downloads), at stable addresses.
    path("downloads/<str:name>", download, name="download"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin, the API's JSON).
    path(
        "favicon.ico",
        RedirectView.as_view(url=f"{settings.STATIC_URL}directory/favicon.svg", permanent=True),
    ),
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap-index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("search/", views.search, name="search"),
    path("graph/", views.graph, name="graph"),
    path("graph/data/", views.graph_data, name="graph-data"),
    path("", include("website.records.urls")),
    path("", include("networks.urls")),
    path("", include("events.urls")),
)

handler400 = "website.views.bad_request"
handler404 = "website.views.page_not_found"
handler500 = "website.views.server_error"
