"""The agency's one action list (QualityAction): corrective actions today; objective plans and
management-review decisions reuse it (DESIGN §10) with their own `source`."""

from django.conf import settings
from django.db import models

from simple_history.models import HistoricalRecords


class ActionSource(models.TextChoices):
    NONCONFORMITY = "nonconformity", "Khắc phục sự không phù hợp"
    OBJECTIVE = "objective", "Kế hoạch thực hiện mục tiêu chất lượng"
    REVIEW = "review", "Quyết định của xem xét lãnh đạo"
    RISK = "risk", "Xử lý rủi ro, cơ hội"
    OTHER = "other", "Khác"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Đã hoàn thành"
    CANCELLED = "cancelled", "Đã huỷ"


OPEN_ACTION_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
CLOSED_ACTION_STATUSES = (ActionStatus.DONE, ActionStatus.CANCELLED)


class Effectiveness(models.TextChoices):
    EFFECTIVE = "effective", "Có hiệu lực"
    NOT_EFFECTIVE = "not_effective", "Chưa có hiệu lực"


class QualityAction(models.Model):
    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="quality_actions",
    )
    source = models.CharField(
        "nguồn", max_length=20, choices=ActionSource.choices, default=ActionSource.NONCONFORMITY
    )
    nonconformity = models.ForeignKey(
        "content_types.Nonconformity",
        verbose_name="sự không phù hợp",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="actions",
    )
    # The yearly page a risk treatment or a review decision came from, and the uid of its row
    # there: approving the page again updates the same action instead of adding a second one.
    origin_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="hồ sơ nguồn",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin_key = models.UUIDField("mã dòng nguồn", null=True, blank=True, editable=False)
    # An objective's implementation plan (source "objective"): the objective it serves.
    objective = models.ForeignKey(
        "content_types.QualityObjective",
        verbose_name="mục tiêu chất lượng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    title = models.CharField("hành động", max_length=255)
    description = models.TextField("cách thực hiện", blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        on_delete=models.PROTECT,
        related_name="quality_actions",
    )
    due_date = models.DateField("hạn hoàn thành")
    status = models.CharField(
        "tình trạng", max_length=20, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    result = models.TextField("kết quả thực hiện", blank=True)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    effectiveness = models.CharField(
        "hiệu lực", max_length=20, choices=Effectiveness.choices, blank=True, default=""
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người lập",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "hành động"
        verbose_name_plural = "hành động"
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.title


class ReminderLog(models.Model):
    """One reminder sent: the daily job never sends the same reminder twice on one day."""

    key = models.CharField(max_length=120)
    sent_on = models.DateField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "nhắc việc đã gửi"
        verbose_name_plural = "nhắc việc đã gửi"
        constraints = [
            models.UniqueConstraint(fields=["key", "sent_on"], name="unique_reminder_per_day"),
        ]
