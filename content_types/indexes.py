"""The three sections every agency has (DESIGN §5), created automatically with the agency."""

from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

_INTRO_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class AgencySectionPage(Page):
    intro = RichTextField("lời giới thiệu", blank=True, features=_INTRO_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content_types.AgencyPage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True


class ProcedureIndexPage(AgencySectionPage):
    subpage_types = ["content_types.ProcedurePage"]
    template = "themes/procedure_index_page.html"

    class Meta:
        verbose_name = "Danh mục thủ tục hành chính"
        verbose_name_plural = "Danh mục thủ tục hành chính"


class FormIndexPage(AgencySectionPage):
    subpage_types = ["content_types.FormDocumentPage"]
    template = "themes/form_index_page.html"

    class Meta:
        verbose_name = "Danh mục biểu mẫu"
        verbose_name_plural = "Danh mục biểu mẫu"


class QualitySystemPage(AgencySectionPage):
    """Private to the agency's staff, internal auditors and province administrators."""

    subpage_types = ["content_types.ControlledDocumentPage"]
    template = "themes/quality_system_page.html"

    class Meta:
        verbose_name = "Hệ thống quản lý chất lượng"
        verbose_name_plural = "Hệ thống quản lý chất lượng"
