"""Settings shared by every environment. Secure by default: no secret key, DEBUG off.

Everything that differs between machines comes from `cms.env`; `dev` loosens for the demo,
`production` only tightens, `test` speeds up.
"""

from datetime import timedelta

from cms import env

BASE_DIR = env.BASE_DIR
VAR_DIR = env.VAR_DIR


def _load() -> dict:
    """Read every variable once, turning a malformed one into the one clear line."""
    try:
        return {
            "database": env.database(),
            "broker": env.broker_url(),
            "cache": env.cache(),
            "search": env.search_engine(),
            "email": env.email(),
            "debug": env.get_bool("DEBUG", False),
        }
    except env.EnvError as error:
        env.fail_fast(error)
        raise  # unreachable: fail_fast exits


_ENV = _load()

SECRET_KEY = env.get("SECRET_KEY")
DEBUG = _ENV["debug"]
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # Project apps first so their templates and commands win.
    "cms",
    "themes",
    "search",
    "content_types",
    "fixtures",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "simple_history",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # After wagtail.admin: its ready() replaces Wagtail's in-request moderation e-mails.
    "workflows",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous public pages, API and sitemap from the cache (themes.cache); before sessions,
    # so a hit costs no session or user lookup.
    "themes.cache.PublicCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "cms.urls"
WSGI_APPLICATION = "cms.wsgi.application"

TEMPLATES = [
    # The public site's pages (themes/jinja2/, see themes.jinja2_env); looked up first, and only
    # in that folder, so the admin's and the libraries' Django templates are never shadowed.
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "themes" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "themes.jinja2_env.environment",
            "extensions": ["wagtail.jinja2tags.core", "wagtail.admin.jinja2tags.userbar"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

DATABASES = {"default": _ENV["database"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {
    "default": _ENV["cache"],
    # The public site's response cache (themes.cache) must be shared by every web worker and by
    # the Celery worker that publishes scheduled versions: Redis when CACHE_URL names it, else
    # files under var/ (local memory would let one worker serve a page another has invalidated).
    "public": (
        _ENV["cache"]
        if any(kind in _ENV["cache"]["BACKEND"] for kind in ("Redis", "Dummy"))
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache" / "public"),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    ),
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "workflows.passwords.VietnameseMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns on a missing directory
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# E-mail: files under var/mail/ unless EMAIL_URL says otherwise.
globals().update(_ENV["email"])
DEFAULT_FROM_EMAIL = env.get("DEFAULT_FROM_EMAIL", "ISO điện tử <iso@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Wagtail
WAGTAIL_SITE_NAME = "ISO điện tử"
WAGTAILADMIN_BASE_URL = env.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_WORKFLOW_REQUIRE_REAPPROVAL_ON_EDIT = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAILSEARCH_BACKENDS = {
    "default": _ENV["search"] or {"BACKEND": "wagtail.search.backends.database"}
}
WAGTAILSEARCH_BACKENDS["default"]["BACKEND"] = "search.backends"  # Vietnamese folding, any engine
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_DOCUMENT_FORM_BASE = "content_types.document_forms.ControlledDocumentForm"
WAGTAILDOCS_INLINE_CONTENT_TYPES: list[str] = []  # PDFs too: always a download
ISO_STAMP_FONT = env.get("ISO_STAMP_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
WAGTAILIMAGES_EXTENSIONS = ["png", "jpg", "jpeg", "webp"]
WAGTAIL_PASSWORD_RESET_ENABLED = True

# Celery. Without CELERY_BROKER_URL the worker and the web server share an embedded
# filesystem broker under var/celery/, so the demo needs no server.
CELERY_BROKER_URL = _ENV["broker"] or "filesystem://localhost/"
if _ENV["broker"] is None:
    _CELERY_DIR = VAR_DIR / "celery"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_CELERY_DIR / "queue"),
        "data_folder_out": str(_CELERY_DIR / "queue"),
        "control_folder": str(_CELERY_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "control"):
        (_CELERY_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Periodic schedules, all in one place.
CELERY_BEAT_SCHEDULE = {
    "publish-scheduled-every-minute": {
        "task": "workflows.tasks.publish_scheduled",
        "schedule": timedelta(minutes=1),
    },
}

# Wagtail's own background work (reference index, search index, file deletion) goes to the
# Celery workers when a real broker is configured, and runs immediately otherwise.
TASKS = {
    "default": {
        "BACKEND": (
            "cms.task_backend.CeleryTaskBackend"
            if _ENV["broker"]
            else "django_tasks.backends.immediate.ImmediateBackend"
        ),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "workflows": {"level": "INFO"},
        "django.request": {"level": "ERROR"},
    },
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

WAGTAIL_FINISH_WORKFLOW_ACTION = "workflows.finish.publish_approved_workflow_state"
