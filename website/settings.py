"""Settings for the directory, read from the environment (see .env.example)."""

import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX

from website.env import env_bool, env_int, env_list, env_str, refuse_retired

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = BASE_DIR / "var"

DEBUG = env_bool("DEBUG", default=False)
# `make run`: the site on one's own machine as its visitors see it, with DEBUG off (so a
# missing page is the site's own 404, not Django's list of every address), and what
# development needs of DEBUG: the built-in key, localhost, static files without
# collectstatic (below, STORAGES). `make serve` refuses it.
LOCAL_SERVER = env_bool("LOCAL_SERVER", default=False)
DEVELOPMENT = DEBUG or LOCAL_SERVER

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string, or set DEBUG=true "
            "for local development (which uses a built-in, insecure key)."
        )
    SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEVELOPMENT else []
)
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. List the host names this site answers to, "
        "separated by commas (for example directory.example.org)."
    )

# The admin's address, without the leading slash (a less guessable one keeps scanners away).
ADMIN_URL = env_str("ADMIN_URL", "admin/").strip("/") + "/"
if not re.fullmatch(r"[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*/", ADMIN_URL) or ADMIN_URL.split("/")[0] in {
    "api",
    "static",
    "en",
    "zh-hans",
    "healthz",
    "readyz",
    "downloads",
}:
    raise ImproperlyConfigured(
        f"ADMIN_URL {env_str('ADMIN_URL')!r} cannot be used: give a path such as "
        "'admin/' or 'office-7f3a/' (letters, digits, '-' and '_'), not one the site "
        "already uses (api, static, en, zh-hans, healthz, readyz, downloads)."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "website.library_apps.SignInAttemptsConfig",
    "corsheaders",
    "csp",
    "django_countries",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "nested_admin",
    "rest_framework",
    "rest_framework.authtoken",
    "simple_history",
    "django_tasks",
    "website.library_apps.BackgroundJobsConfig",
    "directory",
    "networks",
    "events",
    # The site: what knows all three apps (their URLs, the API root, search, the cache,
    # the commands that work on the whole directory).
    "website",
]

MIDDLEWARE = [
    # First: it times and logs every answer, whichever layer gives it.
    "website.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "website.security.RefuseNulCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything that answers on its own, so preflight requests get their headers.
    "corsheaders.middleware.CorsMiddleware",
    "website.security.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "website.api.language.ApiLanguageMiddleware",
    # After the locale (the language is in its key), before what may set cookies.
    "website.page_cache.AnonymousCacheMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Where the view's reads go: a replica, or the primary for a write and for a visitor who
    # just wrote (nothing without replicas). After CSRF, so that a write refused there does
    # not count; the session and the signed-in user, read before, come from the primary.
    "website.replicas.ReadYourWritesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into its 429 answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "website.context_processors.site",
            ],
        },
    },
]

DEFAULT_SQLITE_URL = f"sqlite:///{DATA_DIR / 'directory.sqlite3'}"
DATABASE_URL = env_str("DATABASE_URL", DEFAULT_SQLITE_URL)
if DATABASE_URL == DEFAULT_SQLITE_URL:
    DATA_DIR.mkdir(exist_ok=True)
# Read replicas of the primary (website.replicas): streaming standbys of PostgreSQL, one URL
# each, comma-separated; the aliases replica_1, replica_2, ... in that order.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])


def parse_database(variable, url):
    try:
        return dj_database_url.parse(
            url, conn_max_age=env_int("CONN_MAX_AGE", 60, minimum=0), conn_health_checks=True
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"{variable} cannot be used: {error}") from None


POSTGRESQL = "django.db.backends.postgresql"
DATABASES = {"default": parse_database("DATABASE_URL", DATABASE_URL)}
DATABASE_REPLICAS = [f"replica_{number}" for number in range(1, len(DATABASE_REPLICA_URLS) + 1)]
for alias, url in zip(DATABASE_REPLICAS, DATABASE_REPLICA_URLS, strict=True):
    DATABASES[alias] = parse_database("DATABASE_REPLICA_URLS", url)
    if {DATABASES[alias]["ENGINE"], DATABASES["default"]["ENGINE"]} != {POSTGRESQL}:
        raise ImproperlyConfigured(
            "DATABASE_REPLICA_URLS names streaming replicas of a PostgreSQL primary: both "
            "DATABASE_URL and each replica's URL must be postgres://... URLs."
        )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the job worker write to one file. A transaction takes the write lock
    # as it begins, waiting for another's to end, rather than fail at once ("database is
    # locked") when it first reads and then writes while the other process writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
