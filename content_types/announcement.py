"""The QMS announcement decision (quyết định công bố HTQLCL) and the yearly report to Sở KH&CN.

Both are *pages* under the agency's private QualitySystemPage (see content_types.quality): each
is approved as a whole by leadership through the agency's workflow and keeps its revisions and
history. The announcement, although in the private section, is published to citizens on the
agency's portal (its version in force, with its signed file) like the quality policy. Each
decision is its own page: a re-announcement is a new decision with a new number.

A yearly report's *submission* to the province (nộp) is a plain model row: it is an event, not
content — which approved revision was sent, by whom, when — and the province reads the rows.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse

from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

STANDARD_VERSION = "TCVN ISO 9001:2015"


class AnnouncementForm(WagtailAdminPageForm):
    """The scope is chosen among the agency's live procedures only."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        from .agency import AgencyPage
        from .procedures import ProcedurePage

        anchor = parent_page or (self.instance.get_parent() if self.instance.pk else None)
        agency = AgencyPage.objects.ancestor_of(anchor).first() if anchor else None
        field = self.fields.get("procedures")
        if field is not None:
            field.queryset = (
                ProcedurePage.objects.descendant_of(agency).live().order_by("title")
                if agency
                else ProcedurePage.objects.none()
            )
            field.error_messages["invalid_choice"] = (
                "Thủ tục %(value)s không thuộc các thủ tục đang công khai của cơ quan."
            )
            field.label_from_instance = lambda p: f"{p.national_code} — {p.title}"

    def clean(self):
        cleaned = super().clean()
        decided, effective = cleaned.get("decision_date"), cleaned.get("effective_date")
        if decided and effective and effective < decided:
            self.add_error("effective_date", "Ngày hiệu lực không được trước ngày ký quyết định.")
        if "procedures" in self.fields and not cleaned.get("procedures"):
            self.add_error("procedures", "Phạm vi áp dụng phải có ít nhất một thủ tục hành chính.")
        return cleaned


