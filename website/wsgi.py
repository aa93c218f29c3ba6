import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from website.database_watchdog import watch_web_database_waits
from website.statement_timeout import limit_web_statements

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings")

application = get_wsgi_application()
# The web server's connections only: commands, which share the settings, run unlimited.
limit_web_statements()
watch_web_database_waits()
# Every view loaded now (the first request would load them all anyway), then what start-up
# made left out of the garbage collector's full passes: it lives as long as the worker.
# Walking it made an occasional organization list page wait far longer than the others, and
# since a full pass waits for the tracked objects to grow by a quarter, cyclic garbage piled
# up between passes (freezing it shortened the list page's slowest answers and shrank the
# workers in the benchmark).
get_resolver().url_patterns  # noqa: B018 (reading them loads every view)
gc.freeze()
