"""Settings shared by every environment. Secure by default: no secret key, DEBUG off.

Everything that differs between machines comes from `cms.env`; `dev` loosens for the demo,
`production` only tightens, `test` speeds up.
"""

from datetime import timedelta

from celery.schedules import crontab

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
            "oidc": env.oidc(),
            "login_failure_limit": env.get_int("LOGIN_FAILURE_LIMIT", 5, minimum=1),
            "lockout_minutes": env.get_int("LOCKOUT_MINUTES", 15, minimum=1),
            "proxy_count": env.get_int("TRUSTED_PROXY_COUNT", 0),
            "session_idle_minutes": env.get_int("SESSION_IDLE_MINUTES", 30, minimum=1),
            "session_max_hours": env.get_int("SESSION_MAX_HOURS", 12, minimum=1),
        }
    except env.EnvError as error:
        env.fail_fast(error)
        raise  # unreachable: fail_fast exits


_ENV = _load()

SECRET_KEY = env.get("SECRET_KEY")
DEBUG = _ENV["debug"]
ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "themes.views.csrf_failure"  # in Vietnamese

INSTALLED_APPS = [
    # Project apps first so their templates and commands win.
    "cms",
    "accounts",
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
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "mozilla_django_oidc",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Its Vietnamese catalogue translates the admin's relative times ("5 giây trước").
    "django.contrib.humanize",
    # After wagtail.admin: its ready() replaces Wagtail's in-request moderation e-mails.
    "workflows",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy: outside the public cache, so responses
    # served from it carry them too (accounts.headers).
    "accounts.headers.SecurityHeadersMiddleware",
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
    # Sign-in policy (accounts): idle and absolute session limits, then the second factor,
    # which keeps an unverified approver or administrator out of every admin page.
    "accounts.middleware.SessionPolicyMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a lockout found during sign-in into its page.
    "axes.middleware.AxesMiddleware",
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
    {"NAME": "accounts.passwords.UsernameNotInPasswordValidator"},
    {
        "NAME": "workflows.passwords.VietnameseMinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# A password reset link works for one hour at most.
PASSWORD_RESET_TIMEOUT = 60 * 60

# Sign-in (accounts/). Password sign-in goes through django-axes first: failures are counted per
# username and per address, and either locks after LOGIN_FAILURE_LIMIT failures for
# LOCKOUT_MINUTES (or until an agency or province administrator unlocks the account).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _ENV["login_failure_limit"]
AXES_COOLOFF_TIME = timedelta(minutes=_ENV["lockout_minutes"])
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_USERNAME_CALLABLE = "accounts.lockout.attempted_username"
# Behind reverse proxies, REMOTE_ADDR is the last proxy's: TRUSTED_PROXY_COUNT says how many
# X-Forwarded-For entries (from the right) our own proxies added.
ISO_TRUSTED_PROXY_COUNT = _ENV["proxy_count"]
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_address"
AXES_VERBOSE = False

# Second factor (TOTP with recovery codes, django-otp): required for superusers, the province
# administrators and every agency's approvers and administrators; optional for everybody else.
OTP_TOTP_ISSUER = "ISO điện tử"
ISO_SECOND_FACTOR_GROUPS = ["Quản trị cấp tỉnh"]
ISO_SECOND_FACTOR_AGENCY_ROLES = ["approvers", "administrators"]
ISO_RECOVERY_CODES = 10

# Sessions: end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after
# signing in whatever happens (accounts.middleware.SessionPolicyMiddleware).
ISO_SESSION_IDLE_SECONDS = _ENV["session_idle_minutes"] * 60
ISO_SESSION_MAX_SECONDS = _ENV["session_max_hours"] * 60 * 60
SESSION_COOKIE_AGE = ISO_SESSION_MAX_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LOGIN_URL = "wagtailadmin_login"

# Headers (accounts.headers). The public site loads nothing but its own files; the admin needs
# what Wagtail's admin needs (see accounts/headers.py). Set in production only.
ISO_SECURITY_HEADERS = False
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), fullscreen=(self)"
)
WAGTAIL_GRAVATAR_PROVIDER_URL = None  # no avatar requests to an outside server

# Single sign-on with OpenID Connect (mozilla-django-oidc), on when OIDC_ISSUER is set; the
# library's settings are derived from this in accounts.oidc.
ISO_OIDC = _ENV["oidc"]
if ISO_OIDC:
    AUTHENTICATION_BACKENDS.append("accounts.oidc.ProvinceOIDCBackend")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
# The project's own catalogue (django and djangojs domains) overrides Wagtail's partial
# Vietnamese one; compiled by `make install` (locale/compile.py), never committed.
LOCALE_PATHS = [BASE_DIR / "locale"]
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
# Slugs citizens can type ("quy-trinh-danh-gia-noi-bo"); no avatar from outside the network.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_PERMITTED_LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAILADMIN_USER_LOGIN_FORM = "themes.admin_forms.LoginForm"
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
WAGTAILIMAGES_IMAGE_FORM_BASE = "content_types.image_forms.VietnameseImageForm"  # in Vietnamese
WAGTAIL_PASSWORD_RESET_ENABLED = True
# No avatars from gravatar.com: the admin would send a hash of every user's e-mail abroad and
# load an outside image on every page (DESIGN §9: nothing from a third party).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

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
    "remind-procedure-updates-daily": {
        "task": "workflows.tasks.remind_procedure_updates",
        "schedule": crontab(hour=7, minute=30),
    },
    # Audit days and action due dates (workflows.quality.reminders), every morning.
    "quality-reminders-daily": {
        "task": "workflows.quality.tasks.send_quality_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    # Each user's «Việc cần làm» digest (workflows.workspace.reminders), after the above.
    "workspace-reminders-daily": {
        "task": "workflows.workspace.tasks.send_workspace_reminders",
        "schedule": crontab(hour=7, minute=15),
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
