from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = _("Organizations and people")

    def ready(self):
        from directory import (  # noqa: F401 (checks registers itself)
            checks,
            history,
            signals,
        )

        signals.connect()
        history.connect()
