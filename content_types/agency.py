"""An agency (cơ quan, đơn vị) and the records that tie it to its staff groups."""

from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models

from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.models import Collection, Page
from wagtail.search import index

from simple_history.models import HistoricalRecords

from .forms import AgencyPageForm
from .text import normalise_agency_code


class AgencyLevel(models.TextChoices):
    # Since 1 July 2025 local government has two levels: province and commune.
    PROVINCIAL = "provincial", "Sở, ban, ngành, cơ quan cấp tỉnh"
    COMMUNE = "commune", "Xã, phường, đặc khu"
    OTHER = "other", "Khác (ví dụ Trung tâm Phục vụ hành chính công)"


class AgencyRole(models.TextChoices):
    EDITORS = "editors", "Biên tập viên"
    REVIEWERS = "reviewers", "Kiểm tra"
    APPROVERS = "approvers", "Lãnh đạo phê duyệt"
    ADMINISTRATORS = "administrators", "Quản trị cơ quan"


agency_code_validator = RegexValidator(
    # Lower case is accepted on input and stored upper-cased (see normalise_agency_code).
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$",
    "Mã cơ quan chỉ gồm chữ in hoa không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới "
    "(tối đa 32 ký tự), ví dụ STP hoặc UBND-PHG.",
)


class AgencyPage(Page):
    short_name = models.CharField(
        "tên viết tắt",
        max_length=60,
        help_text="Tên ngắn dùng trong danh sách và tên nhóm người dùng, ví dụ Sở Tư pháp.",
    )
    agency_code = models.CharField(
        "mã cơ quan",
        max_length=32,
        unique=True,
        validators=[agency_code_validator],
        error_messages={"unique": "Mã cơ quan này đã được dùng cho một cơ quan khác."},
        help_text="Mã duy nhất trong tỉnh, ví dụ STP. Dùng trong mã tài liệu và báo cáo.",
    )
    level = models.CharField(
        "cấp",
        max_length=20,
        choices=AgencyLevel.choices,
        default=AgencyLevel.PROVINCIAL,
    )
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    phone = models.CharField("điện thoại", max_length=40, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="biểu trưng",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The agency's document collection; set when the agency is provisioned.
    collection = models.ForeignKey(
        Collection,
        verbose_name="thư mục tài liệu",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("short_name"), FieldPanel("agency_code"), FieldPanel("level")],
            heading="Nhận diện",
        ),
        MultiFieldPanel(
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email"), FieldPanel("logo")],
            heading="Liên hệ",
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("short_name"),
        index.SearchField("agency_code"),
        index.FilterField("level"),
    ]

    parent_page_types = ["content_types.PortalHomePage"]
    subpage_types = [
        "content_types.ProcedureIndexPage",
        "content_types.FormIndexPage",
        "content_types.QualitySystemPage",
    ]

    template = "themes/agency_page.html"
    base_form_class = AgencyPageForm

    class Meta:
        verbose_name = "Cơ quan, đơn vị"
        verbose_name_plural = "Cơ quan, đơn vị"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public()
        return context

    def full_clean(self, *args, **kwargs) -> None:
        # Normalise before field validation and the uniqueness check: " stp " is "STP".
        self.agency_code = normalise_agency_code(self.agency_code)
        self.short_name = (self.short_name or "").strip()
        super().full_clean(*args, **kwargs)

    def role_group(self, role: str) -> Group | None:
        link = self.role_groups.filter(role=role).select_related("group").first()
        return link.group if link else None


class AgencyGroup(models.Model):
    """Which Django group plays which role for which agency.

    Kept as its own row (not derived from group names) so a rename or a move of the agency never
    loses the link, and audited with django-simple-history.
    """

    agency = models.ForeignKey(
        AgencyPage,
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="role_groups",
    )
    role = models.CharField("vai trò", max_length=20, choices=AgencyRole.choices)
    group = models.OneToOneField(
        Group,
        verbose_name="nhóm người dùng",
        on_delete=models.CASCADE,
        related_name="agency_role",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "nhóm vai trò của cơ quan"
        verbose_name_plural = "nhóm vai trò của cơ quan"
        constraints = [
            models.UniqueConstraint(fields=["agency", "role"], name="unique_agency_role"),
        ]

    def __str__(self) -> str:
        return f"{self.agency.short_name} — {self.get_role_display()}"
