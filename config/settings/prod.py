from .base import *  # noqa: F403
from .base import env

DEBUG = False
# No default in production: a missing SECRET_KEY stops start-up instead of using the public one.
SECRET_KEY = env.str("SECRET_KEY")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # collectstatic writes fingerprinted names (app.3f2a1c.css) and their gzip copies; the
    # WhiteNoise middleware serves those as immutable, cached for good by browsers and proxies.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
