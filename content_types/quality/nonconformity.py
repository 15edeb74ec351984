"""A nonconformity (sự không phù hợp) and its stages, ISO 9001:2015 clause 10.2.

The stage changes, with their guards, are services in workflows.quality.nonconformities.
"""

from django.conf import settings
from django.db import models

from simple_history.models import HistoricalRecords

from .clauses import CLAUSE_CHOICES


class NonconformityStage(models.TextChoices):
    NEW = "new", "Mới"
    ANALYSIS = "analysis", "Phân tích nguyên nhân"
    PLANNING = "planning", "Lập kế hoạch"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    VERIFICATION = "verification", "Chờ đánh giá hiệu lực"
    CLOSED = "closed", "Đã đóng"
    CANCELLED = "cancelled", "Đã huỷ"


OPEN_STAGES = (
    NonconformityStage.NEW,
    NonconformityStage.ANALYSIS,
    NonconformityStage.PLANNING,
    NonconformityStage.IN_PROGRESS,
    NonconformityStage.VERIFICATION,
)


class NonconformitySource(models.TextChoices):
    AUDIT = "audit", "Đánh giá nội bộ"
    COMPLAINT = "complaint", "Phản ánh, kiến nghị của người dân"
    LATE_DOSSIER = "late_dossier", "Hồ sơ giải quyết trễ hạn"
    REVIEW = "review", "Xem xét của lãnh đạo"
    INSPECTION = "inspection", "Thanh tra, kiểm tra bên ngoài"
    OTHER = "other", "Nguồn khác"


class Severity(models.TextChoices):
    MAJOR = "major", "Nặng"
    MINOR = "minor", "Nhẹ"


class Nonconformity(models.Model):
    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="nonconformities",
    )
    code = models.CharField("số hiệu", max_length=40, help_text="Ví dụ NC-2026-003.")
    title = models.CharField("tóm tắt", max_length=255)
    source = models.CharField(
        "nguồn",
        max_length=20,
        choices=NonconformitySource.choices,
        default=NonconformitySource.AUDIT,
    )
    finding = models.ForeignKey(
        "content_types.AuditQuestion",
        verbose_name="phát hiện đánh giá",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nonconformities",
    )
    unit = models.ForeignKey(
        "content_types.QualityUnit",
        verbose_name="đơn vị",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="nonconformities",
    )
    clause = models.CharField("điều khoản", max_length=8, choices=CLAUSE_CHOICES, blank=True)
    severity = models.CharField(
        "mức độ", max_length=10, choices=Severity.choices, default=Severity.MINOR
    )
    description = models.TextField("mô tả sự không phù hợp")
    correction = models.TextField("hành động khắc phục tức thời (sửa chữa)", blank=True)
    cause = models.TextField("nguyên nhân", blank=True)
    stage = models.CharField(
        "giai đoạn",
        max_length=20,
        choices=NonconformityStage.choices,
        default=NonconformityStage.NEW,
    )
    cancel_reason = models.TextField("lý do huỷ", blank=True)
    verification_note = models.TextField("kết quả đánh giá hiệu lực", blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đánh giá hiệu lực",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verified_at = models.DateTimeField("ngày đánh giá hiệu lực", null=True, blank=True)
    effective = models.BooleanField("có hiệu lực", null=True, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người phát hiện",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    raised_on = models.DateField("ngày phát hiện")
    closed_at = models.DateTimeField("ngày đóng", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "sự không phù hợp"
        verbose_name_plural = "sự không phù hợp"
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="unique_nonconformity_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"