# PostgreSQL only (below): SQLite has no time limit on a statement or a lock.
WEB_STATEMENT_TIMEOUT_MS = MIGRATION_LOCK_TIMEOUT_MS = 0
DATABASE_CHECK_TIMEOUT_MS = 1_000
if DATABASES["default"]["ENGINE"] == POSTGRESQL:
    # Each statement a web request runs may take this many milliseconds (0: no limit); a
    # runaway query then ends in a 503 instead of holding its worker and the database until
    # gunicorn kills the worker (website.statement_timeout). Commands are not limited.
    WEB_STATEMENT_TIMEOUT_MS = env_int(
        "DATABASE_STATEMENT_TIMEOUT_MS", 10_000, minimum=0, meaning="0 (no limit)"
    )
    # A web request's wait for the database is bounded on the client's side too, for a
    # server that does not answer at all (website.database_watchdog): a statement by the
    # time limit above and two seconds more, Django's check of a kept connection by this.
    DATABASE_CHECK_TIMEOUT_MS = env_int("DATABASE_CHECK_TIMEOUT_MS", 1_000, minimum=1)
    # How long `migrate` waits for a lock before it stops with a message (0: as long as it
    # takes), so that a deploy during an import or a long edit fails fast instead of queueing
    # every request behind its waiting ALTER or DROP (website/management/commands/migrate.py).
    MIGRATION_LOCK_TIMEOUT_MS = env_int(
        "DATABASE_MIGRATION_LOCK_TIMEOUT_MS", 5_000, minimum=0, meaning="0 (no limit)"
    )
    # A query a connection has run this many times is kept prepared: PostgreSQL parses and
    # plans it once, where planning took a large part of a detail page's database time (its
    # queries are many and short). Prepared statements need parameters bound by the server.
    # 0 turns both off, as a pooler that hands each transaction another connection
    # (PgBouncer's transaction mode) requires.
    PREPARE_THRESHOLD = env_int("DATABASE_PREPARE_THRESHOLD", 5, minimum=0)
    # The primary and each replica alike.
    for database in DATABASES.values():
        # Random reads cost little more than sequential ones on SSDs. With the default (4,
        # for spinning disks) the planner scans the whole table for common search terms
        # instead of using the trigram index, which is much slower (see directory.search).
        database.setdefault("OPTIONS", {})["options"] = "-c random_page_cost=1.1"
        # A database that does not answer makes a request fail in seconds with a 503 (see
        # website.health), rather than hold a worker until gunicorn kills it; a replica
        # that does not answer is left for the primary as soon (website.replicas).
        database["OPTIONS"].setdefault(
            "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3, minimum=0)
        )
        # A connection the network dropped without a word is found out by TCP: keepalives
        # probe an idle one, and data left unacknowledged this long ends a busy one.
        database["OPTIONS"].update(
            keepalives=1,
            keepalives_idle=10,
            keepalives_interval=3,
            keepalives_count=3,
            tcp_user_timeout=WEB_STATEMENT_TIMEOUT_MS + 5_000,
        )
        if PREPARE_THRESHOLD:
            database["OPTIONS"].update(
                server_side_binding=True, prepare_threshold=PREPARE_THRESHOLD
            )
# With replicas (website.replicas): a replica is read only while its lag is within
# DATABASE_REPLICA_MAX_LAG_SECONDS, as each process checks at most every
# DATABASE_REPLICA_CHECK_SECONDS; a visitor who wrote reads the primary for
# DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS, which must cover the other two together, or
# they could read a replica that has not yet replayed their change.
DATABASE_REPLICA_MAX_LAG_SECONDS = env_int("DATABASE_REPLICA_MAX_LAG_SECONDS", 5, minimum=0)
DATABASE_REPLICA_CHECK_SECONDS = env_int("DATABASE_REPLICA_CHECK_SECONDS", 5, minimum=0)
DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS = env_int(
    "DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS", 15, minimum=1
)
if DATABASE_REPLICAS and DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS < (
    DATABASE_REPLICA_MAX_LAG_SECONDS + DATABASE_REPLICA_CHECK_SECONDS
):
    raise ImproperlyConfigured(
        "DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS "
        f"({DATABASE_READ_PRIMARY_AFTER_WRITE_SECONDS}) must be at least "
        "DATABASE_REPLICA_MAX_LAG_SECONDS plus DATABASE_REPLICA_CHECK_SECONDS "
        f"({DATABASE_REPLICA_MAX_LAG_SECONDS} + {DATABASE_REPLICA_CHECK_SECONDS}): a visitor "
        "who wrote could otherwise read a replica that has not yet replayed the change."
    )
DATABASE_ROUTERS = ["website.replicas.ReplicaRouter"] if DATABASE_REPLICAS else []

