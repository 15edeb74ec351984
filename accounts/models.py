from django.conf import settings
from django.db import models


class LockoutRecord(models.Model):
    """One lockout: django-axes keeps only the current failure counters and forgets them on
    unlock, so every lockout is written here, with who unlocked it and when."""

    username = models.CharField("tên đăng nhập", max_length=255, blank=True)
    ip_address = models.GenericIPAddressField("địa chỉ", null=True, blank=True)
    user_agent = models.CharField("trình duyệt", max_length=255, blank=True)
    path = models.CharField("trang", max_length=255, blank=True)
    locked_at = models.DateTimeField("khóa lúc", auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField("lần thử cuối", auto_now=True)
    attempts_while_locked = models.PositiveIntegerField("số lần thử khi đang khóa", default=0)
    unlocked_at = models.DateTimeField("mở khóa lúc", null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người mở khóa",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "lần khóa đăng nhập"
        verbose_name_plural = "các lần khóa đăng nhập"
        ordering = ["-locked_at"]

    def __str__(self) -> str:
        return (
            f"{self.username or '—'} / {self.ip_address or '—'} ({self.locked_at:%d/%m/%Y %H:%M})"
        )
