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
from wagtail.admin.views.home import WorkflowObjectsToModeratePanel
from wagtail.admin.widgets import AdminDateTimeInput
from wagtail.models import Page, Task, WorkflowState

from workflows.admin_page import TitledAdminMixin

from .moderation import pages_blocked, rejections_for, workflow_resolve_cancel
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


class WithdrawalRequestView(TitledAdminMixin, FormView):
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
        from .access import pages_in_own_agencies

        user = self.request.user
        states = WorkflowState.objects.filter(status=WorkflowState.STATUS_IN_PROGRESS)
        ids = [int(i) for i in states.values_list("object_id", flat=True)]
        pages = pages_in_own_agencies(user, Page.objects.filter(pk__in=ids))
        return pages_blocked(pages.order_by("path")[:200])

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


class AwaitingReviewPanel(WorkflowObjectsToModeratePanel):
    """Wagtail's «Chờ bạn duyệt» panel, its items' steps and workflow states read for all items
    at once (Wagtail asks them item by item: a few queries per awaiting item). The rows are the
    ones Wagtail's template expects (wagtail/admin/views/home.py)."""

    def get_context_data(self, parent_context):
        from django.conf import settings

        from wagtail.models import Revision

        from .models import task_states_reviewable_by
        from .moderation import workflow_tasks_with_status_many

        request = parent_context["request"]
        context = Component.get_context_data(self, parent_context)
        context.update(states=[], request=request, csrf_token=parent_context["csrf_token"])
        if not getattr(settings, "WAGTAIL_WORKFLOW_ENABLED", True):
            return context
        states = [
            state
            for state in task_states_reviewable_by(request.user)
            .select_related("revision", "revision__user", "workflow_state", "task")
            .prefetch_related(
                "revision__content_object", "revision__content_object__latest_revision"
            )
            .order_by("-started_at")
            .annotate(previous_revision_id=Revision.objects.previous_revision_id_subquery())
            if state.revision.content_object
        ]
        tasks = {state.task_id: state.task for state in states}
        specific = {task.pk: task for task in Task.objects.filter(pk__in=tasks).specific()}
        statuses = workflow_tasks_with_status_many([state.workflow_state for state in states])
        for state in states:
            obj = state.revision.content_object
            workflow_state = state.workflow_state
            if workflow_state.current_task_state_id == state.pk:
                workflow_state.current_task_state = state
                obj._current_workflow_states = [workflow_state]  # Wagtail's prefetch slot
            urls = {
                "workflow_action_url_name": "wagtailadmin_pages:workflow_action",
                "workflow_preview_url_name": "wagtailadmin_pages:workflow_preview",
                "revisions_compare_url_name": "wagtailadmin_pages:revisions_compare",
            }
            if not isinstance(obj, Page):
                viewset = obj.snippet_viewset
                urls = {key: viewset.get_url_name(key[:-9]) for key in urls}
            if not getattr(obj, "is_previewable", False):
                urls["workflow_preview_url_name"] = None
            context["states"].append(
                {
                    "obj": obj,
                    "revision": state.revision,
                    "previous_revision_id": state.previous_revision_id,
                    "live_revision_id": obj.live_revision_id,
                    "task_state": state,
                    "actions": specific[state.task_id].get_actions(obj, request.user),
                    "workflow_tasks": statuses[workflow_state.pk],
                    **urls,
                }
            )
        return context
