"""The yearly QMS maintenance plan (kế hoạch duy trì HTQLCL): activities due by month, each done
when the record that fulfils it is approved."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from .forms import MaintenancePlanForm


class PlanItemKind(models.TextChoices):
    DOCUMENTS = "documents", "Cập nhật tài liệu HTQLCL"
    TRAINING = "training", "Đào tạo, tập huấn"
    INTERNAL_AUDIT = "internal_audit", "Đánh giá nội bộ"
    MANAGEMENT_REVIEW = "management_review", "Xem xét của lãnh đạo"
    OBJECTIVES = "objectives", "Đo lường, đánh giá mục tiêu chất lượng"
    REPORT = "report", "Báo cáo Sở Khoa học và Công nghệ"
    OTHER = "other", "Khác"


class MaintenancePlanPage(Page):
    year = models.PositiveSmallIntegerField(
        "năm", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    introduction = models.TextField("căn cứ, mục đích", blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("year"), FieldPanel("introduction")], heading="Kế hoạch"),
        InlinePanel("items", heading="Các hoạt động", label="hoạt động", min_num=1),
    ]
    base_form_class = MaintenancePlanForm
    parent_page_types = ["content_types.QualitySystemPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Kế hoạch duy trì HTQLCL"
        verbose_name_plural = "Kế hoạch duy trì HTQLCL"

    def serve(self, request, *args, **kwargs):
        return redirect(reverse("iso_maintenance_plan", args=[self.pk]))


class MaintenancePlanItem(Orderable):
    page = ParentalKey(MaintenancePlanPage, on_delete=models.CASCADE, related_name="items")
    activity = models.CharField("hoạt động", max_length=500)
    kind = models.CharField("loại", max_length=20, choices=PlanItemKind.choices)
    clause = models.CharField("điều khoản", max_length=20, blank=True, help_text="Ví dụ: 9.2")
    unit = models.ForeignKey(
        "content_types.QualityUnit",
        verbose_name="đơn vị thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_month = models.PositiveSmallIntegerField(
        "tháng hoàn thành", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    record = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="hồ sơ chứng minh",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Trang (tài liệu, báo cáo, biên bản…) mà khi được phê duyệt thì hoạt động "
        "hoàn thành. Đánh giá nội bộ và đo lường mục tiêu được nhận biết tự động.",
    )

    panels = [
        FieldPanel("activity"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("clause"), FieldPanel("due_month")]),
        FieldPanel("unit"),
        FieldPanel("record"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "hoạt động"
        verbose_name_plural = "hoạt động"

    def __str__(self) -> str:
        return self.activity
