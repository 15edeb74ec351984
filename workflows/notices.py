"""What the editor view says at its top about the page's approval: why it waits, who can act,
what was asked for, why it is locked. Shown through Django messages by a `before_edit_page` hook
(workflows.wagtail_hooks), so every page type gets them."""

from __future__ import annotations

from dataclasses import dataclass

from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from wagtail.models import Page

from .moderation import (
    agency_of_page,
    person_name,
    rejection_latest,
    step_block,
    step_members,
    task_step_name,
    user_can_resolve_block,
    workflow_writers,
)
from .versioning import user_can_cancel_schedule
from .withdrawal import withdrawal_pending

WARNING, ERROR, INFO = "warning", "error", "info"


@dataclass(frozen=True)
class Notice:
    level: str
    html: SafeString


def _when(value) -> str:
    return timezone.localtime(value).strftime("%H:%M ngày %d/%m/%Y") if value else ""


def _names(users) -> SafeString:
    names = [person_name(u) for u in users]
    return format_html_join(", ", "<strong>{}</strong>", ((n,) for n in names)) or format_html(
        "<em>chưa có ai</em>"
    )


def _post_button(request, url: str, label: str) -> SafeString:
    return format_html(
        '<form method="post" action="{}" style="display:inline">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<button type="submit" class="button button-small button-secondary w-ml-2">{}</button>'
        "</form>",
        url,
        get_token(request),
        label,
    )


def rejection_notice(page: Page) -> Notice | None:
    rejection = rejection_latest(page)
    if rejection is None:
        return None
    return Notice(
        WARNING,
        format_html(
            "<strong>{}</strong> ({}) đã yêu cầu chỉnh sửa ở bước «{}» lúc {}: «{}» — "
            "sửa nội dung rồi bấm «Trình duyệt» để gửi lại.",
            rejection.by_name,
            rejection.by_role or "người duyệt",
            rejection.step_name,
            _when(rejection.at),
            rejection.comment or "không có ý kiến",
        ),
    )


def withdrawal_notice(page: Page) -> Notice | None:
    request = withdrawal_pending(page)
    if request is None:
        return None
    when = (
        f"từ {_when(request.effective_at)}" if request.effective_at else "ngay khi được phê duyệt"
    )
    return Notice(
        WARNING,
        format_html(
            "Đây là <strong>đề nghị bãi bỏ</strong> của {} ({}): lý do «{}»; bãi bỏ {}. "
            "Khi lãnh đạo phê duyệt, trang không còn trên cổng công khai, tìm kiếm và API; "
            "cán bộ vẫn xem được trang và lịch sử của nó.",
            person_name(request.requested_by),
            _when(request.requested_at),
            request.reason,
            when,
        ),
    )


def block_notice(page: Page, user, request) -> Notice | None:
    block = step_block(page)
    if block is None:
        return None
    html = format_html(
        "Không ai được duyệt bước «{}»: mọi thành viên của bước này ({}) đã viết hoặc trình "
        "nội dung đang chờ duyệt, mà không ai được tự duyệt nội dung của mình. "
        "Quản trị cơ quan ({}) có thể huỷ quy trình, hoặc giao vai trò «{}» cho người khác "
        "trong «Người dùng của cơ quan» để người đó duyệt.",
        block.step_name,
        _names(block.excluded),
        _names(block.administrators),
        block.step_name,
    )
    if user_can_resolve_block(user, page):
        html += _post_button(
            request, reverse("iso_workflow_cancel", args=[page.pk]), "Huỷ quy trình phê duyệt"
        )
        agency = agency_of_page(page)
        if agency is not None:
            html += format_html(
                ' <a class="button button-small button-secondary" href="{}">Giao vai trò cho '
                "người khác</a>",
                reverse("iso_agency_users", args=[agency.pk]),
            )
    return Notice(ERROR, html)


def own_submission_notice(page: Page, user) -> Notice | None:
    """A writer who is also in the step's group: say why the approve button is missing and who
    will act instead."""
    state = page.current_workflow_state
    if state is None or state.status != state.STATUS_IN_PROGRESS or not state.current_task_state:
        return None
    task_state = state.current_task_state
    members = list(step_members(task_state))
    if user.pk not in {m.pk for m in members}:
        return None
    writers = workflow_writers(state)
    if user.pk not in writers:
        return None
    others = [m for m in members if m.pk not in writers]
    if not others:
        return None  # said by block_notice
    return Notice(
        INFO,
        format_html(
            "Bạn đã viết hoặc trình nội dung này nên không duyệt bước «{}». "
            "Người có thể duyệt: {}.",
            task_step_name(task_state),
            _names(others),
        ),
    )


def schedule_notice(page: Page, user, request) -> Notice | None:
    revision = page.scheduled_revision
    if revision is None:
        return None
    html = format_html(
        "Lần ban hành mới đã được phê duyệt và có hiệu lực lúc <strong>{}</strong>. Trong thời "
        "gian chờ, trang bị khoá để nội dung đã duyệt không bị sửa. Muốn đổi ngày hiệu lực: "
        "lãnh đạo hoặc quản trị cơ quan bấm «Huỷ lịch hiệu lực»; nội dung trở thành bản nháp, "
        "biên tập viên sửa «Ngày hiệu lực» rồi trình duyệt lại.",
        _when(revision.approved_go_live_at),
    )
    if user_can_cancel_schedule(user, page):
        html += _post_button(
            request, reverse("iso_schedule_cancel", args=[page.pk]), "Huỷ lịch hiệu lực"
        )
    return Notice(INFO, html)


def edit_view_notices(*, page: Page, user, request) -> list[Notice]:
    page = page.specific
    candidates = [
        withdrawal_notice(page),
        rejection_notice(page),
        block_notice(page, user, request),
        own_submission_notice(page, user),
        schedule_notice(page, user, request),
    ]
    return [notice for notice in candidates if notice is not None]
