from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem

from content_types.agency import AgencyPage

from . import isolation_hooks  # noqa: F401  (registers the isolation hooks)
from .agency_users import user_administers_any
from .document_access import file_verdict
from .oversight import hooks as _oversight_hooks  # noqa: F401  (its URLs and menu items)
from .provisioning import agency_provision
from .quality import hooks as quality_hooks  # noqa: F401  (registers the quality admin)
from .user_views import (
    AgencyUserCreateView,
    AgencyUserEditView,
    AgencyUsersChooseView,
    AgencyUsersView,
    AgencyUserUnlockView,
)
from .versioning import is_versioned, version_record_direct_publish
from .views import (
    AgencyCreateView,
    MasterListView,
    VersionDetailView,
    VersionHistoryView,
    user_can_manage_agencies,
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("co-quan/them/", AgencyCreateView.as_view(), name="iso_agency_create"),
        path("danh-muc-tai-lieu/", MasterListView.as_view(), name="iso_master_list_index"),
        path(
            "danh-muc-tai-lieu/<int:agency_id>/",
            MasterListView.as_view(),
            name="iso_master_list",
        ),
        path(
            "lan-ban-hanh/<int:page_id>/",
            VersionHistoryView.as_view(),
            name="iso_version_history",
        ),
        path(
            "lan-ban-hanh/<int:page_id>/<int:issue_number>/",
            VersionDetailView.as_view(),
            name="iso_version_detail",
        ),
        path("nguoi-dung-co-quan/", AgencyUsersChooseView.as_view(), name="iso_agency_users_index"),
        path(
            "nguoi-dung-co-quan/<int:agency_id>/",
            AgencyUsersView.as_view(),
            name="iso_agency_users",
        ),
        path(
            "nguoi-dung-co-quan/<int:agency_id>/them/",
            AgencyUserCreateView.as_view(),
            name="iso_agency_user_create",
        ),
        path(
            "nguoi-dung-co-quan/<int:agency_id>/<int:user_id>/",
            AgencyUserEditView.as_view(),
            name="iso_agency_user_edit",
        ),
        path(
            "nguoi-dung-co-quan/<int:agency_id>/<int:user_id>/mo-khoa/",
            AgencyUserUnlockView.as_view(),
            name="iso_agency_user_unlock",
        ),
    ]


class VersionHistoryButton(PageMenuItem):
    label = "Các lần ban hành"
    icon_name = "list-ol"
    url_name = "iso_version_history"

    def is_shown(self, user):
        # Wagtail's can_view_revisions() is true for everyone: ask for the right to edit.
        return is_versioned(self.page.specific) and self.page.permissions_for_user(user).can_edit()


@hooks.register("register_page_header_buttons")
def version_history_header_button(page, user, view_name, next_url=None):
    yield VersionHistoryButton(page=page, priority=66)


@hooks.register("register_page_listing_more_buttons")
def version_history_listing_button(page, user, next_url=None):
    yield VersionHistoryButton(page=page, priority=66)


class _ManageAgenciesMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_manage_agencies(request.user)


@hooks.register("register_admin_menu_item")
def register_agency_menu_item():
    return _ManageAgenciesMenuItem(
        "Thêm cơ quan, đơn vị", reverse("iso_agency_create"), icon_name="site", order=250
    )


class _AgencyUsersMenuItem(MenuItem):
    def is_shown(self, request):
        return user_administers_any(request.user)


@hooks.register("register_admin_menu_item")
def register_agency_users_menu_item():
    return _AgencyUsersMenuItem(
        "Người dùng của cơ quan", reverse("iso_agency_users_index"), icon_name="group", order=245
    )


@hooks.register("register_admin_menu_item")
def register_master_list_menu_item():
    return MenuItem(
        "Danh mục tài liệu", reverse("iso_master_list_index"), icon_name="list-ul", order=240
    )


@hooks.register("after_create_page")
def provision_new_agency(request, page):
    if isinstance(page.specific, AgencyPage):
        agency_provision(page.specific)


@hooks.register("before_copy_page")
def refuse_agency_copy(request, page):
    # An agency is unique (its code, groups, workflow): copying one would make a second of it.
    if isinstance(page.specific, AgencyPage):
        messages.error(request, "Không thể sao chép một cơ quan. Hãy dùng «Thêm cơ quan, đơn vị».")
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None


