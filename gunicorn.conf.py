"""gunicorn settings for the directory (`make serve` uses this file).

Every setting here can be changed from the environment; see docs/deploy.md.
"""

import multiprocessing
import os
import sys

from django.core.exceptions import ImproperlyConfigured

from website.env import env_int as read_env_int


def env_int(name, default):
    """A whole number of at least 1, or gunicorn stops with the message, not a traceback."""
    try:
        return read_env_int(name, default, minimum=1)
    except ImproperlyConfigured as error:
        sys.exit(str(error))


bind = f"{os.environ.get('HOST', '127.0.0.1')}:{env_int('PORT', 8000)}"

# Processes, and threads in each. The pages spend most of their time waiting for the
# database, so a few threads per process serve more requests in the same memory; with
# more than one thread gunicorn uses its gthread worker.
workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = env_int("GUNICORN_THREADS", 4)

# A request still running after this many seconds has its worker killed and replaced (the
# slowest pages, the full graph and an ECOSOC import in the admin, take a few seconds).
timeout = env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5

# Each worker is replaced after about this many requests, so that memory a worker gathers
# is given back; the jitter keeps the workers from restarting all at once.
max_requests = env_int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = max_requests // 10

# Workers' heartbeat files in memory: a slow disk must not make gunicorn think a worker hangs.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# The client's address from X-Forwarded-For, only from these proxies (comma-separated).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# One JSON line per request, written by the application (website.logs.RequestLogMiddleware,
# which knows the signed-in user): gunicorn writes no access line of its own. Its own
# messages (start, workers, errors) are JSON lines of the same formatter on standard output.
accesslog = None
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "website.logs.JsonFormatter"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        }
    },
    "root": {"handlers": ["stdout"], "level": loglevel.upper()},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}
