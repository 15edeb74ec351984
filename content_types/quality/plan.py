"""The audit plan of one round (kế hoạch đánh giá), a page under its programme."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from .clauses import validate_clause_list
from .forms import AuditPlanForm


class AuditPlanPage(Page):
    round_name = models.CharField("đợt đánh giá", max_length=120, default="Đợt 1")
    objective = models.TextField("mục đích, phạm vi của đợt", blank=True)
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày")
    team_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="trưởng đoàn đánh giá",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("round_name"),
                FieldPanel("objective"),
                FieldPanel("start_date"),
                FieldPanel("end_date"),
                FieldPanel("team_lead"),
            ],
            heading="Đợt đánh giá",
        ),
        InlinePanel(
            "assignments",
            heading="Lịch đánh giá từng đơn vị",
            label="phân công",
            min_num=1,
        ),
    ]
    base_form_class = AuditPlanForm
    parent_page_types = ["content_types.AuditProgrammePage"]
    subpage_types = ["content_types.AuditReportPage"]

    class Meta:
        verbose_name = "Kế hoạch đánh giá nội bộ"
        verbose_name_plural = "Kế hoạch đánh giá nội bộ"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Ngày kết thúc phải sau hoặc trùng ngày bắt đầu."})

    def serve(self, request, *args, **kwargs):
        # Read in the admin, where the rights on audits are checked.
        return redirect(reverse("iso_quality_plan", args=[self.pk]))


class AuditPlanAssignment(Orderable):
    """One unit audited by one auditor at one time (several auditors: several rows)."""

    page = ParentalKey(AuditPlanPage, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey(
        "content_types.QualityUnit",
        verbose_name="đơn vị được đánh giá",
        on_delete=models.PROTECT,
        related_name="+",
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="đánh giá viên",
        on_delete=models.PROTECT,
        related_name="+",
    )
    clauses = models.CharField(
        "điều khoản", max_length=255, validators=[validate_clause_list], default="4, 5, 6, 7, 8"
    )
    processes = models.CharField("quá trình, quy trình", max_length=255, blank=True)
    auditee_representative = models.CharField("đại diện đơn vị", max_length=120, blank=True)
    audit_date = models.DateField("ngày đánh giá")
    time_slot = models.CharField(
        "thời gian", max_length=40, blank=True, help_text="Ví dụ 8h00–10h00."
    )

    panels = [
        FieldPanel("unit"),
        FieldPanel("auditor"),
        FieldPanel("clauses"),
        FieldPanel("processes"),
        FieldPanel("auditee_representative"),
        FieldPanel("audit_date"),
        FieldPanel("time_slot"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "phân công đánh giá"
        verbose_name_plural = "phân công đánh giá"
