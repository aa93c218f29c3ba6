"""The API root: every app's endpoints under /api/, plus search, Popolo, the daily downloads
and the docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from directory.api.urls import router as directory_router
from events.api.urls import router as events_router
from networks.api.urls import router as networks_router
from website.api.downloads import DownloadsView
from website.api.popolo import PopoloView
from website.api.search import SearchView
from website.records.api import COMPOSED

EXTRA_LINKS = {
    "search": "api-search",
    "popolo": "api-popolo",
    "downloads": "api-downloads",
    "schema": "api-schema",
    "docs": "api-docs",
}


class DirectoryRouter(DefaultRouter):
    def get_api_root_view(self, api_urls=None):
        list_name = self.routes[0].name
        links = {
            prefix: list_name.format(basename=basename)
            for prefix, _viewset, basename in self.registry
        }
        return self.APIRootView.as_view(api_root_dict={**links, **EXTRA_LINKS})


router = DirectoryRouter()
for app_router in (directory_router, networks_router, events_router):
    router.registry.extend(
        (prefix, COMPOSED.get(prefix, viewset), basename)
        for prefix, viewset, basename in app_router.registry
    )

urlpatterns = [
    path("search/", SearchView.as_view(), name="api-search"),
    path("popolo.json", PopoloView.as_view(), name="api-popolo"),
    path("downloads/", DownloadsView.as_view(), name="api-downloads"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="website/api_docs.html"
        ),
        name="api-docs",
    ),
    path("", include(router.urls)),
]