# Redis, shared by every worker: cached pages, API throttling, sessions' cache, background
# jobs' progress. Without it the processes of one machine share a cache in files (the web
# server and the job worker are two processes); nothing derived from the data is kept there
# (DATA_CACHE_SECONDS and PAGE_CACHE_SECONDS are 0 below).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    if not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix://, not {REDIS_URL!r}."
        )
    # A Redis that does not answer is left alone for a few seconds rather than waited for
    # on every call (website.redis_cache). Imported here: the redis package costs a worker
    # without Redis some megabytes.
    from website.redis_cache import cache_settings

    CACHES = {"default": cache_settings(REDIS_URL, env_str("REDIS_KEY_PREFIX", "directory"))}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env_str("CACHE_DIRECTORY", str(DATA_DIR / "cache")),
        }
    }

# Background jobs (imports): queued in the database, run by `manage.py run_worker`, which
# `make run` and `make serve` start beside the web server (docs/deploy.md).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Seconds a cached value lives unless the data change first (website.cache):
# DATA_CACHE_SECONDS for what is derived from the data for every client (list counts, the
# API's rows, pages' fragments, common words' search answers), PAGE_CACHE_SECONDS for
# anonymous visitors' whole pages and API answers. 0 turns either off, as is the default
# without Redis: separate processes' memory caches would not see each other's invalidations.
DATA_CACHE_SECONDS = env_int("DATA_CACHE_SECONDS", 600 if REDIS_URL else 0, minimum=0)
refuse_retired(
    [
        "FRAGMENT_CACHE_SECONDS",
        "LIST_COUNTS_CACHE_SECONDS",
        "LIST_ROW_CACHE_SECONDS",
        "SEARCH_CACHE_SECONDS",
    ],
    instead="DATA_CACHE_SECONDS",
)
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 600 if REDIS_URL else 0, minimum=0)

# Sessions in the database, read through the cache: any worker can serve any editor, and a
# Redis outage costs a query, not the session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username and address before the password
    # is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes compressed copies and content-hashed names; WhiteNoise serves the
    # hashed names with a cache lifetime of ten years, since a change makes a new name.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if LOCAL_SERVER:
    # As with DEBUG: WhiteNoise finds the files in the apps' folders as they change, and
    # pages name them as they are (there is no manifest of hashed names to read).
    STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    WHITENOISE_USE_FINDERS = True
    WHITENOISE_AUTOREFRESH = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Shown first in country pickers: most organizations in the directory are Chinese.
COUNTRIES_FIRST = ["CN"]

SITE_NAME = _("Civil Society Networks Directory")

# Spreadsheet import and export in the admin (django-import-export, see directory/resources.py).
IMPORT_EXPORT_FORMATS = [CSV, XLSX]
# A file imports in one transaction: all its rows, or none.
IMPORT_EXPORT_USE_TRANSACTIONS = True
# What one upload to the admin may be (directory/uploads.py). The ECOSOC import runs in the
# background (networks.jobs) and takes IMPORT_MAX_ROWS; a spreadsheet of records is imported
# in its request, so it takes fewer (docs/performance.md has the seconds per row).
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_MB", 5, minimum=1) * 1024 * 1024
IMPORT_MAX_UNPACKED_BYTES = 10 * IMPORT_MAX_BYTES
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 10_000, minimum=1)
SPREADSHEET_IMPORT_MAX_ROWS = env_int("SPREADSHEET_IMPORT_MAX_ROWS", 1_000, minimum=1)
# The history (django-simple-history) records every imported change with its editor; the
# admin log would repeat it, one entry per row.
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

# Anonymous API clients may make this many requests (per second, minute, hour or day).
API_ANONYMOUS_RATE = env_str("API_ANONYMOUS_RATE", "120/minute")

