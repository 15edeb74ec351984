"""Password rules with Vietnamese messages.

Django's Vietnamese catalogue translates every password message but the minimum length one (a
plural whose translation its catalogue does not carry), so users were told in English.
"""

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.core.exceptions import ValidationError


class VietnameseMinimumLengthValidator(MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự.",
                code="password_too_short",
                params={"min_length": self.min_length},
            )

    def get_help_text(self) -> str:
        return f"Mật khẩu cần ít nhất {self.min_length} ký tự."
