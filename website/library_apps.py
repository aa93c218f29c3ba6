"""The libraries' apps as the site installs them: named in the admin in the editor's language
(their own names are English only). Kept apart from website.apps, whose one AppConfig Django
picks as the site's."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class SignInAttemptsConfig(AxesAppConfig):
    verbose_name = _("Sign-in attempts")


class BackgroundJobsConfig(TasksAppConfig):
    verbose_name = _("Background jobs")
