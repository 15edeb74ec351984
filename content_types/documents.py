"""Controlled documents (tài liệu HTQLCL) and forms (biểu mẫu): DESIGN §5–§6.

A document's versions are its published revisions. Each issued version is recorded by `workflows`
(workflows.models.DocumentVersion: issue number, approver, approval time, effective from); the
page holds only what the editor writes. The effective date is Wagtail's go-live date.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404

from wagtail.admin.panels import CommentPanel, FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .forms import ControlledDocumentForm, ControlledItemForm
from .panels import VersionInfoPanel
from .text import code_search_terms
from .versions import version_current, version_periods, version_withdrawn

_BODY_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "hr", "document-link"]


REVIEW_INTERVAL_RANGE = "Chu kỳ rà soát phải từ 1 đến 60 tháng."


class ControlledVersionFields(models.Model):
    """Identity and version record shared by every controlled item (ISO 9001 clause 7.5)."""

    code = models.CharField(
        "mã hiệu",
        max_length=64,
        help_text="Mã hiệu tài liệu trong cơ quan, ví dụ BM.01-QT.05 hoặc QT.05.",
    )
    change_summary = models.TextField(
        "tóm tắt thay đổi",
        blank=True,
        help_text="Lý do và nội dung sửa đổi của lần ban hành này.",
    )
    # Periodic review (clause 7.5.2): due this many months after the version took effect or
    # the last «Đã rà soát, không thay đổi» (content_types.workspace.DocumentReview).
    review_interval_months = models.PositiveSmallIntegerField(
        "chu kỳ rà soát (tháng)",
        default=12,
        blank=True,
        validators=[
            MinValueValidator(1, message=REVIEW_INTERVAL_RANGE),
            MaxValueValidator(60, message=REVIEW_INTERVAL_RANGE),
        ],
        help_text="Bao lâu rà soát tài liệu một lần; để trống là 12 tháng.",
    )

    def get_context(self, request, *args, **kwargs):
        """The version in force now, decided by time (see content_types.versions).

        Between a version's effective time and the minute the scheduled-publishing job runs, the
        page row still holds the previous revision: the current version's own revision is shown.
        """
        context = super().get_context(request, *args, **kwargs)
        version = version_current(self.pk)
        if version is None and version_withdrawn(self.pk) is not None:
            # Withdrawn (bãi bỏ) from this moment: gone from the public site even before the
            # scheduled-unpublishing job takes the page down.
            raise Http404
        document = self
        if version is not None and version.revision_id != self.live_revision_id:
            document = version.revision.as_object()
        context.update(version=version, document=document, periods=version_periods(self.pk))
        return context

    def search_code_terms(self) -> str:
        """Every spelling of the code a search may use (see text.code_search_terms)."""
        return code_search_terms(self.code)

    version_panels = [
        MultiFieldPanel(
            [
                VersionInfoPanel(),
                FieldPanel("code"),
                FieldPanel("effective_at"),  # a form field kept in step with go_live_at
                FieldPanel("change_summary"),
                FieldPanel("review_interval_months"),
            ],
            heading="Kiểm soát tài liệu",
        ),
    ]
    # The effective date is written with the version (above), not in Wagtail's publishing
    # schedule; an expiry is a withdrawal and goes through approval (workflows.withdrawal).
    settings_panels = [CommentPanel()]

    class Meta:
        abstract = True


class DocumentKind(models.TextChoices):
    POLICY = "policy", "Chính sách chất lượng"
    CONTEXT = "context", "Bối cảnh tổ chức"
    OBJECTIVES = "objectives", "Mục tiêu chất lượng"
    MANUAL = "manual", "Sổ tay chất lượng"
    MAINTENANCE_PLAN = "maintenance_plan", "Kế hoạch duy trì HTQLCL"
    ANNOUNCEMENT = "announcement", "Quyết định công bố HTQLCL"
    INTERNAL_PROCESS = "internal_process", "Quy trình nội bộ"
    OTHER = "other", "Tài liệu khác"


class ControlledDocumentPage(ControlledVersionFields, Page):
    kind = models.CharField("loại tài liệu", max_length=32, choices=DocumentKind.choices)
    body = RichTextField("nội dung", blank=True, features=_BODY_FEATURES)
    attachment = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="tệp đính kèm",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        *ControlledVersionFields.version_panels,
        FieldPanel("body"),
        FieldPanel("attachment"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("code", boost=3),
        index.SearchField("search_code_terms", boost=3),
        index.SearchField("body"),
        index.FilterField("kind"),
    ]
    base_form_class = ControlledDocumentForm
    parent_page_types = ["content_types.QualitySystemPage"]
    subpage_types: list[str] = []
    template = "themes/controlled_document_page.html"

    class Meta:
        verbose_name = "Tài liệu hệ thống quản lý chất lượng"
        verbose_name_plural = "Tài liệu hệ thống quản lý chất lượng"


class FormAudience(models.TextChoices):
    CITIZENS = "citizens", "Người dân, tổ chức (hiện trên cổng)"
    INTERNAL = "internal", "Nội bộ cơ quan (không hiện trên cổng)"


class FormDocumentPage(ControlledVersionFields, Page):
    # Internal forms (e.g. «Phiếu kiểm soát quá trình») stay off the public site, search and
    # API: publishing one gives it the agency's private view restriction (workflows.audience).
    audience = models.CharField(
        "đối tượng sử dụng",
        max_length=16,
        choices=FormAudience.choices,
        default=FormAudience.CITIZENS,
    )
    file = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name="tệp biểu mẫu",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Tệp PDF, Word, Excel hoặc OpenDocument trong thư mục tài liệu của cơ quan.",
    )
    # Forms prescribed by law without a code get one generated (content_types.form_codes).
    generates_code = True
    legal_basis = models.CharField(
        "văn bản quy định mẫu",
        max_length=255,
        blank=True,
        help_text="Ví dụ: Mẫu CT01 ban hành kèm theo Thông tư 53/2025/TT-BCA.",
    )
    # The fields (lĩnh vực) of the live procedures using this form, as ids: "3,7". Kept by
    # content_types.procedures.form_fields_refresh whenever a procedure changes, so search
    # counts forms by field from the rows of its one pass. Not content: never restored from a
    # revision, never copied.
    procedure_fields = models.CharField(max_length=255, blank=True, default="", editable=False)

    content_panels = [
        *Page.content_panels,
        *ControlledVersionFields.version_panels,
        FieldPanel("file"),
        FieldPanel("legal_basis"),
        FieldPanel("audience"),
    ]
    exclude_fields_in_copy = ["procedure_fields"]
    search_fields = [
        *Page.search_fields,
        index.SearchField("code", boost=3),
        index.SearchField("search_code_terms", boost=3),
        index.SearchField("legal_basis"),
    ]
    base_form_class = ControlledItemForm
    parent_page_types = ["content_types.FormIndexPage"]

    def with_content_json(self, content):
        """A revision being published or previewed keeps the live row's procedure fields: they
        follow the procedures, not this form's editing."""
        page = super().with_content_json(content)
        page.procedure_fields = self.procedure_fields
        return page

    def get_context(self, request, *args, **kwargs):
        from .procedures import ProcedurePage
        from .public_generation import public_spans_mark

        context = super().get_context(request, *args, **kwargs)
        # Every agency's procedures using the form: the page spans agencies (themes.cache).
        public_spans_mark(request)
        context["procedures"] = (
            ProcedurePage.objects.live()
            .public()
            .filter(forms_used__form_page=self)
            .distinct()
            .order_by("title")
        )
        return context

    subpage_types: list[str] = []
    template = "themes/form_document_page.html"

    class Meta:
        verbose_name = "Biểu mẫu"
        verbose_name_plural = "Biểu mẫu"
