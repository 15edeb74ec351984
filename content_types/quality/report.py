"""The audit report (báo cáo đánh giá nội bộ): generated from the records, edited, approved."""

from django.db import models
from django.shortcuts import redirect
from django.urls import reverse

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Page


class AuditReportPage(Page):
    number = models.CharField("số", max_length=40, blank=True, help_text="Ví dụ 05/BC-STP.")
    report_date = models.DateField("ngày báo cáo")
    place = models.CharField("địa danh", max_length=80, blank=True, default="Quảng Ninh")
    summary = models.TextField("tóm tắt đợt đánh giá", blank=True)
    # Counts by clause and by unit, computed from the records when the report was generated:
    # {"by_clause": [[clause, {result: n}]], "by_unit": [[unit, {result: n}]], "totals": {...}}.
    statistics = models.JSONField("thống kê", default=dict, blank=True, editable=False)
    findings = models.TextField("các phát hiện", blank=True)
    strong_points = models.TextField("điểm mạnh", blank=True)
    conclusion = models.TextField("kết luận", blank=True)
    recipients = models.TextField(
        "nơi nhận",
        blank=True,
        default="- Lãnh đạo cơ quan;\n- Các đơn vị được đánh giá;\n- Lưu: VT.",
    )
    signer_title = models.CharField(
        "chức danh người ký", max_length=120, default="TRƯỞNG ĐOÀN ĐÁNH GIÁ"
    )
    signer_name = models.CharField("người ký", max_length=120, blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("number"), FieldPanel("report_date"), FieldPanel("place")],
            heading="Số, ngày",
        ),
        FieldPanel("summary"),
        FieldPanel("findings"),
        FieldPanel("strong_points"),
        FieldPanel("conclusion"),
        MultiFieldPanel(
            [FieldPanel("recipients"), FieldPanel("signer_title"), FieldPanel("signer_name")],
            heading="Nơi nhận, chữ ký",
        ),
    ]
    parent_page_types = ["content_types.AuditPlanPage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = "Báo cáo đánh giá nội bộ"
        verbose_name_plural = "Báo cáo đánh giá nội bộ"

    def serve(self, request, *args, **kwargs):
        return redirect(reverse("iso_quality_report", args=[self.pk]))
