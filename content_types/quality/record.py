"""Audit records (phiếu ghi chép): one per unit and auditor of a plan, with its questions."""

from django.conf import settings
from django.db import models

from simple_history.models import HistoricalRecords

from .clauses import CLAUSE_CHOICES


class AuditResult(models.TextChoices):
    CONFORMING = "conforming", "Phù hợp"
    MAJOR = "major", "Không phù hợp nặng"
    MINOR = "minor", "Không phù hợp nhẹ"
    OBSERVATION = "observation", "Điểm lưu ý"
    IMPROVEMENT = "improvement", "Cơ hội cải tiến"
    STRONG_POINT = "strong_point", "Điểm mạnh"


NONCONFORMING_RESULTS = (AuditResult.MAJOR, AuditResult.MINOR)
# What the report lists as findings: everything but "conforming".
FINDING_RESULTS = (
    AuditResult.MAJOR,
    AuditResult.MINOR,
    AuditResult.OBSERVATION,
    AuditResult.IMPROVEMENT,
)


class RecordStatus(models.TextChoices):
    OPEN = "open", "Đang ghi chép"
    SUBMITTED = "submitted", "Đã hoàn thành"


class AuditRecord(models.Model):
    # The unit, auditor and date are copied from the plan's assignment when the record is
    # opened: the record stays what was audited even if the plan is revised later.
    plan = models.ForeignKey(
        "content_types.AuditPlanPage",
        verbose_name="kế hoạch đánh giá",
        on_delete=models.CASCADE,
        related_name="audit_records",
    )
    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="audit_records",
    )
    unit = models.ForeignKey(
        "content_types.QualityUnit",
        verbose_name="đơn vị được đánh giá",
        on_delete=models.PROTECT,
        related_name="audit_records",
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="đánh giá viên",
        on_delete=models.PROTECT,
        related_name="audit_records",
    )
    audit_date = models.DateField("ngày đánh giá")
    processes = models.CharField("quá trình, quy trình", max_length=255, blank=True)
    auditee_representative = models.CharField("đại diện đơn vị", max_length=120, blank=True)
    summary = models.TextField("nhận xét chung", blank=True)
    status = models.CharField(
        "tình trạng", max_length=20, choices=RecordStatus.choices, default=RecordStatus.OPEN
    )
    submitted_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "phiếu ghi chép đánh giá"
        verbose_name_plural = "phiếu ghi chép đánh giá"
        ordering = ["audit_date", "unit__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit", "auditor"], name="unique_audit_record_per_assignment"
            ),
        ]

    def __str__(self) -> str:
        return f"Phiếu ghi chép {self.unit} — {self.audit_date:%d/%m/%Y}"


class AuditQuestion(models.Model):
    record = models.ForeignKey(
        AuditRecord, verbose_name="phiếu", on_delete=models.CASCADE, related_name="questions"
    )
    clause = models.CharField("điều khoản", max_length=8, choices=CLAUSE_CHOICES)
    process = models.CharField("quá trình", max_length=255, blank=True)
    question = models.TextField("câu hỏi, nội dung đánh giá")
    evidence = models.TextField("bằng chứng ghi nhận", blank=True)
    dossiers_sampled = models.TextField(
        "hồ sơ được chọn mẫu", blank=True, help_text="Số, mã hồ sơ đã xem."
    )
    result = models.CharField(
        "kết quả", max_length=20, choices=AuditResult.choices, blank=True, default=""
    )
    note = models.TextField("diễn giải phát hiện", blank=True)
    sort_order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "câu hỏi đánh giá"
        verbose_name_plural = "câu hỏi đánh giá"
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return f"{self.clause}: {self.question[:60]}"
