"""The risks and opportunities register (sổ đăng ký rủi ro, cơ hội), ISO 9001:2015 clause 6.1.

One page per agency and year under its private QualitySystemPage, approved by leadership through
the agency workflow; its risks are inline rows, versioned with the page. Treatments become the
agency's QualityActions (source «risk») when the register is approved (workflows.quality.risks).
Likelihood and impact are rated on the agency's scale (AgencyRiskScale); level = product.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from simple_history.models import HistoricalRecords

from .forms import RiskRegisterForm

DEFAULT_LABELS = {
    3: (["Thấp", "Trung bình", "Cao"], ["Nhỏ", "Trung bình", "Lớn"]),
    4: (
        ["Hiếm khi", "Có thể xảy ra", "Thường xảy ra", "Gần như chắc chắn"],
        ["Nhỏ", "Trung bình", "Lớn", "Nghiêm trọng"],
    ),
    5: (
        ["Rất hiếm", "Ít khả năng", "Có thể xảy ra", "Nhiều khả năng", "Gần như chắc chắn"],
        ["Không đáng kể", "Nhỏ", "Trung bình", "Lớn", "Nghiêm trọng"],
    ),
}
# (medium from, high from) of the product likelihood × impact, per scale size.
DEFAULT_BANDS = {3: (3, 6), 4: (4, 9), 5: (5, 12)}
BAND_LABELS = {"low": "Thấp", "medium": "Trung bình", "high": "Cao"}


@dataclass(frozen=True)
class RiskScale:
    size: int
    likelihood_labels: tuple[str, ...]
    impact_labels: tuple[str, ...]
    medium_from: int
    high_from: int

    def band(self, score: int) -> str:
        if score >= self.high_from:
            return "high"
        return "medium" if score >= self.medium_from else "low"

    def level(self, likelihood: int | None, impact: int | None) -> RiskLevel | None:
        if not likelihood or not impact:
            return None
        score = likelihood * impact
        band = self.band(score)
        return RiskLevel(score=score, band=band, label=BAND_LABELS[band])

    def out_of_scale(self, value: int | None) -> bool:
        return value is not None and not 1 <= value <= self.size

    def choices_text(self, labels: tuple[str, ...]) -> str:
        return "; ".join(f"{n} – {label}" for n, label in enumerate(labels, start=1))


@dataclass(frozen=True)
class RiskLevel:
    score: int
    band: str  # low / medium / high: the colour's class; the label says it in words too
    label: str

    def __str__(self) -> str:
        return f"{self.score} – {self.label}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class AgencyRiskScale(models.Model):
    """An agency's rating scale of risks, shared by all its registers (one row per agency; none:
    the default 5-level scale). Set by the agency's administrators or the province's; every
    change is kept with who and when (django-simple-history). Shrinking the scale below a level
    a register uses is refused (workflows.quality.risk_scale), so no register loses its rating."""

    agency = models.OneToOneField(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="risk_scale",
    )
    scale_size = models.PositiveSmallIntegerField(
        "số mức của thang đo",
        choices=[(3, "3 mức"), (4, "4 mức"), (5, "5 mức")],
        default=5,
    )
    likelihood_labels = models.TextField(
        "tên các mức khả năng xảy ra",
        blank=True,
        help_text="Mỗi dòng một mức, từ thấp đến cao; để trống dùng tên mặc định.",
    )
    impact_labels = models.TextField(
        "tên các mức ảnh hưởng",
        blank=True,
        help_text="Mỗi dòng một mức, từ thấp đến cao; để trống dùng tên mặc định.",
    )
    medium_from = models.PositiveSmallIntegerField(
        "mức trung bình từ điểm",
        null=True,
        blank=True,
        help_text="Điểm = khả năng × ảnh hưởng; để trống dùng mặc định của thang đo.",
    )
    high_from = models.PositiveSmallIntegerField(
        "mức cao từ điểm",
        null=True,
        blank=True,
        help_text="Để trống dùng mặc định của thang đo.",
    )
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người cập nhật",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "thang đo rủi ro của cơ quan"
        verbose_name_plural = "thang đo rủi ro của cơ quan"

    def __str__(self) -> str:
        return f"Thang đo rủi ro {self.scale_size} mức"

    def clean(self):
        size = self.scale_size or 5
        errors = {}
        for name in ("likelihood_labels", "impact_labels"):
            count = len(_lines(getattr(self, name)))
            if count and count != size:
                errors[name] = (
                    f"Thang đo có {size} mức nên cần đúng {size} dòng, mỗi dòng tên một mức "
                    f"(đang có {count})."
                )
        medium, high = self.scale_bands()
        top = size * size
        for name, value in (("medium_from", self.medium_from), ("high_from", self.high_from)):
            if value is not None and not 1 < value <= top:
                errors[name] = f"Với thang đo {size} mức, điểm phải từ 2 đến {top}."
        if "medium_from" not in errors and "high_from" not in errors and medium >= high:
            errors["high_from"] = (
                f"Điểm bắt đầu mức cao ({high}) phải lớn hơn điểm bắt đầu mức trung bình "
                f"({medium})."
            )
        if errors:
            raise ValidationError(errors)

    def scale_bands(self) -> tuple[int, int]:
        medium, high = DEFAULT_BANDS[self.scale_size or 5]
        return self.medium_from or medium, self.high_from or high

    def scale(self) -> RiskScale:
        size = self.scale_size or 5
        likelihood, impact = DEFAULT_LABELS[size]
        medium, high = self.scale_bands()
        return RiskScale(
            size=size,
            likelihood_labels=tuple(_lines(self.likelihood_labels) or likelihood),
            impact_labels=tuple(_lines(self.impact_labels) or impact),
            medium_from=medium,
            high_from=high,
        )


def risk_scale_for(page: Page | None) -> RiskScale:
    """The scale of the agency `page` belongs to (the default 5-level scale without one)."""
    from .rules import agency_of

    agency = agency_of(page) if page is not None and getattr(page, "path", None) else None
    row = AgencyRiskScale.objects.filter(agency=agency).first() if agency is not None else None
    return (row or AgencyRiskScale(scale_size=5)).scale()


class RiskKind(models.TextChoices):
    RISK = "risk", "Rủi ro"
    OPPORTUNITY = "opportunity", "Cơ hội"


def _rating(label: str, **kwargs):
    # The site's scale (3, 4 or 5) is checked by the page's form; 5 is the largest allowed.
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)], **kwargs
    )


class RiskRegisterPage(Page):
    year = models.PositiveSmallIntegerField(
        "năm", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    scope = models.TextField(
        "phạm vi, căn cứ",
        blank=True,
        default="Các quá trình trong phạm vi HTQLCL theo TCVN ISO 9001:2015 (điều 6.1).",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("year"), FieldPanel("scope")], heading="Sổ đăng ký"),
        InlinePanel("risks", heading="Rủi ro, cơ hội", label="rủi ro, cơ hội"),
    ]
    base_form_class = RiskRegisterForm
    parent_page_types = ["content_types.QualitySystemPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Sổ đăng ký rủi ro, cơ hội"
        verbose_name_plural = "Sổ đăng ký rủi ro, cơ hội"

    def serve(self, request, *args, **kwargs):
        return redirect(reverse("iso_quality_risks", args=[self.pk]))


class RiskRegisterItem(Orderable):
    page = ParentalKey(RiskRegisterPage, on_delete=models.CASCADE, related_name="risks")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    process = models.CharField("quá trình, đơn vị", max_length=200)
    kind = models.CharField("loại", max_length=16, choices=RiskKind.choices, default=RiskKind.RISK)
    description = models.TextField("mô tả")
    causes = models.TextField("nguyên nhân", blank=True)
    likelihood = _rating("khả năng xảy ra")
    impact = _rating("mức ảnh hưởng")
    treatment = models.CharField("biện pháp xử lý", max_length=255, blank=True)
    treatment_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    treatment_due = models.DateField("hạn xử lý", null=True, blank=True)
    residual_likelihood = _rating("khả năng sau xử lý", null=True, blank=True)
    residual_impact = _rating("ảnh hưởng sau xử lý", null=True, blank=True)
    next_review = models.DateField("ngày xem xét lại", null=True, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("process"), FieldPanel("kind")]),
        FieldPanel("description"),
        FieldPanel("causes"),
        FieldRowPanel([FieldPanel("likelihood"), FieldPanel("impact")]),
        FieldPanel("treatment"),
        FieldRowPanel([FieldPanel("treatment_owner"), FieldPanel("treatment_due")]),
        FieldRowPanel([FieldPanel("residual_likelihood"), FieldPanel("residual_impact")]),
        FieldPanel("next_review"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "rủi ro, cơ hội"
        verbose_name_plural = "rủi ro, cơ hội"

    def __str__(self) -> str:
        return f"{self.process}: {self.description[:60]}"
