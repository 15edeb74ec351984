"""Admin views of «Việc cần làm»: the dashboard panel, document reviews, citizen feedback.

Thin: each checks the user's right on the agency of the object it touches, calls a service and
says what happened in Vietnamese.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from wagtail.admin.ui.components import Component

from content_types.agency import AgencyPage
from content_types.workspace import CitizenFeedback, DocumentReview, FeedbackKind, FeedbackStatus
from workflows.admin_page import TitledAdminMixin

from .feedback import (
    feedback_answer,
    feedback_can_answer,
    feedback_can_view,
    feedback_due,
    feedback_raise_nonconformity,
)
from .reviews import (
    REVIEW_ROLES,
    document_review_can,
    document_review_record,
    documents_review_status,
    reviewable_document,
)
from .roles import HANDLERS, agencies_with_role
from .screen import workspace_build


class WorkspacePanel(Component):
    """«Việc cần làm»: the first thing an agency's staff see in the admin."""

    name = "iso_workspace"
    order = 10
    template_name = "workspace/panel.html"

    class Media:
        css = {"all": ["workspace/workspace.css"]}

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        today = timezone.localdate()
        screen = workspace_build(user=self.request.user, today=today)
        context = {
            "screen": screen,
            "today": today,
            "year_blocks": [(a, screen.year.get(a.pk, [])) for a in screen.agencies],
            "review_agencies": sorted(agencies_with_role(self.request.user, REVIEW_ROLES)),
            "feedback_agencies": sorted(agencies_with_role(self.request.user, HANDLERS)),
        }
        return render_to_string(self.template_name, context, request=self.request)


class ProvinceLinkPanel(Component):
    """Superusers and province administrators keep Wagtail's panels, with the rollup one click
    away."""

    name = "iso_workspace_province"
    order = 5
    template_name = "workspace/province_panel.html"

    class Media:
        css = {"all": ["workspace/workspace.css"]}

    def render_html(self, parent_context=None):
        return render_to_string(self.template_name, {})


def _agency_or_404(agency_id: int) -> AgencyPage:
    agency = AgencyPage.objects.filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    return agency


def _agencies_choice(request, roles, url_name):
    """The index of a per-agency list: straight to the only agency, else a short choice."""
    ids = agencies_with_role(request.user, roles)
    if request.user.is_superuser:
        ids = set(AgencyPage.objects.values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied
    if len(ids) == 1:
        return HttpResponseRedirect(reverse(url_name, args=[next(iter(ids))]))
    return list(AgencyPage.objects.filter(pk__in=ids).order_by("title"))


class _Base(TitledAdminMixin, TemplateView):
    header_icon = "tasks"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


class AgencyChoiceView(_Base):
    template_name = "workspace/agency_choice.html"
    roles = REVIEW_ROLES
    target = "iso_document_reviews"
    page_title = "Rà soát tài liệu định kỳ"

    def get(self, request, *args, **kwargs):
        found = _agencies_choice(request, self.roles, self.target)
        if isinstance(found, HttpResponseRedirect):
            return found
        self.agencies = found
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agencies=self.agencies, target=self.target, **kwargs)


class DocumentReviewsView(_Base):
    """The agency's live documents and forms with their next review date."""

    template_name = "workspace/reviews.html"

    def get_page_title(self):
        return f"Rà soát tài liệu định kỳ: {self.agency.title}"

    def get(self, request, agency_id: int):
        self.agency = _agency_or_404(agency_id)
        if not (request.user.is_superuser or document_review_can(request.user, None, self.agency)):
            raise PermissionDenied
        return super().get(request)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        rows = documents_review_status(agency_ids=[self.agency.pk], today=today)
        soon = today + timezone.timedelta(days=30)
        return super().get_context_data(
            agency=self.agency,
            rows=[
                (
                    row,
                    (today - row.due).days if row.due and row.due < today else 0,
                    row.due and row.due <= soon,
                )
                for row in rows
            ],
            **kwargs,
        )


class DocumentReviewView(_Base):
    """One document: its review history and «Đã rà soát, không thay đổi»."""

    template_name = "workspace/review.html"

    def get_page_title(self):
        return f"Rà soát: {self.page.title}"

    def dispatch(self, request, page_id: int, *args, **kwargs):
        try:
            self.page, self.agency = reviewable_document(page_id)
        except ValidationError as error:
            raise Http404 from error
        if not document_review_can(request.user, self.page, self.agency):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            document_review_record(
                page=self.page,
                agency=self.agency,
                user=request.user,
                note=request.POST.get("note", ""),
            )
        except (ValidationError, PermissionDenied) as error:
            text = error.messages[0] if isinstance(error, ValidationError) else str(error)
            messages.error(request, f"Chưa ghi nhận được: {text}")
            return self.get(request, *args, **kwargs)
        messages.success(
            request,
            f"Đã ghi nhận «{self.page.title}» đã rà soát, không thay đổi. Lần ban hành giữ "
            "nguyên; hạn rà soát tiếp theo được tính lại từ hôm nay.",
        )
        return HttpResponseRedirect(request.path)

    def get_context_data(self, **kwargs):
        status = documents_review_status(agency_ids=[self.agency.pk])
        row = next((r for r in status if r.page_id == self.page.pk), None)
        return super().get_context_data(
            agency=self.agency,
            page=self.page,
            row=row,
            reviews=DocumentReview.objects.filter(page=self.page).select_related("reviewed_by"),
            note=self.request.POST.get("note", "") if self.request.method == "POST" else "",
            **kwargs,
        )


