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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Only what a visitor may see: never drafts or private pages.
        context["items"] = self.get_children().live().public().specific()
        return context

    class Meta:
        abstract = True


class ProcedureIndexPage(AgencySectionPage):
    subpage_types = ["content_types.ProcedurePage"]
    template = "themes/procedure_index_page.html"

    def get_context(self, request, *args, **kwargs):
        from .procedures import ProcedurePage

        context = super().get_context(request, *args, **kwargs)
        procedures = (
            ProcedurePage.objects.child_of(self)
            .live()
            .public()
            .select_related("field")
            .order_by("field__name", "title")
        )
        groups: dict[str, list] = {}
        for procedure in procedures:
            name = procedure.field.name if procedure.field else "Lĩnh vực khác"
            groups.setdefault(name, []).append(procedure)
        context["procedures_by_field"] = sorted(groups.items())
        return context

    class Meta:
        verbose_name = "Danh mục thủ tục hành chính"
        verbose_name_plural = "Danh mục thủ tục hành chính"


class FormIndexPage(AgencySectionPage):
    subpage_types = ["content_types.FormDocumentPage"]
    template = "themes/form_index_page.html"

    def get_context(self, request, *args, **kwargs):
        from .documents import FormDocumentPage
        from .public import forms_in_force

        context = super().get_context(request, *args, **kwargs)
        ids = FormDocumentPage.objects.child_of(self).values_list("pk", flat=True)
        # Only forms with a version in force, shown as that version (code, title, file).
        context["forms"] = sorted(
            forms_in_force(list(ids)).values(), key=lambda item: item.version.code
        )
        return context

    class Meta:
        verbose_name = "Danh mục biểu mẫu"
        verbose_name_plural = "Danh mục biểu mẫu"


class QualitySystemPage(AgencySectionPage):
    """Private to the agency's staff, internal auditors and province administrators."""

    subpage_types = [
        "content_types.ControlledDocumentPage",
        "content_types.AuditProgrammePage",
        "content_types.RiskRegisterPage",
        "content_types.ManagementReviewPage",
        "content_types.QualityObjectivesPage",
        "content_types.MaintenancePlanPage",
        "content_types.AnnouncementPage",
        "content_types.YearlyReportPage",
    ]
    template = "themes/quality_system_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The whole section sits behind a view restriction that Wagtail checked before serving
        # this page, so `.public()` (which would hide every child) does not apply here.
        context["items"] = self.get_children().live().specific()
        return context

    class Meta:
        verbose_name = "Hệ thống quản lý chất lượng"
        verbose_name_plural = "Hệ thống quản lý chất lượng"