# Readers' error reports (directory.record_pages): how many one client address may send,
# and how long a form must have been open (robots send at once) and may be (a day).
ERROR_REPORT_RATE = env_str("ERROR_REPORT_RATE", "5/hour")
ERROR_REPORT_MIN_SECONDS = env_int("ERROR_REPORT_MIN_SECONDS", 3, minimum=0)
ERROR_REPORT_MAX_AGE_SECONDS = 24 * 60 * 60
# Counted per client address as the API's anonymous rate is (website.api.throttling).
ERROR_REPORT_THROTTLE = "website.api.throttling.ErrorReportThrottle"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "website.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly",
    ],
    "DEFAULT_PAGINATION_CLASS": "directory.api.pagination.DirectoryPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "directory.api.filtering.SelectionFilterBackend",
        "directory.api.filtering.StrictOrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "directory.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "directory.api.renderers.FastJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "directory.api.renderers.CSVRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["website.api.throttling.AnonymousRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "directory.api.exceptions.exception_handler",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Civil Society Networks Directory API",
    "DESCRIPTION": (
        "Chinese and international civil-society organizations, the networks they join, the "
        "people who lead them, and the events and programs that connect them. Every record "
        "cites its sources. Anyone may read; editors with an account and model permissions "
        "may write (token or session authentication). Lists take `search`, `ordering`, "
        "`page` and `page_size`, and `format=csv`; `pagination=keyset` walks a whole list "
        "by cursors, stable under inserts."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "directory.api.schema.document_errors_and_anonymous_reads",
    ],
    "ENUM_NAME_OVERRIDES": {
        "OrganizationKindEnum": "directory.models.organizations.OrganizationKind",
        "OtherNameKindEnum": "directory.models.organizations.OrganizationName.Kind",
        "SourceKindEnum": "directory.models.sources.Source.Kind",
        "DatePrecisionEnum": "directory.models.base.DatePrecision",
        "CountryEnum": "django_countries.countries",
        "NetworkKindEnum": "networks.models.Network.Kind",
        "MembershipRoleEnum": "networks.models.Membership.Role",
        "ProgramKindEnum": "networks.models.Program.Kind",
        "ProgramRoleEnum": "networks.models.ProgramRole.Role",
        "EventKindEnum": "events.models.Event.Kind",
        "SessionKindEnum": "events.models.Session.Kind",
        "TalkRoleEnum": "events.models.Talk.Role",
        "ParticipationRoleEnum": "events.models.Participation.Role",
    },
}

# Security. Served over HTTPS (HTTPS=true, in front of a proxy that terminates TLS or not),
# the site redirects plain HTTP, sends cookies only over HTTPS and asks browsers to use
# HTTPS only (HSTS). The other protections hold everywhere.
HTTPS = env_bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=HTTPS)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
# Load balancers probe health over plain HTTP, and a redirect is not an answer to a probe.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000 if HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=True)
TRUST_X_FORWARDED_PROTO = env_bool("TRUST_X_FORWARDED_PROTO", default=False)
if TRUST_X_FORWARDED_PROTO:
    # Only behind a proxy that sets this header itself: a client could send it otherwise.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Daily downloads of the whole directory (website.downloads, manage.py build_downloads):
# where the files are written, and the site's own address, which the records' links are
# written with (a file is built outside any request). The address defaults to the first of
# ALLOWED_HOSTS, over HTTPS when HTTPS is on.
DOWNLOADS_DIRECTORY = Path(env_str("DOWNLOADS_DIRECTORY", str(DATA_DIR / "downloads")))
SITE_URL = env_str(
    "SITE_URL", f"{'https' if HTTPS else 'http'}://{ALLOWED_HOSTS[0].lstrip('.')}"
).rstrip("/")
if not re.fullmatch(r"https?://[^/?#\s]+", SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL must be the site's address, such as https://directory.example.org, "
        f"not {SITE_URL!r}."
    )
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Content Security Policy (django-csp): everything from this site, no inline script or
# style, no plugins, no framing. The admin and the API's browsable pages come from other
# packages' templates and get what those need (website.security).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Cross-origin reads of the API from any site's scripts, without credentials; writes are
# for editors' own tools, not for browsers on other sites.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

# Failed sign-ins (django-axes): after this many for one username from one address, that
# pair is refused for the cool-off time; other editors and addresses are not affected.
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_COOLOFF_MINUTES", 30, minimum=0))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Behind proxies, the client's address is the entry of X-Forwarded-For that the outermost
# of this many proxies wrote (website.client_address, docs/deploy.md).
PROXY_COUNT = env_int("PROXY_COUNT", 0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "website.client_address.client_address"
if TRUST_X_FORWARDED_PROTO and not PROXY_COUNT:
    # A proxy sets X-Forwarded-Proto, so there is one: with PROXY_COUNT=0 every client would
    # share its address, and one client's failed sign-ins would lock out everyone's.
    raise ImproperlyConfigured(
        "TRUST_X_FORWARDED_PROTO=true says a proxy stands in front of the site, but "
        "PROXY_COUNT is 0: every client would share the proxy's address for failed sign-ins "
        "and the anonymous API rate. Set PROXY_COUNT to the number of proxies that append to "
        "X-Forwarded-For (docs/deploy.md, Behind a proxy)."
    )

# One JSON object per line on standard output (website.logs): a line per request from
# directory.request, a line per error from django.request (4xx answers are in the request
# lines already).
LOGGING = {
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
    "root": {"handlers": ["stdout"], "level": env_str("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.request": {"level": "ERROR"},
        # Requests are logged once, by directory.request.
        "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
        "django_redis": {"level": "WARNING"},
        "axes.apps": {"level": "WARNING"},
    },
}
