"""Admin views of the risk register and the management review. Thin, like views.py: find the
object, check the right through workflows.quality.policy, call a service."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from content_types.agency import AgencyPage
from content_types.indexes import QualitySystemPage
from content_types.quality.action import ActionSource, QualityAction
from content_types.quality.review import ManagementReviewPage
from content_types.quality.risk import BAND_LABELS, RiskRegisterPage, risk_scale_for

from . import reviews
from .forms import RiskScaleForm
from .risk_scale import risk_scale_can_manage, risk_scale_of, risk_scale_update
from .risks import risk_rows
from .views import PrintedRecordView, _Base, _int, _page_status, _PageView, _refused


class PlanningView(_Base):
    """An agency's risk registers and management reviews, and where to start the next ones."""

    template_name = "quality/planning.html"

    def get_page_title(self):
        return f"Rủi ro, cơ hội và xem xét của lãnh đạo: {self.agency.title}"

    def dispatch(self, request, agency_id: int):
        self.require(AgencyPage.objects.filter(pk=agency_id).first())
        self.quality_system = self.agency.get_children().type(QualitySystemPage).first()
        return super().dispatch(request)

    def post(self, request):
        year = _int(request.POST.get("year"))
        try:
            meeting_date = date.fromisoformat(request.POST.get("meeting_date", ""))
        except ValueError:
            meeting_date = None
        try:
            if not year or meeting_date is None:
                raise ValidationError("Hãy nhập năm được xem xét và ngày họp (ngày/tháng/năm).")
            review = reviews.management_review_create(
                agency=self.agency, year=year, meeting_date=meeting_date, user=request.user
            )
        except ValidationError as error:
            _refused(request, error)
            return HttpResponseRedirect(request.path)
        messages.success(
            request,
            "Đã lập dự thảo biên bản với đầu vào lấy từ hồ sơ năm "
            f"{year}. Hãy rà soát, ghi các quyết định rồi trình lãnh đạo phê duyệt.",
        )
        return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[review.pk]))

    def get_context_data(self, **kwargs):
        can_add = (
            self.quality_system is not None
            and self.quality_system.permissions_for_user(self.request.user).can_add_subpage()
        )
        registers = RiskRegisterPage.objects.descendant_of(self.agency).order_by("-year")
        review_pages = ManagementReviewPage.objects.descendant_of(self.agency).order_by(
            "-meeting_date"
        )
        today = timezone.localdate()
        return super().get_context_data(
            registers=[(r, _page_status(r)) for r in registers],
            reviews=[(r, _page_status(r)) for r in review_pages],
            quality_system=self.quality_system,
            can_add=can_add,
            year=today.year,
            today=today,
            **kwargs,
        )


class RiskRegisterView(_PageView):
    model = RiskRegisterPage
    template_name = "quality/risks.html"

    def get_page_title(self):
        return self.page.title

    def get(self, request, pk: int):
        self.get_object(pk)
        return super().get(request)

    def get_context_data(self, **kwargs):
        from content_types.quality.risk import AgencyRiskScale

        scale = risk_scale_for(self.page)
        stored = AgencyRiskScale.objects.filter(agency=self.agency).first()
        approved_at = self.page.last_published_at
        return super().get_context_data(
            rows=risk_rows(self.page, self.shown),
            scale_changed_at=(
                stored.updated_at
                if stored is not None and approved_at and stored.updated_at > approved_at
                else None
            ),
            approved_at=approved_at,
            scale=scale,
            bands=[
                (band, label, scale_range)
                for (band, label), scale_range in zip(
                    BAND_LABELS.items(),
                    (
                        f"dưới {scale.medium_from}",
                        f"từ {scale.medium_from} đến {scale.high_from - 1}",
                        f"từ {scale.high_from}",
                    ),
                    strict=True,
                )
            ],
            likelihood_labels=list(enumerate(scale.likelihood_labels, start=1)),
            impact_labels=list(enumerate(scale.impact_labels, start=1)),
            **kwargs,
        )


