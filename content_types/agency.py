"""An agency (cơ quan, đơn vị) and the records that tie it to its staff groups."""

from collections.abc import Callable

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
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
    # Trained internal auditors of the agency (ISO 9001 clause 9.2): read the private section.
    AUDITORS = "auditors", "Đánh giá viên nội bộ của cơ quan"


agency_code_validator = RegexValidator(
    # Lower case is accepted on input and stored upper-cased (see normalise_agency_code).
    r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$",
    "Mã cơ quan chỉ gồm chữ in hoa không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới "
    "(tối đa 32 ký tự), ví dụ STP hoặc UBND-PHG.",
)


DEFAULT_THEME_COLOUR = "#1D4F91"
DEFAULT_ACCENT_COLOUR = "#C8102E"
_HEX_COLOUR = RegexValidator(
    r"^#[0-9A-Fa-f]{6}$",
    "Nhập mã màu dạng #RRGGBB, ví dụ #1D4F91.",
)


def colour_contrast_with_white(colour: str) -> float:
    """WCAG 2.1 contrast ratio between `colour` (#RRGGBB) and white."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    luminance = 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)
    return 1.05 / (luminance + 0.05)


def validate_theme_colour(value: str) -> None:
    """A colour that white text sits on (header, buttons) must reach WCAG AA's 4.5:1."""
    _HEX_COLOUR(value)
    ratio = colour_contrast_with_white(value)
    if ratio < 4.5:
        raise ValidationError(
            f"Màu {value} quá sáng: chữ trắng trên nền này chỉ đạt độ tương phản "
            f"{ratio:.1f}:1 (cần tối thiểu 4,5:1 để người khiếm thị đọc được). Hãy chọn màu "
            "đậm hơn."
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
    # Per-agency look of the public site (DESIGN §9): the logo above, and two colours.
    theme_colour = models.CharField(
        "màu chủ đạo",
        max_length=7,
        default=DEFAULT_THEME_COLOUR,
        validators=[validate_theme_colour],
        help_text="Màu nền thanh tiêu đề và nút bấm, dạng #RRGGBB. Phải đủ đậm để chữ trắng "
        "dễ đọc (độ tương phản từ 4,5:1).",
    )
    accent_colour = models.CharField(
        "màu nhấn",
        max_length=7,
        default=DEFAULT_ACCENT_COLOUR,
        validators=[_HEX_COLOUR],
        help_text="Màu đường viền trang trí dưới thanh tiêu đề, dạng #RRGGBB.",
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
            [FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")],
            heading="Liên hệ",
        ),
        MultiFieldPanel(
            [FieldPanel("logo"), FieldPanel("theme_colour"), FieldPanel("accent_colour")],
            heading="Giao diện trang công khai",
            help_text="Để cơ quan có tên miền riêng, quản trị viên tạo một Trang web (Cài đặt → "
            "Trang web) trỏ tên miền đó tới trang của cơ quan.",
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
        from .public import agency_public_context

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public()
        context.update(agency_public_context(self))
        return context

    def full_clean(self, *args, **kwargs) -> None:
        # Normalise before field validation and the uniqueness check: " stp " is "STP".
        self.agency_code = normalise_agency_code(self.agency_code)
        self.theme_colour = (self.theme_colour or DEFAULT_THEME_COLOUR).strip().upper()
        self.accent_colour = (self.accent_colour or DEFAULT_ACCENT_COLOUR).strip().upper()
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


def agency_path_finder(by_path: dict[str, int]) -> Callable[[str], int | None]:
    """A function from a page's tree path to the id of the agency above it, given the agencies'
    {path: id}: one dictionary look-up per path length, so that QMS lists and the province
    rollup find each row's agency without a query per row."""
    lengths = sorted({len(path) for path in by_path})

    def find(path: str) -> int | None:
        for length in lengths:
            found = by_path.get(path[:length])
            if found is not None:
                return found
        return None

    return find
