"""Records of the «Việc cần làm» parts (issue 17 §5, §6): periodic document reviews and citizen
feedback. Both are plain models with django-simple-history (see content_types.quality): many
small rows changed stage by stage, each carrying its agency, checked by workflows.workspace."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from simple_history.models import HistoricalRecords

from .public_generation import PROVINCE, GenerationMemo, public_scope


class DocumentReview(models.Model):
    """«Đã rà soát, không thay đổi»: a controlled document or form was reviewed and kept as it is.

    No new issue number, no new version: the next review falls due one interval after this."""

    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="agency_document_reviews",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name="tài liệu",
        on_delete=models.CASCADE,
        related_name="document_reviews",
    )
    reviewed_on = models.DateField("ngày rà soát")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người rà soát",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField("ghi chú", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "lần rà soát tài liệu"
        verbose_name_plural = "lần rà soát tài liệu"
        ordering = ["-reviewed_on", "-pk"]


class FeedbackKind(models.TextChoices):
    REVIEW = "review", "Đánh giá, góp ý"
    REFLECTION = "reflection", "Phản ánh"
    PETITION = "petition", "Kiến nghị"


class FeedbackStatus(models.TextChoices):
    NEW = "new", "Mới"
    IN_PROGRESS = "in_progress", "Đang xử lý"
    ANSWERED = "answered", "Đã trả lời"
    CLOSED = "closed", "Đã đóng"


OPEN_FEEDBACK_STATUSES = (FeedbackStatus.NEW, FeedbackStatus.IN_PROGRESS)

FEEDBACK_MESSAGE_MAX = 2000
FEEDBACK_NAME_MAX = 100
FEEDBACK_CONTACT_MAX = 120
FEEDBACK_ANSWER_MAX = 4000


class CitizenFeedback(models.Model):
    """A citizen's rating and feedback on one procedure of one agency."""

    agency = models.ForeignKey(
        "content_types.AgencyPage",
        verbose_name="cơ quan",
        on_delete=models.CASCADE,
        related_name="citizen_feedback",
    )
    procedure = models.ForeignKey(
        "content_types.ProcedurePage",
        verbose_name="thủ tục",
        null=True,
        on_delete=models.SET_NULL,
        related_name="citizen_feedback",
    )
    procedure_title = models.CharField("tên thủ tục", max_length=500, blank=True)
    kind = models.CharField(
        "loại", max_length=20, choices=FeedbackKind.choices, default=FeedbackKind.REVIEW
    )
    rating = models.PositiveSmallIntegerField(
        "mức hài lòng",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    message = models.TextField("nội dung", blank=True, max_length=FEEDBACK_MESSAGE_MAX)
    name = models.CharField("họ tên", max_length=FEEDBACK_NAME_MAX, blank=True)
    contact = models.CharField("liên hệ", max_length=FEEDBACK_CONTACT_MAX, blank=True)
    consent_publish = models.BooleanField("đồng ý công khai câu trả lời", default=False)
    status = models.CharField(
        "tình trạng", max_length=20, choices=FeedbackStatus.choices, default=FeedbackStatus.NEW
    )
    answer = models.TextField("trả lời", blank=True, max_length=FEEDBACK_ANSWER_MAX)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người trả lời",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answered_at = models.DateTimeField("thời điểm trả lời", null=True, blank=True)
    publishable = models.BooleanField("cho phép công khai", default=False)
    nonconformity = models.ForeignKey(
        "content_types.Nonconformity",
        verbose_name="sự không phù hợp",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="citizen_feedback",
    )
    created_at = models.DateTimeField("thời điểm gửi", auto_now_add=True, db_index=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "status"], name="feedback_agency_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def shown_publicly(self) -> bool:
        """Both must agree: the citizen (consent) and the staff (publishable), with an answer."""
        return bool(
            self.consent_publish
            and self.publishable
            and self.answer.strip()
            and self.status in (FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED)
        )


def feedback_answers_public(procedure_id: int, *, limit: int = 20) -> list[CitizenFeedback]:
    """What the procedure page shows: answered, consented and marked publishable, newest first."""
    return list(
        CitizenFeedback.objects.filter(
            procedure_id=procedure_id,
            consent_publish=True,
            publishable=True,
            status__in=(FeedbackStatus.ANSWERED, FeedbackStatus.CLOSED),
        )
        .exclude(answer="")
        .only("kind", "rating", "message", "answer", "answered_at", "created_at")[:limit]
    )


# Kept per process for the generation of the procedure's agency (the answers change only with a
# bump of it: see workflows.workspace.feedback), so a procedure page rendered afresh costs no
# extra query.
_public_answers = GenerationMemo(size=2000)


def feedback_answers_public_kept(
    procedure_id: int, request=None, path: str | None = None
) -> list[CitizenFeedback]:
    """`path`: the procedure's tree path, which names its agency (unknown: PROVINCE's)."""
    scope = public_scope(path, request) if path else PROVINCE
    return _public_answers.fetch(
        procedure_id, lambda: feedback_answers_public(procedure_id), request, scope=scope
    )
