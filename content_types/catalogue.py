"""The province's announcing decisions (quyết định công bố danh mục TTHC) and what they ask of
each agency.

- `CatalogueDecision`: one decision as imported for one agency (number, effective date), with
  the uploaded file kept so the preview and the import read the same bytes.
- `ProcedureUpdateTask`: one row of a decision that concerns a procedure of the agency. New,
  amended and replaced procedures get the task «cập nhật quy trình nội bộ», due by the deadline
  rule in force on the decision's effective date; abolished ones get «cần bãi bỏ».
- `UpdateDeadlineRule`: the deadline as data with an effective date, since the law changes.

Behaviour (import, deadlines, reminders, closing) lives in workflows/catalogue/.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone

from .agency import AgencyLevel


class ChangeKind(models.TextChoices):
    NEW = "new", "Mới ban hành"
    AMENDED = "amended", "Sửa đổi, bổ sung"
    REPLACED = "replaced", "Thay thế"
    ABOLISHED = "abolished", "Bãi bỏ"
    # Not from a decision: a form the procedure uses now cites a new prescribing document.
    REVIEW = "review", "Biểu mẫu đổi căn cứ"


DEFAULT_DEADLINE_MONTHS = 3


def add_months(day: date, months: int) -> date:
    """15/1 + 3 months → 15/4; 30/11 + 3 months → 28/2 (or 29/2): the last day when shorter."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class UpdateDeadlineRule(models.Model):
    """How long an agency has to update its internal process after a procedure changes.

    A rule applies from its date to every agency (no level, no agency), to the agencies of one
    level, or to one agency; the most specific rule in force on the decision's effective date
    wins (agency, then level, then the province-wide one), and without any rule the deadline is
    3 months. Kept by the province administrators (admin menu «Thời hạn cập nhật quy trình»),
    with Wagtail's history of who changed what."""

    effective_from = models.DateField(
        "áp dụng từ ngày",
        help_text="Quyết định công bố có hiệu lực từ ngày này trở đi tính theo quy định này.",
    )
    level = models.CharField(
        "áp dụng cho cấp",
        max_length=20,
        choices=AgencyLevel.choices,
        blank=True,
        help_text="Để trống: mọi cấp (trừ cơ quan hoặc cấp có quy định riêng).",
    )
    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="áp dụng riêng cho cơ quan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="update_deadline_rules",
        help_text="Để trống: áp dụng theo cấp hoặc cho toàn tỉnh.",
    )
    months = models.PositiveSmallIntegerField(
        "số tháng", default=DEFAULT_DEADLINE_MONTHS, validators=[MaxValueValidator(24)]
    )
    days = models.PositiveSmallIntegerField(
        "số ngày thêm", default=0, validators=[MaxValueValidator(365)]
    )
    legal_basis = models.CharField(
        "căn cứ",
        max_length=255,
        blank=True,
        help_text="Văn bản quy định thời hạn, ví dụ Quyết định số 12/2026/QĐ-UBND.",
    )

    class Meta:
        ordering = ["-effective_from", "agency__title", "level"]
        verbose_name = "Thời hạn cập nhật quy trình nội bộ"
        verbose_name_plural = "Thời hạn cập nhật quy trình nội bộ"
        constraints = [
            models.UniqueConstraint(
                fields=["effective_from", "level"],
                condition=models.Q(agency__isnull=True),
                name="update_deadline_rule_once_per_level_and_day",
                violation_error_message=(
                    "Đã có quy định cho phạm vi này áp dụng từ cùng ngày; hãy sửa quy định đó."
                ),
            ),
            models.UniqueConstraint(
                fields=["effective_from", "agency"],
                condition=models.Q(agency__isnull=False),
                name="update_deadline_rule_once_per_agency_and_day",
                violation_error_message=(
                    "Đã có quy định riêng cho cơ quan này áp dụng từ cùng ngày; hãy sửa quy "
                    "định đó."
                ),
            ),
        ]

    def __str__(self) -> str:
        extra = f" {self.days} ngày" if self.days else ""
        return f"{self.months} tháng{extra} từ {self.effective_from:%d/%m/%Y} ({self.scope_label})"

    @property
    def scope_label(self) -> str:
        if self.agency_id:
            return f"riêng {self.agency.title}"
        if self.level:
            return f"cấp {AgencyLevel(self.level).label}"
        return "toàn tỉnh"

    def clean(self) -> None:
        errors = {}
        if self.agency_id and self.level:
            errors["level"] = (
                "Chọn một cấp hoặc một cơ quan, không chọn cả hai: quy định riêng của cơ quan "
                "đã thay cho quy định theo cấp."
            )
        if self.months == 0 and self.days == 0:
            errors["months"] = "Thời hạn phải dài hơn 0 ngày: nhập số tháng hoặc số ngày thêm."
        if errors:
            raise ValidationError(errors)


