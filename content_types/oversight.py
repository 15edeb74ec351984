"""One-stop dossier statistics (số liệu hồ sơ một cửa) and how they reach us.

Figures are per agency × procedure × month, as the one-stop system (Hệ thống thông tin giải quyết
TTHC) reports them; they are imported from its export or pushed by it, never typed (DESIGN §10).
Every import and push is recorded as a `DossierBatch`, accepted or refused; the figures a batch
wrote point back at it. Push tokens are stored as SHA-256 digests only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

# (field name, the one-stop export's column header, the JSON push key). The order is the
# export's; validation messages and the import preview use the same labels.
DOSSIER_FIGURES: list[tuple[str, str, str]] = [
    ("carried_over", "Kỳ trước chuyển sang", "ky_truoc_chuyen_sang"),
    ("received_in_person", "Tiếp nhận trực tiếp", "tiep_nhan_truc_tiep"),
    ("received_online", "Tiếp nhận trực tuyến", "tiep_nhan_truc_tuyen"),
    ("received_postal", "Tiếp nhận bưu chính", "tiep_nhan_buu_chinh"),
    ("resolved_early", "Giải quyết trước hạn", "giai_quyet_truoc_han"),
    ("resolved_on_time", "Giải quyết đúng hạn", "giai_quyet_dung_han"),
    ("resolved_late", "Giải quyết quá hạn", "giai_quyet_qua_han"),
    ("pending_within", "Đang giải quyết trong hạn", "dang_giai_quyet_trong_han"),
    ("pending_overdue", "Đang giải quyết quá hạn", "dang_giai_quyet_qua_han"),
    ("returned", "Trả lại/rút hồ sơ", "tra_lai_rut_ho_so"),
]
FIGURE_FIELDS = [name for name, _, _ in DOSSIER_FIGURES]
FIGURE_LABELS = {name: label for name, label, _ in DOSSIER_FIGURES}


def _figure(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label.lower(), default=0)


class DossierBatch(models.Model):
    """One import or push, whatever its outcome: who, when, from where, what it did."""

    class Source(models.TextChoices):
        IMPORT = "import", "Nhập từ tệp"
        PUSH = "push", "Đẩy qua API"

    class Result(models.TextChoices):
        PREVIEW = "preview", "Đang xem trước"
        ACCEPTED = "accepted", "Đã ghi"
        UNCHANGED = "unchanged", "Trùng lặp, không thay đổi"
        REFUSED = "refused", "Bị từ chối"

    source = models.CharField("nguồn", max_length=10, choices=Source.choices)
    result = models.CharField("kết quả", max_length=10, choices=Result.choices)
    received_at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    token = models.ForeignKey(
        "content_types.DossierPushToken",
        verbose_name="mã truy cập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="batches",
    )
    # The agency the batch was for (the importer's choice or the token's); null for a province
    # batch spanning agencies, or a push whose token was not recognised.
    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossier_batches",
    )
    file_name = models.CharField("tệp", max_length=255, blank=True)
    remote_addr = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)
    replace = models.BooleanField("thay thế số liệu đã có", default=False)
    row_count = models.PositiveIntegerField("số dòng", default=0)
    created_count = models.PositiveIntegerField("dòng mới", default=0)
    replaced_count = models.PositiveIntegerField("dòng thay thế", default=0)
    unchanged_count = models.PositiveIntegerField("dòng không đổi", default=0)
    # [{"row": 3, "message": "…"}]: row 0 is the file or request as a whole.
    errors = models.JSONField("lỗi", default=list, blank=True)
    payload_sha256 = models.CharField(max_length=64, blank=True)
    # The uploaded file, kept from the preview to its commit (and for the record).
    payload = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = "lần nhập số liệu hồ sơ"
        verbose_name_plural = "các lần nhập số liệu hồ sơ"
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.received_at:%d/%m/%Y %H:%M}"


class DossierStatistic(models.Model):
    """The one-stop figures of one procedure of one agency in one month.

    Carried over + received = resolved + in progress + returned: the row is refused otherwise.
    """

    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="dossier_statistics",
    )
    procedure = models.ForeignKey(
        "content_types.ProcedurePage",
        verbose_name="thủ tục",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dossier_statistics",
    )
    # The national code (1.001234): the figures outlive a deleted or renumbered page.
    procedure_code = models.CharField("mã thủ tục", max_length=64)
    year = models.PositiveSmallIntegerField("năm")
    month = models.PositiveSmallIntegerField("tháng")
    carried_over = _figure("Kỳ trước chuyển sang")
    received_in_person = _figure("Tiếp nhận trực tiếp")
    received_online = _figure("Tiếp nhận trực tuyến")
    received_postal = _figure("Tiếp nhận bưu chính")
    resolved_early = _figure("Giải quyết trước hạn")
    resolved_on_time = _figure("Giải quyết đúng hạn")
    resolved_late = _figure("Giải quyết quá hạn")
    pending_within = _figure("Đang giải quyết trong hạn")
    pending_overdue = _figure("Đang giải quyết quá hạn")
    returned = _figure("Trả lại/rút hồ sơ")
    batch = models.ForeignKey(
        DossierBatch,
        verbose_name="lần nhập",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statistics",
    )
    updated_at = models.DateTimeField("cập nhật", auto_now=True)

    class Meta:
        verbose_name = "số liệu hồ sơ một cửa"
        verbose_name_plural = "số liệu hồ sơ một cửa"
        ordering = ["agency_id", "year", "month", "procedure_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure_code", "year", "month"],
                name="unique_dossier_statistic_period",
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="dossier_statistic_month"
            ),
        ]
        indexes = [models.Index(fields=["year", "month"], name="dossier_stat_period")]

    def __str__(self) -> str:
        return f"{self.procedure_code} {self.month:02d}/{self.year}"

    def figures(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIGURE_FIELDS}

    @property
    def received(self) -> int:
        return self.received_in_person + self.received_online + self.received_postal

    @property
    def resolved(self) -> int:
        return self.resolved_early + self.resolved_on_time + self.resolved_late


class DossierPushToken(models.Model):
    """A bearer token the one-stop system pushes with: for one agency, or (agency empty) for
    the whole province. Only the SHA-256 of the secret is kept; the secret is shown once."""

    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dossier_push_tokens",
        help_text="Để trống: mã truy cập của cấp tỉnh, đẩy được số liệu của mọi cơ quan.",
    )
    prefix = models.CharField("tiền tố", max_length=16)
    token_sha256 = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField("thu hồi lúc", null=True, blank=True)
    last_used_at = models.DateTimeField("dùng lần cuối", null=True, blank=True)

    class Meta:
        verbose_name = "mã truy cập đẩy số liệu hồ sơ"
        verbose_name_plural = "mã truy cập đẩy số liệu hồ sơ"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}…"
