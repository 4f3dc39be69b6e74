"""Settings shared by every environment.

Every value that varies between machines is read here, from the environment
(or a `.env` file at the project root), and nowhere else.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.conf.locale import LANG_INFO

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "axes",
    "csp",
    "leaflet",
    "simple_history",
    "core",
    "geodata",
    "directory",
    "practices",
    "resources",
    "embeds",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from STATIC_ROOT (collectstatic), before any other work; fingerprinted
    # names (written by prod.py's storage) are served as immutable.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # The Content-Security-Policy header on every page (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # A database that dropped the connection or timed out: one retry for GET, else a 503.
    "core.database.DatabaseUnavailableMiddleware",
    # First-party usage counts, once the response is built (core/usage/, docs/usage.md).
    "core.usage.middleware.UsageMiddleware",
    # Control characters in the admin's query strings: a 400 (core/parameters.py).
    "core.parameters.AdminParametersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: answers a locked-out login with its page (AXES_* below).
    "axes.middleware.AxesMiddleware",
]

# django-axes first (refuses a locked-out username + address before any password is checked),
# then object-level rules (<app>/rules.py); ModelBackend logs in and holds the group permissions.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SpatiaLite file by default (no server needed); postgis://user@host:port/name for PostGIS.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"spatialite:///{VAR_DIR / 'reperes.sqlite3'}")
}
# Management commands (manage.py marks them: DJANGO_PROCESS=command) run statements far longer
# than a page may (imports, export builds, cluster rebuilds, load_geography): they get their own
# statement timeout, none by default. Web processes (gunicorn, runserver, the tests) get the
# web's. Seconds; 0 is no limit.
if env.str("DJANGO_PROCESS", default="web") == "command":
    DATABASE_STATEMENT_TIMEOUT = env.float("COMMAND_STATEMENT_TIMEOUT", default=0)
else:
    DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=10)
if DATABASES["default"]["ENGINE"] == "django.contrib.gis.db.backends.postgis":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    # A persistent connection the server dropped (restart, failover, pg_terminate_backend) is
    # noticed at the request's first query and replaced, instead of failing that request.
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # A server that accepts connections and never answers costs a request seconds, not the
    # worker (gunicorn kills it at 30 s): psycopg gives up connecting after this many seconds.
    _options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
    # Queries of milliseconds, as a web application runs: no JIT (its compilation took
    # 240 ms of a 280 ms count at a million places) and no parallel workers (starting one
    # took 10 ms of a 13 ms sort). docs/spatial-notes.md. The server cancels a statement
    # running past the timeout; the request then gets a 503 (core/database.py).
    _options.setdefault(
        "options",
        "-c jit=off -c max_parallel_workers_per_gather=0"
        f" -c statement_timeout={round(DATABASE_STATEMENT_TIMEOUT * 1000)}",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# django-vectortiles (directory/tiles/): ST_AsMVT on PostGIS, mapbox-vector-tile on SpatiaLite.
VECTOR_TILES_BACKEND = (
    "vectortiles.backends.postgis"
    if DATABASES["default"]["ENGINE"] == "django.contrib.gis.db.backends.postgis"
    else "vectortiles.backends.python"
)

# Local memory by default; redis://host:6379/1 selects django-redis (shared by every process).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://reperes")}
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # A Redis outage must cost a request a fraction of a second, never a 500: reads then
    # miss, writes are dropped and the error is logged (core/cache.py says what that means).
    # Connections from django-redis's pool are not retried. ?socket_timeout=… in the URL wins.
    CACHES["default"]["OPTIONS"] = {
        "SOCKET_CONNECT_TIMEOUT": 0.25,
        "SOCKET_TIMEOUT": 0.5,
        "IGNORE_EXCEPTIONS": True,
        **CACHES["default"].get("OPTIONS", {}),
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
# Each language named in itself: the switcher shows these to people who may read only that one.
# Dari is "fa-af" (locale directory fa_AF): Django's own Persian catalogues serve the admin, and
# "fa" makes it right-to-left. Django knows only Persian: Dari's names, as CLDR gives them, are
# added to its table, which {% get_language_info %} reads.
LANG_INFO.setdefault("fa-af", {"bidi": True, "code": "fa-af", "name": "Dari", "name_local": "دری"})
LANGUAGES = [
    ("fr", "Français"),
    ("en", "English"),
    ("ar", "العربية"),
    ("uk", "Українська"),
    ("fa-af", "دری"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed from the npm registry by `make setup`.
    ("vendor/markercluster", BASE_DIR / "node_modules" / "leaflet.markercluster" / "dist"),
    ("vendor/vectorgrid", BASE_DIR / "node_modules" / "leaflet.vectorgrid" / "dist"),
]

# Reference geography sources (installed from the registries by `make setup`).
DECOUPAGE_ADMINISTRATIF_DIR = env.path(
    "DECOUPAGE_ADMINISTRATIF_DIR",
    default=str(BASE_DIR / "node_modules" / "@etalab" / "decoupage-administratif" / "data"),
)

# Open-data export files (manage.py build_exports), and the site address written in them.
EXPORTS_ROOT = env.path("EXPORTS_ROOT", default=str(VAR_DIR / "exports"))
# Files uploaded in the admin wait here between the import's preview and its confirmation.
IMPORTS_ROOT = env.path("IMPORTS_ROOT", default=str(VAR_DIR / "imports"))
# Larger files go through `manage.py import_places` (the admin says so).
IMPORT_ADMIN_MAX_BYTES = env.int("IMPORT_ADMIN_MAX_BYTES", default=20 * 1024 * 1024)
EXPORTS_BASE_URL = env.str("EXPORTS_BASE_URL", default="")

# The freshness loop (manage.py send_freshness_reminders, directory/freshness.py): a place
# whose information was last verified longer ago than this, or never, is marked as such.
FRESHNESS_MONTHS = env.int("FRESHNESS_MONTHS", default=6)
# A practice sheet's "still running?" is asked again this long after the last answer.
PRACTICE_REVIEW_MONTHS = env.int("PRACTICE_REVIEW_MONTHS", default=12)
# The documentary base (resources/): attached PDFs are kept here, at most this many MB each.
RESOURCES_FILES_ROOT = env.path("RESOURCES_FILES_ROOT", default=str(VAR_DIR / "resources"))
RESOURCES_MAX_FILE_MB = env.int("RESOURCES_MAX_FILE_MB", default=20)
# The one-click links of the reminders stop working after this many days.
FRESHNESS_LINK_DAYS = env.int("FRESHNESS_LINK_DAYS", default=30)
# The site's own address, for links written where there is no request (e-mails).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# OAI-PMH data provider of the documentary base (resources/oai/, README "Documentation"):
# identifiers are oai:<OAI_REPOSITORY_ID>:notice/<slug> (SITE_URL's host when empty); a list
# answer holds at most OAI_PAGE_SIZE records; its resumption token works OAI_TOKEN_MAX_AGE s.
OAI_REPOSITORY_NAME = env.str("OAI_REPOSITORY_NAME", default="Repères — base documentaire")
OAI_REPOSITORY_ID = env.str("OAI_REPOSITORY_ID", default="")
OAI_PAGE_SIZE = env.int("OAI_PAGE_SIZE", default=100)
OAI_TOKEN_MAX_AGE = env.int("OAI_TOKEN_MAX_AGE", default=24 * 3600)

# E-mail: consolemail:// prints messages (development); smtp+tls://user:pass@host:587 sends.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Repères <ne-pas-repondre@localhost>")
# The network's address for the public (accessibility statement): a placeholder until set.
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default="contact@reperes.example.org")

# Geocoder chain, tried in order; the offline gazetteer should stay last.
GEOCODERS = env.list("GEOCODERS", default=["ban", "gazetteer"])
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=3.0)
GEOCODER_CACHE_SECONDS = env.int("GEOCODER_CACHE_SECONDS", default=7 * 24 * 3600)
GEOCODER_USER_AGENT = env.str("GEOCODER_USER_AGENT", default="reperes/0.1 (annuaire)")
# One budget per client address for every typed text sent to the geocoder chain (the API's
# address= and /geocode/, the search page, the embed; geodata/geocoding.py). An address
# already cached costs nothing. API_GEOCODE_RATE is the former name.
GEOCODING_RATE = env.str("GEOCODING_RATE", default=env.str("API_GEOCODE_RATE", default="30/min"))
NOMINATIM_DOMAIN = env.str("NOMINATIM_DOMAIN", default="nominatim.openstreetmap.org")
BAN_DOMAIN = env.str("BAN_DOMAIN", default="api-adresse.data.gouv.fr")

# « Signaler une erreur » on place pages (directory/suggestions/): reports accepted per client
# address and per period (core/ratelimit.py); the answers go out by e-mail (EMAIL_URL above).
SUGGESTION_RATE = env.str("SUGGESTION_RATE", default="5/hour")
# « Demander ce document » and « Trouver une structure ressource » (resources/document_requests/):
# requests sent per client address and per period, both forms sharing one budget.
DOCUMENT_REQUEST_RATE = env.str("DOCUMENT_REQUEST_RATE", default="5/hour")
# Orientation sheet PDFs (directory/orientation.py) per client address: each costs WeasyPrint.
ORIENTATION_PDF_RATE = env.str("ORIENTATION_PDF_RATE", default="30/hour")
# Bibliography PDFs (resources/printing.py) built per client address; cached ones are free.
BIBLIOGRAPHY_PDF_RATE = env.str("BIBLIOGRAPHY_PDF_RATE", default="30/hour")

# Usage figures without trackers (core/usage/, docs/usage.md): daily counters, no address, no
# typed text. Which GET 200s count, by URL name ("namespace:name") or whole namespace.
USAGE_COUNTING = env.bool("USAGE_COUNTING", default=True)
USAGE_SECTIONS = {
    "geodata:home": "home",
    "geodata:region": "regions",
    "geodata:department": "regions",
    "directory:search": "annuaire",
    "directory:place": "lieu",
    "directory:organisation": "organisation",
    "practices:list": "pratiques",
    "practices:sheet": "fiche",
    "embeds:map": "embed",
    "embeds:watch": "embed",
    "embeds:builder": "integrer",
    "exports": "exports",
    "resources:watch": "veille",
    "resources": "documentation",
    "api": "api",
}
# Pages read, counted by id: URL name -> (what, model, the URL keyword it is found by).
USAGE_READS = {
    "directory:place": ("place", "directory.Place", "slug"),
    "practices:sheet": ("sheet", "practices.PracticeSheet", "slug"),
    "resources:notice": ("notice", "resources.Notice", "slug"),
}
# Search pages -> the parameters counted; only values known to their vocabulary count.
USAGE_SEARCHES = {"directory:search": ("competence", "region")}
# Parameter -> (model, field holding the value, field naming it in the report).
USAGE_VOCABULARIES = {
    "competence": ("directory.Competence", "slug", "name"),
    "region": ("geodata.Region", "code", "name"),
}
# Requests sent through the documentary base's forms, counted without who sent them:
# kind -> (model, field holding the key, field naming it in the report).
USAGE_REQUESTS = {
    "document": ("directory.Organisation", "pk", "name"),
    "organisation": ("geodata.Region", "code", "name"),
}
USAGE_EMBEDS = ("embeds:map", "embeds:watch")
# Non-HTML answers there are downloads, counted by path.
USAGE_DOWNLOADS = (
    "exports",
    "resources:notice-file",
    "resources:notice-export",
    "resources:bibliography-export",
    "resources:bibliography-pdf",
    "resources:search-export",
)
USAGE_API = ("api", "resources:oai")
# PostgreSQL: the counting statement commits without waiting for its WAL flush (docs/usage.md).
USAGE_ASYNCHRONOUS_COMMIT = env.bool("USAGE_ASYNCHRONOUS_COMMIT", default=True)

LEAFLET_CONFIG = {
    "DEFAULT_CENTER": (46.6, 2.4),
    "DEFAULT_ZOOM": 5,
    "MIN_ZOOM": 3,
    "MAX_ZOOM": 18,
    "TILES": [
        (
            "OpenStreetMap",
            env.str("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
            {
                "attribution": "&copy; contributeurs OpenStreetMap",
                "maxZoom": 19,
            },
        )
    ],
    "RESET_VIEW": False,
    "NO_GLOBALS": False,
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Writes stay locked; the public read endpoints say AllowAny themselves (core/api/).
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAdminUser"],
    # Per client IP address; the public viewsets apply them (core/api/).
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="120/min"),
    },
    # Reverse proxies in front of the site (1 behind nginx): the client IP is then read
    # from X-Forwarded-For. 0 trusts only the socket's address, which no client can forge.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Repères API",
    "DESCRIPTION": (
        "Annuaire géographique des acteurs de l'intégration des primo-arrivants et fiches de "
        "pratiques documentées. Lecture publique, sans authentification ; réponses GeoJSON "
        "pour ce qui se place sur une carte. Voir docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Redoc served from our own static files, never from a CDN.
    "REDOC_DIST": "SIDECAR",
}

# The API is public: any origin may read it from a browser, nothing else.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
# django-cors-headers' defaults, plus the conditional-request headers.
CORS_ALLOW_HEADERS = [
    "accept",
    "authorization",
    "content-type",
    "user-agent",
    "x-csrftoken",
    "x-requested-with",
    "if-none-match",
    "if-modified-since",
]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

X_FRAME_OPTIONS = "DENY"


def _tile_source(url: str) -> str | None:
    """The CSP source of a tile URL template: "https://{s}.tile.example.org/{z}/{x}/{y}.png"
    gives "https://*.tile.example.org"; a path on this site gives nothing ('self' covers it)."""
    parts = urlsplit(url.replace("{s}", "*"))
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# django-csp: every response says what its page may load. Scripts only from this site, and the
# inline ones django-leaflet writes carry the request's nonce ({% leaflet_map … csp_nonce=… %}).
# Styles allow 'unsafe-inline': the embed's colours are a style attribute, the admin has
# <style> blocks, and Leaflet positions tiles and markers with inline styles. Images: the map
# tiles' host (MAP_TILES_URL) and data: URIs (Leaflet's stylesheet). Workers: the API docs'
# search (Redoc) runs in a blob: worker. No page may be framed, except the embeds, which
# replace frame-ancestors (embeds/framing.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [
            SELF,
            "data:",
            *filter(None, (_tile_source(url) for _name, url, _opts in LEAFLET_CONFIG["TILES"])),
        ],
        "connect-src": [SELF],
        "font-src": [SELF],
        "frame-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# django-axes: after LOGIN_FAILURE_LIMIT wrong passwords for one username from one address, that
# pair is refused (even with the right password) for LOGIN_LOCKOUT_MINUTES, counted again from
# each new attempt; a successful login clears the count. Attempts are kept in the database
# (axes' tables, visible in the admin). The address is read as the API's throttles read it
# (API_NUM_PROXIES).
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "core.ratelimit.client_ip"
AXES_LOCKOUT_CALLABLE = "core.errors.login_locked_out"
AXES_VERBOSE = False

# GDAL < 3.9 cannot block file/network access; nothing here opens untrusted rasters.
SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
