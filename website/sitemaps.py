"""sitemap.xml: every public page, in both languages."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from directory.models import Organization, Person, Source
from events.models import Event
from networks.models import Network, Program


class RecordSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    model = None

    def items(self):
        return self.model.objects.order_by("pk").only("pk", "slug")


def sitemap_for(model):
    return type(f"{model.__name__}Sitemap", (RecordSitemap,), {"model": model})


class PageSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def items(self):
        return [
            "home",
            "organization-list-page",
            "network-list-page",
            "program-list-page",
            "event-list-page",
            "person-list-page",
            "source-list-page",
            "graph",
            "about",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    **{
        model._meta.model_name: sitemap_for(model)
        for model in (Organization, Network, Program, Event, Person, Source)
    },
}
