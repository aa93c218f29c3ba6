"""Settings for the test suite: the production settings with test-only secrets."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")

from website.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Serve static files from the apps, as in development: tests do not run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The suite makes many anonymous requests; the throttle has its own test with a low rate.
API_ANONYMOUS_RATE = "100000/minute"

# Tests assert the interface's source text (English) unless they ask for Chinese, through a
# /zh-hans/ address, an Accept-Language header or translation.override; production defaults
# to Chinese.
LANGUAGE_CODE = "en"

# Collected static files with hashed names need collectstatic; tests serve the apps' files.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Whatever REDIS_URL the shell has, the suite's cache is this process's memory (emptied
# before each test, see conftest.py); tests of Redis itself point at it explicitly. Pages and
# what is derived from the data (list counts, the API's rows, organizations' graphs, common
# words' search answers) are cached as in production (website.cache), so every test that
# edits and then looks also checks that the edit shows at once.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
DATA_CACHE_SECONDS = 600
PAGE_CACHE_SECONDS = 600

AUTHENTICATION_BACKENDS = [
    "tests.axes_backend.AxesBackendAllowingTestLogin",
    *AUTHENTICATION_BACKENDS[1:],  # noqa: F405
]

# The daily downloads (website.downloads): the suite never reads or writes var/downloads.
# Where none is built, as here, the About page and /api/downloads/ say so; the tests that
# build point DOWNLOADS_DIRECTORY at a temporary folder of their own.
DOWNLOADS_DIRECTORY = Path(tempfile.gettempdir()) / "directory-tests-no-downloads-built"
SITE_URL = "http://testserver"

# The suite runs without replicas, whatever the shell's DATABASE_REPLICA_URLS. The alias
# replica_1 is Django's test mirror of the test database (TEST MIRROR: not created, not
# flushed, the same database under another connection) for the tests of the routing, which
# turn replicas on for themselves; tests/website/test_replicas.py points it at a real
# streaming replica.
DATABASES = {
    "default": DATABASES["default"],  # noqa: F405
    "replica_1": {**DATABASES["default"], "TEST": {"MIRROR": "default"}},  # noqa: F405
}
DATABASE_REPLICAS = []
DATABASE_ROUTERS = []
