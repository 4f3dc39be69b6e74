from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import CACHES, env

DEBUG = False
# No default in production: a missing SECRET_KEY stops start-up instead of using the public one.
SECRET_KEY = env.str("SECRET_KEY")

# Throttles, login lockouts and report budgets count in the cache: with one cache per process,
# each gunicorn worker would grant the whole budget again. Refuse to start without a shared one.
SHARED_CACHE_BACKENDS = {
    "django_redis.cache.RedisCache",
    "django.core.cache.backends.redis.RedisCache",
    "django.core.cache.backends.memcached.PyMemcacheCache",
}
if CACHES["default"]["BACKEND"] not in SHARED_CACHE_BACKENDS:
    raise ImproperlyConfigured(
        "CACHE_URL doit désigner un cache partagé par tous les processus "
        "(ex. CACHE_URL=redis://127.0.0.1:6379/1) : avec le cache en mémoire de chaque "
        "processus, les limites de débit et le verrouillage des connexions seraient "
        f"multipliés par le nombre de workers. Cache configuré : {CACHES['default']['BACKEND']}."
    )

# HTTPS, terminated by the reverse proxy, which must set X-Forwarded-Proto (and overwrite any
# value a client sent): that header tells Django a request came in over HTTPS.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Plain-HTTP requests are redirected to HTTPS, except the health check, which load balancers
# and probes call on the application's own address.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Browsers remember to use HTTPS only (HSTS): one year, subdomains included, preload allowed.
# Start lower (SECURE_HSTS_SECONDS=300) on a first deployment if HTTPS is not settled yet.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes fingerprinted names (app.3f2a1c.css) and their gzip copies; the
    # WhiteNoise middleware serves them as immutable, cached for good by browsers and proxies.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
