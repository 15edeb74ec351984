"""Administrative procedures (thủ tục hành chính), shaped like the national procedure record.

One ProcedurePage carries what the national database (Cơ sở dữ liệu quốc gia về TTHC) publishes
for a procedure, plus the agency's own internal process (quy trình nội bộ, Decree 118/2025/NĐ-CP):

- submission channels (cách thức thực hiện): one row per channel with its time limit and fees;
- cases (trường hợp): one row per case with its dossier components and, where it differs, its own
  time limit;
- internal process steps: unit, role, working days, counted or not;
- forms used (biểu mẫu): links to the agency's FormDocumentPages, so the page always offers the
  form's current version (its live revision), never an obsolete one.

Dossier components are a StreamField on the case rather than an orderable of their own: Wagtail's
InlinePanels cannot nest, and a separate orderable keyed by case could not point at a case the
editor is adding in the same form (it has no id yet), nor move with it when cases are reordered.
Inside the case, components are added, reordered and removed together with their case, are kept in
every revision, and their form links are recorded in Wagtail's reference index ("usage" of a form).
"""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models

from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from .procedure_forms import (
    ProcedurePageAdminForm,
    VietnameseDecimalField,
    format_days,
    process_total_days,
)
from .text import code_search_terms
from .text import national_code_base as base_of_national_code

_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]

national_code_validator = RegexValidator(
    r"^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})?$",
    "Mã thủ tục có dạng 1.001234 (mã quốc gia) hoặc 1.001234.000.00.00.H35 (mã của tỉnh).",
)