class RiskScaleView(_Base):
    """The agency's rating scale of risks: read by its staff, set by its administrators and the
    province's, with the history of every change."""

    template_name = "quality/risk_scale.html"

    def get_page_title(self):
        return f"Thang đo rủi ro: {self.agency.title}"

    def dispatch(self, request, agency_id: int):
        self.require(AgencyPage.objects.filter(pk=agency_id).first())
        self.scale = risk_scale_of(self.agency)
        self.can_edit = risk_scale_can_manage(request.user, self.agency)
        self.form = RiskScaleForm(instance=self.scale)
        return super().dispatch(request)

    def post(self, request):
        if not self.can_edit:
            raise PermissionDenied
        self.form = RiskScaleForm(request.POST, instance=self.scale)
        if self.form.is_valid():
            try:
                risk_scale_update(agency=self.agency, user=request.user, scale=self.form.instance)
            except ValidationError as error:
                for field, errors in error.message_dict.items():
                    for message in errors:
                        self.form.add_error(field if field in self.form.fields else None, message)
            else:
                messages.success(request, "Đã lưu thang đo rủi ro của cơ quan.")
                return HttpResponseRedirect(request.path)
        messages.error(request, "Chưa lưu thang đo: hãy sửa các lỗi bên dưới.")
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        from content_types.quality.risk import AgencyRiskScale

        history = []
        if self.scale.pk:
            for record in self.scale.history.select_related("history_user").order_by(
                "-history_date"
            )[:50]:
                shown = AgencyRiskScale(
                    scale_size=record.scale_size,
                    likelihood_labels=record.likelihood_labels,
                    impact_labels=record.impact_labels,
                    medium_from=record.medium_from,
                    high_from=record.high_from,
                ).scale()
                history.append((record, shown))
        scale = self.scale.scale() if self.scale.pk else AgencyRiskScale(scale_size=5).scale()
        return super().get_context_data(
            form=self.form,
            can_edit=self.can_edit,
            stored=self.scale if self.scale.pk else None,
            current=scale,
            history=history,
            **kwargs,
        )


class ReviewView(_PageView):
    model = ManagementReviewPage
    template_name = "quality/review.html"

    def get_page_title(self):
        return self.page.title

    def dispatch(self, request, pk: int):
        self.get_object(pk)
        return super().dispatch(request)

    def post(self, request):
        if request.POST.get("op") != "fill":
            raise Http404
        result = reviews.management_review_fill(
            review=self.page, user=request.user, overwrite=request.POST.get("overwrite") == "1"
        )
        message = f"Đã lấy dữ liệu từ hồ sơ cho {len(result.filled)} mục đầu vào."
        if result.kept:
            message += (
                " Giữ nguyên nội dung đã chỉnh sửa của: " + "; ".join(result.kept) + " (chọn "
                "«Ghi đè nội dung đã sửa» để lấy lại từ hồ sơ)."
            )
        messages.success(request, message)
        return HttpResponseRedirect(request.path)

    def get_context_data(self, **kwargs):
        actions = QualityAction.objects.filter(
            origin_page=self.page, source=ActionSource.REVIEW
        ).select_related("owner")
        return super().get_context_data(
            inputs=self.shown.inputs.all(),
            decisions=self.shown.decisions.all(),
            actions=actions,
            **kwargs,
        )


class ReviewMinutesPrintView(PrintedRecordView):
    model = ManagementReviewPage
    file_stem = "bien-ban-xem-xet-lanh-dao"
    renderers = {
        "docx": reviews.review_minutes_docx_bytes,
        "pdf": reviews.review_minutes_pdf_bytes,
    }


review_docx_view = ReviewMinutesPrintView.as_view(fmt="docx")
review_pdf_view = ReviewMinutesPrintView.as_view(fmt="pdf")
