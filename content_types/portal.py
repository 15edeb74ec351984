"""The province portal: the root of one installation's public site."""

from itertools import groupby

from django.db import models
from django.db.models import Case, When

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .agency import AgencyLevel, AgencyPage


class PortalHomePage(Page):
    province_name = models.CharField(
        "tên tỉnh, thành phố",
        max_length=120,
        help_text="Ví dụ: tỉnh Quảng Ninh. Hiện trong tiêu đề cổng.",
    )
    intro = RichTextField(
        "lời giới thiệu",
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="Đoạn giới thiệu ngắn hiện trên trang chủ cổng.",
    )

    content_panels = [*Page.content_panels, FieldPanel("province_name"), FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["content_types.AgencyPage"]
    max_count = 1

    template = "themes/portal_home_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from .public import common_procedures

        # Levels in the order of AgencyLevel (departments first), not alphabetically.
        level_order = Case(*(When(level=v, then=i) for i, v in enumerate(AgencyLevel.values)))
        agencies = list(
            AgencyPage.objects.child_of(self).live().public().order_by(level_order, "title")
        )
        context["agencies_by_level"] = [
            (level, list(group)) for level, group in groupby(agencies, AgencyPage.get_level_display)
        ]
        context["common_procedures"] = common_procedures()
        return context

    class Meta:
        verbose_name = "Trang chủ cổng ISO tỉnh"
        verbose_name_plural = "Trang chủ cổng ISO tỉnh"