@hooks.register("before_move_page")
def refuse_move_without_right(request, page, destination):
    # Wagtail's move confirmation checks the right only on POST; the GET would show the title.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("after_publish_page")
def record_direct_publish_approver(request, page):
    version_record_direct_publish(page, user=request.user)


@hooks.register("before_serve_document")
def serve_controlled_file(document, request):
    verdict = file_verdict(document, request.user)
    if not verdict.allowed and verdict.replaced_on is not None:
        from themes.views import obsolete_file_page  # an old link to a replaced form

        return obsolete_file_page(request, page=verdict.replaced_on)
    if not verdict.allowed:
        raise PermissionDenied
    if verdict.superseded_on is None:
        return None  # Wagtail serves it, as an attachment
    if document.file_extension.lower() != "pdf":
        return None  # staff only (checked above); other formats cannot carry the stamp
    from .stamping import StampError, pdf_stamp_obsolete

    with document.open_file() as handle:
        original = handle.read()
    try:
        stamped = pdf_stamp_obsolete(original, superseded_on=verdict.superseded_on)
    except StampError as error:
        # Never hand out an obsolete PDF unmarked.
        return HttpResponse(str(error), status=409, content_type="text/plain; charset=utf-8")
    response = HttpResponse(stamped, content_type="application/pdf")
    name = quote(f"HET-HIEU-LUC-{document.filename}")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    response["Cache-Control"] = "private, no-store"
    return response


# --- approval path: notices, blocked workflows, schedules, withdrawal (workflows.moderation) --


@hooks.register("register_admin_urls")
def register_moderation_urls():
    from .moderation_views import WithdrawalRequestView, schedule_cancel, workflow_cancel

    return [
        path("quy-trinh/<int:page_id>/huy/", workflow_cancel, name="iso_workflow_cancel"),
        path("lich-hieu-luc/<int:page_id>/huy/", schedule_cancel, name="iso_schedule_cancel"),
        path(
            "bai-bo/<int:page_id>/",
            WithdrawalRequestView.as_view(),
            name="iso_withdrawal_request",
        ),
    ]


@hooks.register("before_edit_page")
def approval_notices(request, page):
    if request.method != "GET":
        return None
    from .notices import edit_view_notices

    for notice in edit_view_notices(page=page, user=request.user, request=request):
        getattr(messages, notice.level)(request, notice.html)
    return None


@hooks.register("construct_homepage_panels")
def moderation_dashboard_panel(request, panels):
    from wagtail.admin.views.home import WorkflowObjectsToModeratePanel

    from .moderation_views import AwaitingReviewPanel, ModerationPanel

    panels.append(ModerationPanel(request))
    for index, panel in enumerate(panels):
        if type(panel) is WorkflowObjectsToModeratePanel:
            panels[index] = AwaitingReviewPanel()  # the same panel, its items read at once


class WithdrawalButton(PageMenuItem):
    label = "Đề nghị bãi bỏ"
    icon_name = "warning"
    url_name = "iso_withdrawal_request"

    def is_shown(self, user):
        from .withdrawal import user_can_request_withdrawal

        return user_can_request_withdrawal(user, self.page.specific)


@hooks.register("register_page_header_buttons")
def withdrawal_header_button(page, user, view_name, next_url=None):
    yield WithdrawalButton(page=page, priority=67)


@hooks.register("register_log_actions")
def register_approval_log_actions(actions):
    actions.register_action("iso.withdrawal.request", "Đề nghị bãi bỏ", "Đã đề nghị bãi bỏ")
    actions.register_action("iso.withdrawal.approve", "Phê duyệt bãi bỏ", "Đã phê duyệt bãi bỏ")
    actions.register_action("iso.schedule.cancel", "Huỷ lịch hiệu lực", "Đã huỷ lịch hiệu lực")


from .catalogue import wagtail_hooks as _catalogue_hooks  # noqa: E402, F401  (its own hooks)
from .workspace import hooks as _workspace_hooks  # noqa: E402, F401  («Việc cần làm»)
