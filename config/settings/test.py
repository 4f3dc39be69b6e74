from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests never reach the network: the online geocoders are stubbed at their HTTP adapter.
GEOCODERS = ["ban", "gazetteer"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if DATABASES["default"]["ENGINE"].endswith("spatialite"):
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_SQLITE_NAME", default=":memory:")}
