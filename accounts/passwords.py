"""Password rules beyond Django's: the username must not be part of the password."""

from django.core.exceptions import ValidationError


class UsernameNotInPasswordValidator:
    """Refuses a password containing the username (Django's similarity check lets
    `stp.lanhdao2026!` through for `stp.lanhdao`)."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").strip().lower()
        if len(username) >= 3 and username in password.lower():
            raise ValidationError(
                "Mật khẩu không được chứa tên đăng nhập.", code="password_contains_username"
            )

    def get_help_text(self) -> str:
        return "Mật khẩu không được chứa tên đăng nhập."
