import os

from django.core.wsgi import get_wsgi_application

from directory.statement_timeout import limit_web_statements

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "directory.settings")

application = get_wsgi_application()
# The web server's connections only: commands, which share the settings, run unlimited.
limit_web_statements()
