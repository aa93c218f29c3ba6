from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Site")

    def ready(self):
        from django.conf import settings
        from django.contrib import admin

        from website import cache

        cache.connect()
        # The admin is titled as the site, in the editor's language, not "Django administration".
        admin.site.site_header = admin.site.site_title = settings.SITE_NAME
        admin.site.index_title = _("Editing the directory")
