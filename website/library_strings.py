"""Words the libraries show editors in the admin that their own catalogues do not translate
into Chinese. Listed here, `makemessages` puts them in the site's catalogue, which Django
reads before the libraries' (locale/zh_Hans)."""

from django.utils.translation import gettext_noop

LIBRARY_STRINGS = [
    # django-tasks-db's models
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
    # django-axes' models
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
]
