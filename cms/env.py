"""The one place that reads the process environment.

Every integration switches on when its variable is present; with none set the product runs on
its embedded defaults (DESIGN §4). A malformed value stops start-up with a single line naming
the variable: operators read that line in a service log, so no traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ISO_VAR_DIR") or BASE_DIR / "var")


class EnvError(Exception):
    """A configuration variable that cannot be used; the message names it."""

    def __init__(self, variable: str, reason: str) -> None:
        self.variable = variable
        super().__init__(f"Lỗi cấu hình: biến môi trường {variable} không hợp lệ: {reason}")


def fail_fast(error: EnvError) -> None:
    """Print the one clear line and stop the process."""
    print(str(error), file=sys.stderr)
    raise SystemExit(2)


def get(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def get_bool(name: str, default: bool = False) -> bool:
    value = get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise EnvError(name, f"«{value}» không phải giá trị đúng/sai (dùng 1/0, true/false)")


def get_list(name: str, default: list[str] | None = None) -> list[str]:
    value = get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def _split_url(name: str, url: str, schemes: set[str]):
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError for a non-numeric or out-of-range port
    except ValueError as exc:
        raise EnvError(name, f"không đọc được địa chỉ ({exc})") from None
    if parts.scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise EnvError(
            name, f"giao thức «{parts.scheme or '(trống)'}» không hỗ trợ; dùng: {allowed}"
        )
    return parts, port


DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}


def database_from_url(url: str, name: str = "DATABASE_URL") -> dict:
    parts, port = _split_url(name, url, DATABASE_SCHEMES)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise EnvError(name, "thiếu đường dẫn tệp SQLite (ví dụ sqlite:////srv/iso/db.sqlite3)")
        return sqlite_database(path[1:])
    if not parts.hostname:
        raise EnvError(name, "thiếu tên máy chủ (ví dụ postgres://user:pass@db:5432/iso)")
    db_name = unquote(parts.path.lstrip("/"))
    if not db_name:
        raise EnvError(name, "thiếu tên cơ sở dữ liệu sau dấu /")
    config = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": db_name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname,
        "PORT": str(port or ""),
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
    options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if options:
        config["OPTIONS"] = options
    return config


def database() -> dict:
    url = get("DATABASE_URL")
    if url is None:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        return sqlite_database(str(VAR_DIR / "db.sqlite3"))
    return database_from_url(url)


# WAL lets the web server and the Celery worker use the file at once. SQLite's own page cache
# is 2 MB by default; a province's search index is over 100 MB, and a broad search read through
# the operating system's cache page by page took twice as long. Memory-mapped reads and a 64 MB
# cache per connection keep it in memory.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "PRAGMA cache_size=-65536;"
    "PRAGMA mmap_size=268435456;"
)


def sqlite_database(path: str) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": path,
        "OPTIONS": {"init_command": SQLITE_PRAGMAS, "timeout": 20},
        # Kept between requests, like PostgreSQL's: opening one (the pragmas and Django's SQL
        # functions) costs a page view more than most of its queries.
        "CONN_MAX_AGE": 60,
    }


BROKER_SCHEMES = {"redis", "rediss", "amqp", "amqps", "pyamqp", "filesystem", "memory"}


def broker_url_checked(url: str, name: str = "CELERY_BROKER_URL") -> str:
    parts, _port = _split_url(name, url, BROKER_SCHEMES)
    if parts.scheme not in {"filesystem", "memory"} and not parts.hostname:
        raise EnvError(name, "thiếu tên máy chủ (ví dụ redis://127.0.0.1:6379/0)")
    redis_db = parts.path.strip("/")
    if parts.scheme.startswith("redis") and redis_db and not redis_db.isdigit():
        raise EnvError(name, "số cơ sở dữ liệu Redis sau dấu / phải là số")
    return url


def broker_url() -> str | None:
    """The production broker, or None for the embedded filesystem broker."""
    url = get("CELERY_BROKER_URL")
    return broker_url_checked(url) if url is not None else None


def cache() -> dict:
    url = get("CACHE_URL")
    if url is None:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "iso"}
    parts, _port = _split_url("CACHE_URL", url, {"redis", "rediss", "locmem", "dummy"})
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "iso"}
    if parts.scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    if not parts.hostname:
        raise EnvError("CACHE_URL", "thiếu tên máy chủ Redis")
    return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}


def search_engine() -> dict | None:
    """The search backend's parameters for Elasticsearch 8/9 (ELASTICSEARCH_URL, index prefix
    ELASTICSEARCH_INDEX) or OpenSearch 2/3 (OPENSEARCH_URL, OPENSEARCH_INDEX); None: the
    database's full-text search. A comma-separated URL list names the nodes of one cluster."""
    es_url, os_url = get("ELASTICSEARCH_URL"), get("OPENSEARCH_URL")
    if es_url and os_url:
        raise EnvError("OPENSEARCH_URL", "chỉ đặt một trong ELASTICSEARCH_URL và OPENSEARCH_URL")
    if not (es_url or os_url):
        return None
    name, engine = ("ELASTICSEARCH", "elasticsearch") if es_url else ("OPENSEARCH", "opensearch")
    urls = [url.strip() for url in (es_url or os_url).split(",") if url.strip()]
    for url in urls:
        parts, _port = _split_url(f"{name}_URL", url, {"http", "https"})
        if not parts.hostname:
            raise EnvError(f"{name}_URL", "thiếu tên máy chủ (ví dụ http://127.0.0.1:9200)")
    index = get(f"{name}_INDEX", "iso")
    if not index.replace("_", "").replace("-", "").isalnum() or index != index.lower():
        raise EnvError(f"{name}_INDEX", "chỉ dùng chữ thường, chữ số, - và _")
    return {
        "BACKEND": f"wagtail.search.backends.{'elasticsearch9' if es_url else 'opensearch3'}",
        "ENGINE": engine,
        "URLS": urls,
        "INDEX": index,
        "TIMEOUT": 10,
    }