class FeedbackChoiceView(AgencyChoiceView):
    roles = HANDLERS
    target = "iso_feedback_list"
    page_title = "Ý kiến của người dân"


class FeedbackListView(_Base):
    template_name = "workspace/feedback_list.html"
    header_icon = "mail"

    def get_page_title(self):
        return f"Ý kiến của người dân: {self.agency.title}"

    def get(self, request, agency_id: int):
        self.agency = _agency_or_404(agency_id)
        if not feedback_can_view(request.user, self.agency.pk):
            raise PermissionDenied
        self.status = request.GET.get("tinh_trang", "")
        if self.status and self.status not in FeedbackStatus.values:
            self.status = ""
        return super().get(request)

    def get_context_data(self, **kwargs):
        rows = CitizenFeedback.objects.filter(agency=self.agency)
        counts = {s: 0 for s in FeedbackStatus.values}
        for status in rows.values_list("status", flat=True):
            counts[status] += 1
        if self.status:
            rows = rows.filter(status=self.status)
        rows = list(rows.select_related("answered_by")[:500])
        today = timezone.localdate()
        return super().get_context_data(
            agency=self.agency,
            rows=[(f, feedback_due(f)) for f in rows],
            statuses=[(v, label, counts[v]) for v, label in FeedbackStatus.choices],
            status=self.status,
            total=sum(counts.values()),
            open_statuses=(FeedbackStatus.NEW, FeedbackStatus.IN_PROGRESS),
            today=today,
            **kwargs,
        )


class FeedbackView(_Base):
    template_name = "workspace/feedback.html"
    header_icon = "mail"

    def get_page_title(self):
        return f"{self.feedback.get_kind_display()} về «{self.feedback.procedure_title}»"

    def dispatch(self, request, pk: int, *args, **kwargs):
        self.feedback = (
            CitizenFeedback.objects.select_related("agency", "nonconformity").filter(pk=pk).first()
        )
        if self.feedback is None:
            raise Http404
        if not feedback_can_view(request.user, self.feedback.agency_id):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not feedback_can_answer(request.user, self.feedback.agency_id):
            raise PermissionDenied
        if request.POST.get("action") == "nonconformity":
            try:
                nc = feedback_raise_nonconformity(feedback=self.feedback, user=request.user)
            except (ValidationError, PermissionDenied) as error:
                text = (
                    error.messages[0]
                    if isinstance(error, ValidationError)
                    else (
                        str(error) or "Bạn không có quyền lập phiếu không phù hợp của cơ quan này."
                    )
                )
                messages.error(request, text)
                return HttpResponseRedirect(request.path)
            messages.success(request, f"Đã lập phiếu không phù hợp {nc.code} từ ý kiến này.")
            return HttpResponseRedirect(reverse("iso_quality_nc", args=[nc.pk]))
        try:
            feedback_answer(
                feedback=self.feedback,
                user=request.user,
                answer=request.POST.get("answer", ""),
                status=request.POST.get("status", ""),
                publishable=request.POST.get("publishable") == "1",
            )
        except ValidationError as error:
            self.errors = error.message_dict
            messages.error(request, "Chưa lưu được: vui lòng sửa các lỗi bên dưới.")
            return self.get(request, *args, **kwargs)
        messages.success(request, "Đã lưu câu trả lời và tình trạng.")
        return HttpResponseRedirect(request.path)

    def get_context_data(self, **kwargs):
        posted = self.request.method == "POST"
        history = list(
            self.feedback.history.select_related("history_user").order_by("-history_date")[:50]
        )
        return super().get_context_data(
            agency=self.feedback.agency,
            feedback=self.feedback,
            due=feedback_due(self.feedback),
            can_answer=feedback_can_answer(self.request.user, self.feedback.agency_id),
            statuses=FeedbackStatus.choices,
            errors=getattr(self, "errors", {}),
            answer=self.request.POST.get("answer", "") if posted else self.feedback.answer,
            status=self.request.POST.get("status", "") if posted else self.feedback.status,
            publishable=(
                self.request.POST.get("publishable") == "1" if posted else self.feedback.publishable
            ),
            history=history,
            kinds=dict(FeedbackKind.choices),
            status_labels=dict(FeedbackStatus.choices),
            **kwargs,
        )


class ApprovalView(TitledAdminMixin, TemplateView):
    """«Xem và phê duyệt»: one step awaiting the user, with Wagtail's approve and request-changes
    actions on the same screen; afterwards, what the action did. Only who may take the step (or
    took it) reaches it: anyone else is refused by approval_screen."""

    template_name = "workspace/approval.html"
    header_icon = "check"

    def dispatch(self, request, page_id: int):
        from wagtail.models import Page

        from .approval import approval_screen

        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            raise Http404
        self.screen = approval_screen(page=page.specific, user=request.user)
        return super().dispatch(request)

    def get_page_title(self):
        return f"Xem và phê duyệt: {self.screen.page.title}"

    def get_context_data(self, **kwargs):
        from .approval import ApprovalStep

        return super().get_context_data(
            step=self.screen if isinstance(self.screen, ApprovalStep) else None,
            done=None if isinstance(self.screen, ApprovalStep) else self.screen,
            page=self.screen.page,
            back_url=self.request.path,
            workspace_url=reverse("wagtailadmin_home") + "#viec-can-lam",
            **kwargs,
        )
