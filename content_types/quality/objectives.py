"""The year's quality objectives (mục tiêu chất lượng, ISO 9001:2015 clause 6.2), approved by
leadership as a whole, and their measurements per period (clause 9.1)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from simple_history.models import HistoricalRecords

from .forms import QualityObjectivesForm


class Direction(models.TextChoices):
    AT_LEAST = "gte", "≥ (không thấp hơn)"
    AT_MOST = "lte", "≤ (không cao hơn)"
    EQUAL = "eq", "= (bằng)"


DIRECTION_SIGNS = {Direction.AT_LEAST: "≥", Direction.AT_MOST: "≤", Direction.EQUAL: "="}


class Frequency(models.TextChoices):
    MONTH = "month", "Hằng tháng"
    QUARTER = "quarter", "Hằng quý"
    HALF_YEAR = "half", "6 tháng"
    YEAR = "year", "Hằng năm"


# Months per period of each frequency: a year has 12 / months periods.
FREQUENCY_MONTHS = {
    Frequency.MONTH: 1,
    Frequency.QUARTER: 3,
    Frequency.HALF_YEAR: 6,
    Frequency.YEAR: 12,
}


class DataSource(models.TextChoices):
    MANUAL = "manual", "Nhập tay (có bằng chứng)"
    DOSSIER_AGENCY = "dossier_agency", "Tỷ lệ hồ sơ đúng hạn của cơ quan (số liệu một cửa)"
    DOSSIER_PROCEDURE = (
        "dossier_procedure",
        "Tỷ lệ hồ sơ đúng hạn của một thủ tục (số liệu một cửa)",
    )


COMPUTED_SOURCES = (DataSource.DOSSIER_AGENCY, DataSource.DOSSIER_PROCEDURE)


class QualityObjectivesPage(Page):
    year = models.PositiveSmallIntegerField(
        "năm", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    introduction = models.TextField("căn cứ, định hướng", blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("year"), FieldPanel("introduction")], heading="Mục tiêu"),
        InlinePanel("objectives", heading="Các mục tiêu", label="mục tiêu", min_num=1),
    ]
    base_form_class = QualityObjectivesForm
    parent_page_types = ["content_types.QualitySystemPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Mục tiêu chất lượng năm"
        verbose_name_plural = "Mục tiêu chất lượng năm"

    def serve(self, request, *args, **kwargs):
        # Read in the admin, where the rights on quality records are checked.
        return redirect(reverse("iso_objectives", args=[self.pk]))


class QualityObjective(Orderable):
    page = ParentalKey(QualityObjectivesPage, on_delete=models.CASCADE, related_name="objectives")
    statement = models.CharField("mục tiêu", max_length=500)
    indicator = models.CharField(
        "chỉ số đo", max_length=255, help_text="Ví dụ: tỷ lệ hồ sơ giải quyết đúng hạn."
    )
    direction = models.CharField(
        "so sánh", max_length=3, choices=Direction.choices, default=Direction.AT_LEAST
    )
    target_value = models.DecimalField("chỉ tiêu", max_digits=12, decimal_places=2)
    target_unit = models.CharField("đơn vị tính", max_length=40, blank=True, default="%")
    frequency = models.CharField(
        "tần suất đo", max_length=10, choices=Frequency.choices, default=Frequency.QUARTER
    )
    data_source = models.CharField(
        "nguồn số liệu", max_length=20, choices=DataSource.choices, default=DataSource.MANUAL
    )
    procedure_code = models.CharField(
        "mã thủ tục",
        max_length=64,
        blank=True,
        help_text="Chỉ khi nguồn số liệu là một thủ tục, ví dụ 1.001193.",
    )
    unit = models.ForeignKey(
        "content_types.QualityUnit",
        verbose_name="đơn vị chủ trì",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    plan = models.TextField(
        "kế hoạch thực hiện",
        blank=True,
        help_text="Tóm tắt cách thực hiện; các hành động cụ thể (người thực hiện, hạn) được giao "
        "trên trang theo dõi mục tiêu.",
    )

    panels = [
        FieldPanel("statement"),
        FieldPanel("indicator"),
        FieldRowPanel(
            [FieldPanel("direction"), FieldPanel("target_value"), FieldPanel("target_unit")]
        ),
        FieldRowPanel(
            [FieldPanel("frequency"), FieldPanel("data_source"), FieldPanel("procedure_code")]
        ),
        FieldPanel("unit"),
        FieldPanel("plan"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "mục tiêu"
        verbose_name_plural = "mục tiêu"

    def __str__(self) -> str:
        return self.statement

    @property
    def periods_per_year(self) -> int:
        return 12 // FREQUENCY_MONTHS[Frequency(self.frequency)]

    @property
    def is_computed(self) -> bool:
        return self.data_source in COMPUTED_SOURCES

    def target_text(self) -> str:
        value = f"{self.target_value.normalize():f}".replace(".", ",")
        sign = DIRECTION_SIGNS[Direction(self.direction)]
        return f"{sign} {value} {self.target_unit}".strip()

    def is_met(self, value: Decimal) -> bool:
        if self.direction == Direction.AT_LEAST:
            return value >= self.target_value
        if self.direction == Direction.AT_MOST:
            return value <= self.target_value
        return value == self.target_value


def _evidence_path(instance: ObjectiveMeasurement, filename: str) -> str:
    # Under the protected documents root: served only by the view that checks the rights.
    return f"quality/objectives/{instance.agency_id}/{filename}"


class ObjectiveMeasurement(models.Model):
    """One period's measured value of an objective entered by hand, with its evidence."""

    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="objective_measurements",
    )
    objective = models.ForeignKey(
        QualityObjective,
        verbose_name="mục tiêu",
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    period = models.PositiveSmallIntegerField("kỳ")  # 1 … periods_per_year
    value = models.DecimalField("kết quả", max_digits=12, decimal_places=2)
    evidence = models.TextField("bằng chứng", blank=True)
    evidence_file = models.FileField("tệp bằng chứng", upload_to=_evidence_path, blank=True)
    measured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người đo",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    measured_at = models.DateTimeField("thời điểm nhập", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "kết quả đo mục tiêu"
        verbose_name_plural = "kết quả đo mục tiêu"
        ordering = ["objective_id", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "period"], name="unique_objective_measurement"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.objective} — kỳ {self.period}"