def email() -> dict:
    """Django e-mail settings from EMAIL_URL (smtp://, smtps://, file:///dir, console://)."""
    url = get("EMAIL_URL")
    if url is None:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(VAR_DIR / "mail"),
        }
    parts, port = _split_url("EMAIL_URL", url, {"smtp", "smtps", "file", "console"})
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "file":
        if not parts.path:
            raise EnvError("EMAIL_URL", "thiếu thư mục (ví dụ file:///srv/iso/mail)")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if not parts.hostname:
        raise EnvError("EMAIL_URL", "thiếu tên máy chủ SMTP")
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port or (465 if parts.scheme == "smtps" else 587),
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_SSL": parts.scheme == "smtps",
        "EMAIL_USE_TLS": parts.scheme == "smtp" and query.get("tls", ["1"])[-1] != "0",
    }


def get_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise EnvError(name, f"«{value}» không phải số nguyên") from None
    if number < minimum:
        raise EnvError(name, f"phải lớn hơn hoặc bằng {minimum}")
    return number


OIDC_MATCH_FIELDS = {"username", "email"}


def oidc() -> dict | None:
    """Single sign-on with an OpenID Connect provider; on when OIDC_ISSUER is set.

    Everything else (endpoints, signing keys) is read from the provider's discovery document
    at `<issuer>/.well-known/openid-configuration` the first time somebody signs in with it.
    """
    issuer = get("OIDC_ISSUER")
    if issuer is None:
        return None
    parts, _port = _split_url("OIDC_ISSUER", issuer, {"http", "https"})
    if not parts.hostname:
        raise EnvError("OIDC_ISSUER", "thiếu tên máy chủ")
    client_id = get("OIDC_CLIENT_ID")
    if client_id is None:
        raise EnvError("OIDC_CLIENT_ID", "bắt buộc khi đặt OIDC_ISSUER")
    secret = get("OIDC_CLIENT_SECRET")
    if secret is None:
        raise EnvError("OIDC_CLIENT_SECRET", "bắt buộc khi đặt OIDC_ISSUER")
    match = get("OIDC_MATCH_FIELD", "username")
    if match not in OIDC_MATCH_FIELDS:
        raise EnvError("OIDC_MATCH_FIELD", f"«{match}» không hỗ trợ; dùng username hoặc email")
    return {
        "issuer": issuer.rstrip("/"),
        "client_id": client_id,
        "client_secret": secret,
        "claim": get("OIDC_USERNAME_CLAIM", "preferred_username"),
        "match": match,
        "scopes": get("OIDC_SCOPES", "openid email profile"),
        "sign_algo": get("OIDC_SIGN_ALGO", "RS256"),
        "strong_acr": get_list("OIDC_STRONG_ACR"),
        "label": get("OIDC_LABEL", "Đăng nhập một lần (SSO)"),
    }
