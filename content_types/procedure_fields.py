"""Fields of administrative procedures (lĩnh vực thủ tục hành chính): one list for the province.

A snippet rather than a per-agency list, so that every agency files "Hộ tịch" under the same
record and the province can report across agencies. Changes are audited with django-simple-history
(who renamed or recoded a field, and when); the snippet admin lives in `wagtail_hooks.py`.
"""

from django.db import models

from simple_history.models import HistoricalRecords


class ProcedureField(models.Model):
    name = models.CharField(
        "tên lĩnh vực",
        max_length=255,
        unique=True,
        error_messages={"unique": "Lĩnh vực này đã có trong danh mục."},
        help_text="Ví dụ: Hộ tịch, Chứng thực, Lý lịch tư pháp.",
    )
    code = models.CharField(
        "mã lĩnh vực",
        max_length=64,
        blank=True,
        help_text="Mã lĩnh vực trên Cơ sở dữ liệu quốc gia về thủ tục hành chính, nếu có.",
    )
    ministry = models.CharField(
        "bộ, ngành quản lý",
        max_length=255,
        blank=True,
        help_text="Bộ, ngành quản lý nhà nước về lĩnh vực, ví dụ Bộ Tư pháp.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = "Lĩnh vực thủ tục hành chính"
        verbose_name_plural = "Lĩnh vực thủ tục hành chính"

    def __str__(self) -> str:
        return self.name
