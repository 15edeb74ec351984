"""The demo: `make run`. Loosens base for a laptop; never for a public server."""

from cms import env

from .base import *  # noqa: F403

DEBUG = env.get_bool("DEBUG", True)
SECRET_KEY = env.get("SECRET_KEY", "demo-only-not-secret-iso-dien-tu")
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["*"])
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
