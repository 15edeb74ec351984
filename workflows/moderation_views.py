"""Admin views of the approval path: resolve a blocked workflow, take back a schedule, request
a withdrawal, and the dashboard panel. Thin: a permission check, a service, a message."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from wagtail.admin.auth import require_admin_access
from wagtail.admin.ui.components import Component
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.models import Page, WorkflowState

from .moderation import rejections_for, step_block, workflow_resolve_cancel
from .versioning import version_schedule_cancel
from .withdrawal import user_can_request_withdrawal, withdrawal_request


def _page_for(request, page_id: int) -> Page:
    page = get_object_or_404(Page, pk=page_id).specific
    if not page.permissions_for_user(request.user).can_edit() and not request.user.is_superuser:
        raise PermissionDenied
    return page


@require_admin_access
@require_POST
def workflow_cancel(request, page_id: int):
    """The agency administrator ends a workflow that nobody may approve."""
    page = get_object_or_404(Page, pk=page_id).specific
    try:
        workflow_resolve_cancel(page=page, user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("wagtailadmin_pages:edit", page.pk)
    messages.success(
        request,
        f"Đã huỷ quy trình phê duyệt của «{page.title}». Nội dung được giữ làm bản nháp; "
        "giao vai trò duyệt cho người khác rồi trình duyệt lại.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


@require_admin_access
@require_POST
def schedule_cancel(request, page_id: int):
    page = get_object_or_404(Page, pk=page_id).specific
    try:
        version_schedule_cancel(page=page, user=request.user)
    except PermissionDenied as error:
        messages.error(request, str(error))
        return redirect("wagtailadmin_pages:edit", page.pk)
    messages.success(
        request,
        f"Đã huỷ lịch hiệu lực của «{page.title}». Sửa «Ngày hiệu lực» rồi trình duyệt lại.",
    )
    return redirect("wagtailadmin_pages:edit", page.pk)


class WithdrawalForm(forms.Form):
    reason = forms.CharField(
        label="Lý do bãi bỏ",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Hãy ghi lý do bãi bỏ."},
    )
    effective_at = forms.DateTimeField(
        label="Ngày bãi bỏ",
        required=False,
        widget=AdminDateTimeInput(),
        help_text="Để trống: bãi bỏ ngay khi lãnh đạo phê duyệt.",
        error_messages={"invalid": "Ngày giờ không hợp lệ."},
    )


class WithdrawalRequestView(WagtailAdminTemplateMixin, FormView):
    """Đề nghị bãi bỏ: the editor asks; the agency's workflow decides."""

    form_class = WithdrawalForm
    template_name = "workflows/withdrawal_request.html"
    header_icon = "warning"

    def get_page_title(self):
        return f"Đề nghị bãi bỏ: {self.page.title}"

    def dispatch(self, request, page_id: int, *args, **kwargs):
        self.page = _page_for(request, page_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=self.page,
            allowed=user_can_request_withdrawal(self.request.user, self.page),
            **kwargs,
        )

    def form_valid(self, form):
        try:
            withdrawal_request(
                page=self.page,
                user=self.request.user,
                reason=form.cleaned_data["reason"],
                effective_at=form.cleaned_data["effective_at"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"Đã gửi đề nghị bãi bỏ «{self.page.title}» để kiểm tra và lãnh đạo phê duyệt.",
        )
        return redirect("wagtailadmin_pages:edit", self.page.pk)

    def form_invalid(self, form):
        messages.error(self.request, "Chưa gửi được đề nghị bãi bỏ: vui lòng sửa các lỗi bên dưới.")
        return super().form_invalid(form)


class ModerationPanel(Component):
    """Dashboard: what came back with a comment, and what nobody may approve."""

    name = "iso_moderation"
    order = 90
    template_name = "workflows/dashboard_panel.html"

    def __init__(self, request):
        self.request = request

    def _blocked(self):
        from content_types.agency import AgencyPage

        from .access import user_agency_ids, user_sees_every_agency

        user = self.request.user
        states = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
        pages = Page.objects.filter(
            pk__in=[int(i) for i in states.values_list("object_id", flat=True)]
        )
        if not user_sees_every_agency(user):
            agencies = AgencyPage.objects.filter(pk__in=user_agency_ids(user))
            if not agencies:
                return []
            scope = Page.objects.none()
            for agency in agencies:
                scope |= Page.objects.descendant_of(agency)
            pages = pages.filter(pk__in=scope.values("pk"))
        blocked = []
        for page in pages.specific()[:200]:
            block = step_block(page)
            if block is not None:
                blocked.append((page, block))
        return blocked

    def get_context_data(self, parent_context=None):
        return {
            "rejections": rejections_for(self.request.user),
            "blocked": self._blocked(),
        }

    def render_html(self, parent_context=None):
        context = self.get_context_data(parent_context)
        if not context["rejections"] and not context["blocked"]:
            return ""
        from django.template.loader import render_to_string

        return render_to_string(self.template_name, context, request=self.request)
