"""Test settings: fast hashing, plain static files, Celery tasks run in-process.

A test that needs the real worker starts one itself (tests/integration/test_celery_worker.py).
"""

from cms import env

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
if env.get("EMAIL_URL") is None:
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = not env.get_bool("CELERY_REAL_WORKER", False)
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
# The tests choose the search engine per test (tests/search/conftest.py): the database's unless
# a test asks for the engine; OPENSEARCH_URL / ELASTICSEARCH_URL only say where the cluster is.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "search.backends"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # A file, not memory, so a real Celery worker process can open the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}  # noqa: F405