class AnnouncementPage(Page):
    number = models.CharField(
        "số quyết định", max_length=60, help_text="Ví dụ 125/QĐ-STP.", default=""
    )
    decision_date = models.DateField("ngày ký", null=True)
    signer_title = models.CharField(
        "chức vụ người ký", max_length=120, default="GIÁM ĐỐC", blank=True
    )
    signer_name = models.CharField("người ký", max_length=120, default="")
    procedures = ParentalManyToManyField(
        "content_types.ProcedurePage",
        verbose_name="thủ tục hành chính thuộc phạm vi",
        blank=True,
        related_name="+",
    )
    internal_activities = models.TextField(
        "hoạt động nội bộ thuộc phạm vi",
        blank=True,
        help_text="Các hoạt động quản lý nội bộ áp dụng HTQLCL, mỗi hoạt động một dòng.",
    )
    standard = models.CharField("tiêu chuẩn áp dụng", max_length=60, default=STANDARD_VERSION)
    effective_date = models.DateField("ngày hiệu lực", null=True)
    signed_file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="tệp quyết định đã ký",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Bản scan PDF của quyết định có chữ ký và dấu.",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("number"),
                FieldPanel("decision_date"),
                FieldPanel("effective_date"),
                FieldPanel("signer_title"),
                FieldPanel("signer_name"),
                FieldPanel("standard"),
            ],
            heading="Số, ngày, người ký",
        ),
        FieldPanel("procedures", widget=forms.CheckboxSelectMultiple),
        FieldPanel("internal_activities"),
        FieldPanel("signed_file"),
    ]
    base_form_class = AnnouncementForm
    parent_page_types = ["content_types.QualitySystemPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Quyết định công bố HTQLCL"
        verbose_name_plural = "Quyết định công bố HTQLCL"

    def activities(self) -> list[str]:
        return [line.strip(" -") for line in self.internal_activities.splitlines() if line.strip()]

    def serve(self, request, *args, **kwargs):
        # Citizens read it on the agency's portal; the page itself sits in the private section.
        from .agency import AgencyPage

        agency = AgencyPage.objects.ancestor_of(self).first()
        return redirect(f"{agency.url}#cong-bo" if agency else "/")


def announcement_in_force(agency, at=None) -> AnnouncementPage | None:
    """The agency's approved decision in force on `at` (today): what its portal shows."""
    from django.utils import timezone

    at = at or timezone.localdate()
    return (
        AnnouncementPage.objects.descendant_of(agency)
        .live()
        .filter(effective_date__lte=at)
        .select_related("signed_file")
        .order_by("-effective_date", "-decision_date", "-pk")
        .first()
    )


class ReportSectionBlock(blocks.StructBlock):
    key = blocks.CharBlock(
        label="mã mục", required=False, help_text="Theo mẫu báo cáo; không cần sửa."
    )
    heading = blocks.CharBlock(label="tiêu đề mục")
    text = blocks.TextBlock(label="nội dung", required=False)

    class Meta:
        icon = "doc-full"
        label = "Mục báo cáo"
        # A collapsed section is named by its heading; by default Wagtail shows the first
        # field, the template's key («internal_audit»).
        label_format = "{heading}"


class YearlyReportPage(Page):
    """Báo cáo tình hình xây dựng, áp dụng, duy trì và cải tiến HTQLCL, for one year."""

    year = models.PositiveSmallIntegerField("năm báo cáo")
    number = models.CharField("số", max_length=40, blank=True, help_text="Ví dụ 12/BC-STP.")
    report_date = models.DateField("ngày báo cáo")
    place = models.CharField("địa danh", max_length=80, blank=True, default="Quảng Ninh")
    form_key = models.CharField("mẫu báo cáo", max_length=40, editable=False, default="")
    sections = StreamField([("section", ReportSectionBlock())], verbose_name="các mục", blank=True)
    # Figures read from the records when the report was generated (or refreshed):
    # {"sections": {key: [[label, value], …]}, "facts": {…}} — see workflows.oversight.
    figures = models.JSONField("số liệu", default=dict, blank=True, editable=False)
    recipients = models.TextField(
        "nơi nhận",
        blank=True,
        default="- Sở Khoa học và Công nghệ;\n- Lãnh đạo cơ quan;\n- Lưu: VT.",
    )
    signer_title = models.CharField(
        "chức danh người ký", max_length=120, default="THỦ TRƯỞNG CƠ QUAN"
    )
    signer_name = models.CharField("người ký", max_length=120, blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("number"), FieldPanel("report_date"), FieldPanel("place")],
            heading="Số, ngày",
        ),
        FieldPanel("sections"),
        MultiFieldPanel(
            [FieldPanel("recipients"), FieldPanel("signer_title"), FieldPanel("signer_name")],
            heading="Nơi nhận, chữ ký",
        ),
    ]
    parent_page_types = ["content_types.QualitySystemPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Báo cáo năm về HTQLCL"
        verbose_name_plural = "Báo cáo năm về HTQLCL"

    def clean(self):
        super().clean()
        if self.report_date and self.year and self.report_date.year < self.year:
            raise ValidationError(
                {"report_date": "Ngày báo cáo không được trước năm được báo cáo."}
            )

    def serve(self, request, *args, **kwargs):
        return redirect(reverse("iso_yearly_report", args=[self.pk]))


class YearlyReportSubmission(models.Model):
    """One «nộp» of an approved yearly report to the province: the revision sent and its
    figures as they stood, so a later revision never changes what was submitted."""

    report = models.ForeignKey(
        YearlyReportPage, on_delete=models.CASCADE, related_name="submissions"
    )
    agency = models.ForeignKey(
        "content_types.AgencyPage", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("năm báo cáo")
    revision = models.ForeignKey(
        "wagtailcore.Revision", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    number = models.CharField("số", max_length=40, blank=True)
    report_date = models.DateField("ngày báo cáo")
    facts = models.JSONField(default=dict)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("nộp lúc")

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["year", "agency"])]
        verbose_name = "Lần nộp báo cáo năm"
        verbose_name_plural = "Các lần nộp báo cáo năm"

    def __str__(self) -> str:
        return f"{self.report.title} ({self.submitted_at:%d/%m/%Y})"