def update_deadline_rule_for(effective: date, agency=None) -> UpdateDeadlineRule | None:
    """The rule in force on `effective` for `agency`: its own, else its level's, else the
    province-wide one."""
    rules = UpdateDeadlineRule.objects.filter(effective_from__lte=effective).order_by(
        "-effective_from"
    )
    if agency is not None:
        for scope in (
            rules.filter(agency=agency),
            rules.filter(agency__isnull=True, level=agency.level),
        ):
            rule = scope.first()
            if rule is not None:
                return rule
    return rules.filter(agency__isnull=True, level="").first()


def update_deadline_for(effective: date, agency=None) -> date:
    """The due date for a decision taking effect on `effective`: the rule in force on that day
    for the agency, else the default of 3 months."""
    rule = update_deadline_rule_for(effective, agency)
    if rule is None:
        return add_months(effective, DEFAULT_DEADLINE_MONTHS)
    return add_months(effective, rule.months) + timedelta(days=rule.days)


class CatalogueDecision(models.Model):
    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="catalogue_decisions",
        # None: the province's whole file, imported by a province administrator and split by
        # the implementing-agency column.
        null=True,
        blank=True,
    )
    number = models.CharField("số quyết định", max_length=100)
    effective_date = models.DateField("ngày có hiệu lực")
    file_name = models.CharField("tên tệp", max_length=255, blank=True)
    file_format = models.CharField("định dạng", max_length=10)
    file_sha256 = models.CharField(max_length=64)
    content = models.BinaryField("nội dung tệp")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    applied_at = models.DateTimeField("đã nhập lúc", null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = "Quyết định công bố danh mục TTHC"
        verbose_name_plural = "Quyết định công bố danh mục TTHC"

    def __str__(self) -> str:
        return f"Quyết định số {self.number}"


class TaskStatus(models.TextChoices):
    OPEN = "open", "Đang chờ cập nhật"
    DONE = "done", "Đã cập nhật"


class ProcedureUpdateTask(models.Model):
    UPDATE_TITLE = "Cập nhật quy trình nội bộ"
    WITHDRAW_TITLE = "Cần bãi bỏ"
    REVIEW_TITLE = "Cần rà soát"

    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="procedure_update_tasks",
    )
    decision_number = models.CharField("quyết định công bố", max_length=100)
    decision_effective = models.DateField("ngày quyết định có hiệu lực")
    decision = models.ForeignKey(
        CatalogueDecision, null=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    national_code = models.CharField("mã thủ tục", max_length=64)
    procedure_title = models.CharField("tên thủ tục", max_length=500)
    kind = models.CharField("nội dung công bố", max_length=20, choices=ChangeKind.choices)
    procedure = models.ForeignKey(
        "content_types.ProcedurePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="update_tasks",
    )
    # The draft revision the import made: a later published revision closes the task.
    import_revision_id = models.PositiveIntegerField(null=True, blank=True)
    due_date = models.DateField("hạn cập nhật")
    status = models.CharField(
        "tình trạng", max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN
    )
    closed_at = models.DateTimeField("hoàn thành lúc", null=True, blank=True)
    last_reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "due_date", "national_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "decision_number", "national_code", "kind"],
                name="procedure_update_task_once_per_decision",
            )
        ]
        verbose_name = "Việc cập nhật thủ tục"
        verbose_name_plural = "Việc cập nhật thủ tục"

    def __str__(self) -> str:
        return f"{self.title}: {self.national_code}"

    note = models.CharField("ghi chú", max_length=500, blank=True)

    @property
    def title(self) -> str:
        if self.kind == ChangeKind.REVIEW:
            return self.REVIEW_TITLE
        return self.WITHDRAW_TITLE if self.kind == ChangeKind.ABOLISHED else self.UPDATE_TITLE

    def days_left(self, today: date | None = None) -> int:
        today = today or timezone.localdate()
        return (self.due_date - today).days

    def is_overdue(self, today: date | None = None) -> bool:
        return self.status == TaskStatus.OPEN and self.days_left(today) < 0

    def state_label(self, today: date | None = None) -> str:
        if self.status == TaskStatus.DONE:
            return {ChangeKind.ABOLISHED: "Đã bãi bỏ", ChangeKind.REVIEW: "Đã rà soát"}.get(
                self.kind, "Đã cập nhật"
            )
        left = self.days_left(today)
        if left < 0:
            return f"Quá hạn {-left} ngày"
        if left == 0:
            return "Đến hạn hôm nay"
        return f"Còn {left} ngày"
