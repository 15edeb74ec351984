"""Administrative procedures (thủ tục hành chính), shaped like the national procedure record."""

from django.db import models

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


class ProcedurePage(Page):
    national_code = models.CharField(
        "mã thủ tục",
        max_length=64,
        help_text="Mã trên Cơ sở dữ liệu quốc gia về thủ tục hành chính, ví dụ 1.001234.",
    )
    steps = RichTextField("trình tự thực hiện", blank=True, features=_TEXT_FEATURES)
    result = models.TextField("kết quả thực hiện", blank=True)
    legal_basis = RichTextField("căn cứ pháp lý", blank=True, features=_TEXT_FEATURES)

    content_panels = [
        *Page.content_panels,
        FieldPanel("national_code"),
        FieldPanel("steps"),
        FieldPanel("result"),
        FieldPanel("legal_basis"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("national_code")]
    parent_page_types = ["content_types.ProcedureIndexPage"]
    subpage_types: list[str] = []
    template = "themes/procedure_page.html"

    class Meta:
        verbose_name = "Thủ tục hành chính"
        verbose_name_plural = "Thủ tục hành chính"