class WorkingDaysField(models.DecimalField):
    """A number of days, edited as "0,5" or "0.5" and shown with a decimal comma."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 6)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("validators", [MinValueValidator(Decimal(0))])
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(
            **{"form_class": VietnameseDecimalField, "min_value": Decimal(0), **kwargs}
        )


class ProcedureLevel(models.TextChoices):
    # Since 1 July 2025 local government has two levels: province and commune.
    CENTRAL = "central", "Cấp trung ương"
    PROVINCIAL = "provincial", "Cấp tỉnh"
    COMMUNE = "commune", "Cấp xã"
    OTHER = "other", "Cơ quan khác"


class SubmissionChannel(models.TextChoices):
    IN_PERSON = "in_person", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POSTAL = "postal", "Dịch vụ bưu chính"


class TimeLimitUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "ngày làm việc"
    CALENDAR_DAYS = "calendar_days", "ngày"
    TEXT = "text", "ghi bằng chữ (ví dụ: trong ngày)"


class ProcessUnit(models.TextChoices):
    DAYS = "days", "ngày làm việc"
    HOURS = "hours", "giờ làm việc"


class TimeLimitFields(models.Model):
    """A time limit as the national record writes it: a number of days, or words."""

    time_limit = WorkingDaysField(
        "thời hạn giải quyết",
        null=True,
        blank=True,
        help_text="Số ngày, có thể có phần thập phân: 0,5 hoặc 0.5.",
    )
    time_limit_unit = models.CharField(
        "đơn vị thời hạn",
        max_length=20,
        choices=TimeLimitUnit.choices,
        default=TimeLimitUnit.WORKING_DAYS,
    )
    time_limit_text = models.CharField(
        "thời hạn ghi bằng chữ, ghi chú",
        max_length=255,
        blank=True,
        help_text="Ví dụ: Trong ngày; nhận hồ sơ sau 15 giờ thì trả kết quả ngày làm việc "
        "tiếp theo.",
    )
    # Cases may leave the time limit empty: the channel's then applies.
    time_limit_required = True

    time_limit_panels = [
        FieldRowPanel([FieldPanel("time_limit"), FieldPanel("time_limit_unit")]),
        FieldPanel("time_limit_text"),
    ]

    class Meta:
        abstract = True

    @property
    def time_limit_display(self) -> str:
        if self.time_limit_unit == TimeLimitUnit.TEXT or self.time_limit is None:
            return self.time_limit_text
        label = TimeLimitUnit(self.time_limit_unit).label
        text = f"{format_days(self.time_limit)} {label}"
        return f"{text} ({self.time_limit_text})" if self.time_limit_text else text

    def clean(self):
        super().clean()
        if self.time_limit_unit == TimeLimitUnit.TEXT:
            if not self.time_limit_text.strip():
                raise ValidationError(
                    {"time_limit_text": "Ghi thời hạn bằng chữ, ví dụ «Trong ngày»."}
                )
        elif self.time_limit is None and (self.time_limit_required or self.time_limit_text):
            raise ValidationError({"time_limit": "Nhập số ngày, hoặc chọn đơn vị «ghi bằng chữ»."})


class DossierComponentBlock(blocks.StructBlock):
    name = blocks.TextBlock(label="Tên giấy tờ", rows=2)
    originals = blocks.IntegerBlock(label="Số bản chính", min_value=0, default=1)
    copies = blocks.IntegerBlock(label="Số bản sao", min_value=0, default=0)
    form = blocks.PageChooserBlock(
        label="Mẫu đơn, tờ khai",
        target_model="content_types.FormDocumentPage",
        required=False,
        help_text="Biểu mẫu của cơ quan dùng cho giấy tờ này, nếu có.",
    )
    # «mẫu CT01 hoặc CT02»: the citizen may use any one of these instead of the form above.
    alternative_forms = blocks.ListBlock(
        blocks.PageChooserBlock(target_model="content_types.FormDocumentPage"),
        label="Hoặc mẫu khác",
        required=False,
        default=[],
        help_text="Mẫu có thể dùng thay thế, ví dụ mẫu CT02 thay cho CT01.",
    )
    note = blocks.CharBlock(label="Ghi chú", required=False, max_length=255)

    class Meta:
        icon = "doc-full"
        label = "Thành phần hồ sơ"


class FeeBlock(blocks.StructBlock):
    """One fee as the national record writes it: 8.000 đồng/bản; from the 3rd page 1.000
    đồng/trang, at most 200.000 đồng/bản.

    The national record names some fees in full («Phí thẩm định điều kiện hoạt động Văn phòng
    công chứng»): `name` keeps those words, shown instead of the bare «Phí»/«Lệ phí»."""

    kind = blocks.ChoiceBlock(
        label="Loại",
        choices=[("fee", "Phí"), ("charge", "Lệ phí")],
        default="charge",
    )
    name = blocks.CharBlock(
        label="Tên phí, lệ phí",
        required=False,
        max_length=255,
        help_text="Như trên Cơ sở dữ liệu quốc gia, ví dụ: Phí thẩm định điều kiện hoạt động "
        "Văn phòng công chứng. Để trống thì ghi «Phí» hoặc «Lệ phí».",
    )
    amount = blocks.DecimalBlock(label="Mức thu (đồng)", min_value=0, decimal_places=0)
    unit = blocks.CharBlock(
        label="Đơn vị", max_length=60, default="đồng/hồ sơ", help_text="Ví dụ: đồng/trang."
    )
    from_quantity = blocks.IntegerBlock(
        label="Áp dụng từ (trang, bản…) thứ",
        required=False,
        min_value=1,
        help_text="Ví dụ 3: từ trang thứ ba trở đi.",
    )
    cap = blocks.DecimalBlock(label="Tối đa (đồng)", required=False, min_value=0, decimal_places=0)
    cap_unit = blocks.CharBlock(label="Đơn vị mức tối đa", required=False, max_length=60)
    note = blocks.CharBlock(label="Mô tả, ghi chú", required=False, max_length=500)

    class Meta:
        icon = "form"
        label = "Mức phí, lệ phí"


NO_FEE_INFORMATION = "Chưa có thông tin"


def format_money(value) -> str:
    """200000 → "200.000" (Vietnamese thousands separator)."""
    return f"{int(Decimal(str(value))):,}".replace(",", ".")


def fee_text(value: dict) -> str:
    """One structured fee (FeeBlock's raw value) as the national record writes it:
    «Lệ phí: từ trang thứ 3 trở đi: 1.000 đồng/trang, tối đa 200.000 đồng/bản (ghi chú)»;
    a named fee reads «Phí thẩm định …: 1.000.000 đồng/hồ sơ»."""
    label = (value.get("name") or "").strip() or ("Phí" if value.get("kind") == "fee" else "Lệ phí")
    amount = value.get("amount")
    text = ""
    if amount not in (None, ""):
        text = f"{format_money(amount)} {value.get('unit') or 'đồng'}"
        if value.get("from_quantity"):
            unit = value.get("unit") or ""
            noun = unit.split("/", 1)[1].strip() if "/" in unit else ""
            ordinal = f"{noun} thứ" if noun else "thứ"
            text = f"từ {ordinal} {value['from_quantity']} trở đi: {text}"
    if value.get("cap") not in (None, ""):
        cap = f"tối đa {format_money(value['cap'])} {value.get('cap_unit') or 'đồng'}"
        text = f"{text}, {cap}" if text else cap
    if value.get("note"):
        text = f"{text} ({value['note']})" if text else value["note"]
    return f"{label}: {text}" if text else label


def fee_given(value: dict) -> bool:
    """Whether a structured fee says anything (an empty row is missing data, not «0 đồng»)."""
    return any(value.get(key) not in (None, "") for key in ("amount", "cap", "note"))


class ProcedurePage(Page):
    national_code = models.CharField(
        "mã thủ tục",
        max_length=64,
        validators=[national_code_validator],
        help_text="Mã trên Cơ sở dữ liệu quốc gia về thủ tục hành chính, ví dụ 1.001234, "
        "hoặc mã của tỉnh, ví dụ 1.001234.000.00.00.H35.",
    )
    announcement_decision = models.CharField(
        "quyết định công bố",
        max_length=255,
        blank=True,
        help_text="Ví dụ: Quyết định số 1234/QĐ-UBND ngày 15/7/2025 của Chủ tịch UBND tỉnh.",
    )
    level = models.CharField(
        "cấp thực hiện",
        max_length=20,
        choices=ProcedureLevel.choices,
        default=ProcedureLevel.PROVINCIAL,
    )
    field = models.ForeignKey(
        "content_types.ProcedureField",
        verbose_name="lĩnh vực",
        null=True,
        on_delete=models.PROTECT,
        related_name="procedures",
    )
    steps = RichTextField(
        "trình tự thực hiện",
        blank=True,
        features=_TEXT_FEATURES,
        help_text="Các bước người dân, tổ chức thực hiện.",
    )
    applicants = models.TextField(
        "đối tượng thực hiện",
        blank=True,
        help_text="Ví dụ: Công dân Việt Nam; người nước ngoài cư trú tại Việt Nam.",
    )
    implementing_agency = models.TextField(
        "cơ quan thực hiện",
        blank=True,
        help_text="Cơ quan có thẩm quyền quyết định, cơ quan trực tiếp thực hiện, cơ quan phối "
        "hợp.",
    )
    result = models.TextField("kết quả thực hiện", blank=True)
    requirements = RichTextField(
        "yêu cầu, điều kiện thực hiện", blank=True, features=_TEXT_FEATURES
    )
    legal_basis = RichTextField("căn cứ pháp lý", blank=True, features=_TEXT_FEATURES)
    process_time_limit = WorkingDaysField(
        "thời hạn giải quyết theo quy định (ngày làm việc)",
        null=True,
        blank=True,
        help_text="Tổng thời gian các bước được tính của quy trình nội bộ không được vượt quá "
        "thời hạn này. Có thể có phần thập phân: 0,5 hoặc 0.5.",
    )
    process_limit_unit = models.CharField(
        "đơn vị thời hạn của quy trình",
        max_length=10,
        choices=ProcessUnit.choices,
        default=ProcessUnit.DAYS,
        help_text="Chọn «giờ làm việc» khi thời hạn ghi bằng chữ như «trong ngày» (8 giờ làm "
        "việc) và các bước tính bằng giờ.",
    )
    process_limit_text = models.CharField(
        "thời hạn ghi bằng chữ",
        max_length=100,
        blank=True,
        help_text="Ví dụ: Trong ngày.",
    )
    process_note = models.TextField(
        "ghi chú quy trình nội bộ",
        blank=True,
        help_text="Ví dụ: thời gian lấy ý kiến cơ quan khác không tính vào thời hạn giải quyết.",
    )

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("national_code"), FieldPanel("level")]),
                FieldPanel("field"),
                FieldPanel("announcement_decision"),
            ],
            heading="Thông tin chung",
        ),
        FieldPanel("steps"),
        InlinePanel("channels", heading="Cách thức thực hiện", label="Cách thức"),
        InlinePanel("cases", heading="Thành phần hồ sơ theo trường hợp", label="Trường hợp"),
        FieldPanel("applicants"),
        FieldPanel("implementing_agency"),
        FieldPanel("result"),
        FieldPanel("requirements"),
        FieldPanel("legal_basis"),
        InlinePanel("forms_used", heading="Biểu mẫu sử dụng", label="Biểu mẫu"),
    ]
    process_panels = [
        FieldRowPanel(
            [
                FieldPanel("process_time_limit"),
                FieldPanel("process_limit_unit"),
                FieldPanel("process_limit_text"),
            ]
        ),
        InlinePanel("process_steps", heading="Các bước", label="Bước"),
        InlinePanel(
            "processes",
            heading="Các quy trình khác (mỗi trường hợp một quy trình, nếu có)",
            label="Quy trình",
        ),
        FieldPanel("process_note"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Nội dung"),
            ObjectList(process_panels, heading="Quy trình nội bộ"),
            ObjectList(Page.promote_panels, heading="Quảng bá"),
            ObjectList(Page.settings_panels, heading="Cài đặt"),
        ]
    )
    base_form_class = ProcedurePageAdminForm

    search_fields = [
        *Page.search_fields,
        index.SearchField("national_code", boost=3),
        index.SearchField("search_code_terms", boost=3),
        index.AutocompleteField("national_code"),
        index.SearchField("applicants"),
        index.SearchField("result"),
        index.SearchField("legal_basis"),
        index.RelatedFields("field", [index.SearchField("name")]),
        index.FilterField("level"),
        index.FilterField("field"),
        index.FilterField("national_code"),
    ]
    parent_page_types = ["content_types.ProcedureIndexPage"]
    subpage_types: list[str] = []
    template = "themes/procedure_page.html"
    # Fetched with the page when the public site routes to it (themes.routing).
    public_select_related = ("field",)

    class Meta:
        verbose_name = "Thủ tục hành chính"
        verbose_name_plural = "Thủ tục hành chính"

    def get_context(self, request, *args, **kwargs):
        from .public import procedure_page_context

        context = super().get_context(request, *args, **kwargs)
        # The public site's frame may have every restricted path at hand (themes.skeleton).
        private_paths = getattr(request, "iso_private_paths", None)
        context.update(procedure_page_context(self, request, private_paths=private_paths))
        from .workspace import feedback_answers_public_kept

        # Answers shown only with the citizen's consent and the staff's mark; a change bumps the
        # public generation (workflows.workspace.feedback), so the cached page follows.
        context["public_answers"] = feedback_answers_public_kept(self.pk, request, self.path)
        return context

    def search_code_terms(self) -> str:
        """Every spelling of the national code a search may use (text.code_search_terms)."""
        return code_search_terms(self.national_code)

    @property
    def national_code_base(self) -> str:
        return base_of_national_code(self.national_code)

    @property
    def process_total(self) -> Decimal:
        """Working days of the counted internal process steps."""
        return process_total_days(
            (step.working_days, step.counted) for step in self.process_steps.all()
        )


def form_fields_refresh(links, forms, changed: list[int] | None = None) -> int:
    """Store on each form of `forms` the fields of the live procedures that use it (`links`:
    ProcedurePageForm rows). Returns how many forms changed (their ids appended to `changed`).
    Takes querysets so a migration can pass its historical models."""
    fields_of: dict[int, set[int]] = defaultdict(set)
    live = links.filter(page__live=True).exclude(page__field=None)
    for form_id, field_id in live.values_list("form_page_id", "page__field_id"):
        fields_of[form_id].add(field_id)
    changes: dict[str, list[int]] = defaultdict(list)  # one UPDATE per distinct value
    for pk, stored in forms.values_list("pk", "procedure_fields"):
        value = ",".join(str(field_id) for field_id in sorted(fields_of.get(pk, ())))
        if value != stored:
            changes[value].append(pk)
    for value, pks in changes.items():
        if changed is not None:
            changed.extend(pks)
        for start in range(0, len(pks), 500):
            forms.model.objects.filter(pk__in=pks[start : start + 500]).update(
                procedure_fields=value
            )
    return sum(map(len, changes.values()))


def procedure_form_ids(procedure: ProcedurePage) -> list[int]:
    """Every form the procedure uses, in order: its form list, then its dossier components."""
    ids = [link.form_page_id for link in procedure.forms_used.all()]
    for case in procedure.cases.all():
        for block in case.dossier:
            for form in [block.value.get("form"), *(block.value.get("alternative_forms") or [])]:
                if form is not None:
                    ids.append(form.pk if hasattr(form, "pk") else int(form))
    return list(dict.fromkeys(ids))


def procedure_forms_in_force(procedure: ProcedurePage, at=None) -> list[tuple[Page, object]]:
    """[(form page, its version in force)] — a form with no version in force is left out, so an
    outdated or not-yet-valid form is never offered."""
    from .documents import FormDocumentPage
    from .versions import DocumentVersion, current_version_ids

    ids = procedure_form_ids(procedure)
    current = current_version_ids(ids, at)
    versions = DocumentVersion.objects.in_bulk(current.values())
    forms = FormDocumentPage.objects.live().in_bulk([i for i in ids if i in current])
    return [(forms[i], versions[current[i]]) for i in ids if i in forms]


class ProcedurePageChannel(TimeLimitFields, Orderable):
    page = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField("cách thức", max_length=20, choices=SubmissionChannel.choices)
    fees = models.TextField(
        "phí, lệ phí",
        blank=True,
        help_text="Ví dụ: Miễn lệ phí. Để trống khi chưa có thông tin (trang công khai ghi «chưa "
        "có thông tin», không bao giờ «Không thu»).",
    )
    fee_items = StreamField(
        [("fee", FeeBlock())],
        verbose_name="các mức phí, lệ phí",
        blank=True,
        default=list,
    )
    description = models.TextField(
        "mô tả",
        blank=True,
        help_text="Ví dụ: Nộp tại Bộ phận Một cửa; hoặc qua Cổng Dịch vụ công quốc gia.",
    )

    panels = [
        FieldPanel("channel"),
        *TimeLimitFields.time_limit_panels,
        FieldPanel("fees"),
        FieldPanel("fee_items"),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "cách thức thực hiện"
        verbose_name_plural = "cách thức thực hiện"

    def __str__(self) -> str:
        return self.get_channel_display()

    @property
    def fee_lines(self) -> list[str]:
        """The fees to show: the structured ones, else the text; missing data is said so,
        never read as «Không thu»."""
        raw = [item["value"] for item in self.fee_items.raw_data if item.get("type") == "fee"]
        lines = [fee_text(value) for value in raw if fee_given(value)]
        if self.fees.strip():
            lines.append(self.fees.strip())
        return lines or [NO_FEE_INFORMATION]


class ProcedurePageCase(TimeLimitFields, Orderable):
    page = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="cases")
    name = models.CharField(
        "trường hợp",
        max_length=255,
        blank=True,
        help_text="Ví dụ: Đăng ký khai sinh đúng hạn. Để trống nếu thủ tục chỉ có một trường "
        "hợp không tên, như Cơ sở dữ liệu quốc gia cho phép.",
    )
    dossier_sets = models.PositiveSmallIntegerField("số lượng hồ sơ (bộ)", default=1)
    dossier = StreamField(
        [("component", DossierComponentBlock())],
        verbose_name="thành phần hồ sơ",
        blank=True,
    )
    time_limit_required = False

    panels = [
        FieldPanel("name"),
        FieldPanel("dossier_sets"),
        FieldPanel("dossier"),
        MultiFieldPanel(
            TimeLimitFields.time_limit_panels,
            heading="Thời hạn riêng của trường hợp (để trống nếu như cách thức thực hiện)",
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "trường hợp"
        verbose_name_plural = "trường hợp"

    def __str__(self) -> str:
        return self.name or "Trường hợp không tên"


class ProcedurePageProcessStep(Orderable):
    page = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="process_steps")
    task = models.TextField(
        "nội dung công việc",
        help_text="Ví dụ: Tiếp nhận, kiểm tra hồ sơ; chuyển hồ sơ cho phòng chuyên môn.",
    )
    unit = models.CharField(
        "đơn vị thực hiện",
        max_length=255,
        help_text="Ví dụ: Bộ phận Một cửa; Phòng Hành chính tư pháp; UBND tỉnh.",
    )
    role = models.CharField(
        "người thực hiện",
        max_length=255,
        help_text="Ví dụ: Công chức tiếp nhận; Lãnh đạo phòng; Chủ tịch UBND.",
    )
    working_days = WorkingDaysField(
        "thời gian (ngày làm việc)",
        null=True,
        blank=True,
        help_text="Có thể có phần thập phân: 0,5 hoặc 0.5. Để trống nếu bước không tính thời gian.",
    )
    hours = WorkingDaysField(
        "hoặc thời gian (giờ làm việc)",
        null=True,
        blank=True,
        help_text="Cho quy trình «trong ngày»: ví dụ 2 hoặc 0,5 giờ.",
    )
    process_name = models.CharField(
        "thuộc quy trình",
        max_length=255,
        blank=True,
        help_text="Để trống với quy trình chính; ghi đúng tên một quy trình ở mục «Các quy "
        "trình khác» nếu bước thuộc quy trình đó.",
    )
    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan thực hiện bước (nếu là cơ quan khác)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="process_steps_elsewhere",
        help_text="Ví dụ: Văn phòng UBND tỉnh ký cho Sở Y tế. Cơ quan đó xem được quy trình "
        "(chỉ đọc).",
    )
    counted = models.BooleanField(
        "tính vào thời hạn giải quyết",
        default=True,
        help_text="Bỏ chọn với bước không tính thời gian, thường là trả kết quả.",
    )

    panels = [
        FieldPanel("process_name"),
        FieldPanel("task"),
        FieldRowPanel([FieldPanel("unit"), FieldPanel("role")]),
        FieldPanel("agency"),
        FieldRowPanel([FieldPanel("working_days"), FieldPanel("hours"), FieldPanel("counted")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "bước của quy trình nội bộ"
        verbose_name_plural = "các bước của quy trình nội bộ"

    def __str__(self) -> str:
        return self.task

    def clean(self):
        super().clean()
        if self.counted and self.working_days is None and self.hours is None:
            raise ValidationError(
                {
                    "working_days": "Nhập số ngày làm việc của bước này, hoặc bỏ chọn «tính vào "
                    "thời hạn giải quyết»."
                }
            )

    @property
    def working_days_display(self) -> str:
        if not self.counted:
            return "Không tính thời gian"
        if self.hours is not None:
            return f"{format_days(self.hours)} giờ làm việc"
        return f"{format_days(self.working_days)} ngày làm việc"


class ProcedurePageProcess(Orderable):
    """A further internal process of the procedure, for one of its cases, with its own legal
    limit (1.013814: a 5-day process to found an association and a 10-day one to dissolve it).
    Its steps are the steps whose «thuộc quy trình» names it: InlinePanels cannot nest."""

    page = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="processes")
    name = models.CharField("tên quy trình", max_length=255, help_text="Ví dụ: Giải thể hội.")
    case_name = models.CharField(
        "áp dụng cho trường hợp", max_length=255, blank=True, help_text="Tên trường hợp, nếu có."
    )
    time_limit = WorkingDaysField("thời hạn theo quy định", null=True, blank=True)
    time_limit_unit = models.CharField(
        "đơn vị", max_length=10, choices=ProcessUnit.choices, default=ProcessUnit.DAYS
    )
    time_limit_text = models.CharField("thời hạn ghi bằng chữ", max_length=100, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("case_name")]),
        FieldRowPanel(
            [FieldPanel("time_limit"), FieldPanel("time_limit_unit"), FieldPanel("time_limit_text")]
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "quy trình nội bộ khác"
        verbose_name_plural = "các quy trình nội bộ khác"

    def __str__(self) -> str:
        return self.name


class ProcedurePageForm(Orderable):
    page = ParentalKey(ProcedurePage, on_delete=models.CASCADE, related_name="forms_used")
    # CASCADE: deleting a form page (Wagtail warns with its usage count first) drops the link;
    # the procedure's revisions still record it.
    form_page = models.ForeignKey(
        "content_types.FormDocumentPage",
        verbose_name="biểu mẫu",
        on_delete=models.CASCADE,
        related_name="procedure_links",
    )
    note = models.CharField(
        "ghi chú",
        max_length=255,
        blank=True,
        help_text="Ví dụ: dùng cho trường hợp đăng ký lại.",
    )

    panels = [FieldPanel("form_page"), FieldPanel("note")]

    class Meta(Orderable.Meta):
        verbose_name = "biểu mẫu sử dụng"
        verbose_name_plural = "biểu mẫu sử dụng"
