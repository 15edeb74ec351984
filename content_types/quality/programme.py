"""The yearly internal audit programme (chương trình đánh giá nội bộ), approved by leadership."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from .clauses import DEFAULT_CLAUSES, clause_list_parse, validate_clause_list
from .forms import AuditProgrammeForm


class AuditProgrammePage(Page):
    year = models.PositiveSmallIntegerField(
        "năm", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    purpose = models.TextField("mục đích", blank=True)
    scope_units = ParentalManyToManyField(
        "content_types.QualityUnit", verbose_name="đơn vị được đánh giá", blank=True
    )
    scope_processes = models.TextField(
        "quá trình, quy trình được đánh giá",
        blank=True,
        help_text="Mỗi dòng một quá trình hoặc quy trình nội bộ.",
    )
    clauses = models.CharField(
        "điều khoản TCVN ISO 9001:2015",
        max_length=255,
        default=DEFAULT_CLAUSES,
        validators=[validate_clause_list],
        help_text="Các điều khoản từ 4 đến 10, cách nhau bởi dấu phẩy, ví dụ: 4, 5, 7.5, 8.5.",
    )
    criteria = models.TextField(
        "chuẩn mực đánh giá",
        blank=True,
        default="TCVN ISO 9001:2015; tài liệu HTQLCL của cơ quan; quy định pháp luật liên quan.",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("year"), FieldPanel("purpose"), FieldPanel("criteria")],
            heading="Chương trình",
        ),
        MultiFieldPanel(
            [FieldPanel("scope_units"), FieldPanel("scope_processes"), FieldPanel("clauses")],
            heading="Phạm vi",
        ),
        InlinePanel("rounds", heading="Các đợt đánh giá", label="đợt đánh giá", min_num=1),
    ]
    base_form_class = AuditProgrammeForm
    parent_page_types = ["content_types.QualitySystemPage"]
    subpage_types = ["content_types.AuditPlanPage"]

    class Meta:
        verbose_name = "Chương trình đánh giá nội bộ"
        verbose_name_plural = "Chương trình đánh giá nội bộ"

    def serve(self, request, *args, **kwargs):
        # Read in the admin, where the rights on audits are checked.
        return redirect(reverse("iso_quality_programme", args=[self.pk]))

    def clause_codes(self) -> list[str]:
        return clause_list_parse(self.clauses or "")


class AuditProgrammeRound(Orderable):
    page = ParentalKey(AuditProgrammePage, on_delete=models.CASCADE, related_name="rounds")
    name = models.CharField("tên đợt", max_length=120, default="Đợt 1")
    planned_month = models.PositiveSmallIntegerField(
        "tháng dự kiến", validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    scope = models.CharField("phạm vi của đợt", max_length=255, blank=True)

    panels = [FieldPanel("name"), FieldPanel("planned_month"), FieldPanel("scope")]

    class Meta(Orderable.Meta):
        verbose_name = "đợt đánh giá"
        verbose_name_plural = "đợt đánh giá"
