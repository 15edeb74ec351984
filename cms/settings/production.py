"""Production: only tightens base. SECRET_KEY, ALLOWED_HOSTS, WAGTAILADMIN_BASE_URL are required."""

from cms import env

from .base import *  # noqa: F403

if not SECRET_KEY:  # noqa: F405
    env.fail_fast(env.EnvError("SECRET_KEY", "bắt buộc trong môi trường sản xuất"))
if not ALLOWED_HOSTS:  # noqa: F405
    env.fail_fast(
        env.EnvError("ALLOWED_HOSTS", "bắt buộc (danh sách tên miền, cách nhau dấu phẩy)")
    )
if not env.get("WAGTAILADMIN_BASE_URL"):
    # E-mails link to the admin at this address; the default of base (localhost) is the demo's.
    env.fail_fast(
        env.EnvError(
            "WAGTAILADMIN_BASE_URL", "bắt buộc (địa chỉ của cổng, ví dụ https://iso.tinh.gov.vn)"
        )
    )

DEBUG = False
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = int(env.get("SECURE_HSTS_SECONDS", "31536000") or 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
ISO_SECURITY_HEADERS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "SAMEORIGIN"
