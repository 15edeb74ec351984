"""The management review (xem xét của lãnh đạo), ISO 9001:2015 clause 9.3.

A page per meeting under the agency's private QualitySystemPage, approved by leadership through
the agency workflow. Its inputs (9.3.2) are inline rows pre-filled from the year's records by
the providers of workflows.quality.review_inputs and then edited; each row keeps the text last
generated so a refill knows whether a person changed it. Its outputs (9.3.3) are decisions that
become the agency's QualityActions (source «review») when the minutes are approved.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse

from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page

from .forms import ManagementReviewForm


class ManagementReviewPage(Page):
    year = models.PositiveSmallIntegerField(
        "năm được xem xét", validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    number = models.CharField("số biên bản", max_length=40, blank=True)
    meeting_date = models.DateField("ngày họp")
    place = models.CharField("địa danh", max_length=80, blank=True, default="Quảng Ninh")
    chair = models.CharField("chủ trì", max_length=160)
    secretary = models.CharField("thư ký", max_length=160, blank=True)
    participants = models.TextField("thành phần tham dự", help_text="Mỗi dòng một người.")
    conclusion = models.TextField("kết luận của chủ trì", blank=True)
    recipients = models.TextField(
        "nơi nhận", blank=True, default="- Lãnh đạo cơ quan;\n- Các đơn vị;\n- Lưu: VT."
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("year"), FieldPanel("number")]),
                FieldRowPanel([FieldPanel("meeting_date"), FieldPanel("place")]),
                FieldRowPanel([FieldPanel("chair"), FieldPanel("secretary")]),
                FieldPanel("participants"),
            ],
            heading="Cuộc họp",
        ),
        InlinePanel(
            "inputs",
            heading="Đầu vào (TCVN ISO 9001:2015, 9.3.2)",
            label="đầu vào",
        ),
        InlinePanel(
            "decisions",
            heading="Đầu ra: các quyết định (9.3.3)",
            label="quyết định",
        ),
        FieldPanel("conclusion"),
        FieldPanel("recipients"),
    ]
    base_form_class = ManagementReviewForm
    parent_page_types = ["content_types.QualitySystemPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "Biên bản xem xét của lãnh đạo"
        verbose_name_plural = "Biên bản xem xét của lãnh đạo"

    def serve(self, request, *args, **kwargs):
        return redirect(reverse("iso_quality_review", args=[self.pk]))


class ManagementReviewInput(Orderable):
    page = ParentalKey(ManagementReviewPage, on_delete=models.CASCADE, related_name="inputs")
    key = models.CharField(max_length=40, blank=True, editable=False)
    clause_ref = models.CharField("điều khoản", max_length=16, blank=True)
    label = models.CharField("nội dung", max_length=200)
    text = models.TextField("thông tin, đánh giá", blank=True)
    # What the records said at the last fill, and its figures: a refill keeps edited text.
    generated = models.TextField(blank=True, editable=False)
    figures = models.JSONField(default=dict, blank=True, editable=False)

    panels = [
        FieldRowPanel([FieldPanel("clause_ref"), FieldPanel("label")]),
        FieldPanel("text"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "đầu vào"
        verbose_name_plural = "đầu vào"

    @property
    def edited(self) -> bool:
        return bool(self.text.strip()) and self.text.strip() != self.generated.strip()


class DecisionKind(models.TextChoices):
    IMPROVEMENT = "improvement", "Cơ hội cải tiến"
    QMS_CHANGE = "qms_change", "Thay đổi HTQLCL"
    RESOURCES = "resources", "Nhu cầu nguồn lực"


class ManagementReviewDecision(Orderable):
    page = ParentalKey(ManagementReviewPage, on_delete=models.CASCADE, related_name="decisions")
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    kind = models.CharField("loại", max_length=16, choices=DecisionKind.choices)
    decision = models.CharField("quyết định, hành động", max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_date = models.DateField("hạn hoàn thành")

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("due_date")]),
        FieldPanel("decision"),
        FieldPanel("owner"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "quyết định"
        verbose_name_plural = "quyết định"
