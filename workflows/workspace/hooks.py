"""Wagtail hooks of «Việc cần làm»: the dashboard, the admin URLs and menu items."""

from __future__ import annotations

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import (
    sources,  # noqa: F401  (registers the work sources)
    views,
)
from .reviews import REVIEW_ROLES
from .roles import HANDLERS, agencies_with_role, user_roles

# Panels agency staff keep beside «Việc cần làm»: the approval path's notices (issue 10).
KEPT_PANELS = frozenset({"iso_moderation"})


@hooks.register("construct_homepage_panels", order=1000)  # after every other app's panels
def workspace_first(request, panels):
    from ..access import user_sees_every_agency
    from ..oversight.access import user_is_province_admin

    user = request.user
    if user_sees_every_agency(user):
        # Province auditors read every agency too, but the rollup is the administrators'.
        if user_is_province_admin(user):
            panels.insert(0, views.ProvinceLinkPanel())
        return
    if not user_roles(user):
        return
    kept = [panel for panel in panels if getattr(panel, "name", "") in KEPT_PANELS]
    panels[:] = [views.WorkspacePanel(request), *kept]


@hooks.register("register_admin_urls")
def register_workspace_urls():
    return [
        path(
            "ra-soat-tai-lieu/", views.AgencyChoiceView.as_view(), name="iso_document_reviews_index"
        ),
        path(
            "ra-soat-tai-lieu/co-quan/<int:agency_id>/",
            views.DocumentReviewsView.as_view(),
            name="iso_document_reviews",
        ),
        path(
            "ra-soat-tai-lieu/<int:page_id>/",
            views.DocumentReviewView.as_view(),
            name="iso_document_review",
        ),
        path("y-kien-nguoi-dan/", views.FeedbackChoiceView.as_view(), name="iso_feedback_index"),
        path(
            "y-kien-nguoi-dan/co-quan/<int:agency_id>/",
            views.FeedbackListView.as_view(),
            name="iso_feedback_list",
        ),
        path("y-kien-nguoi-dan/<int:pk>/", views.FeedbackView.as_view(), name="iso_feedback"),
        path("phe-duyet/<int:page_id>/", views.ApprovalView.as_view(), name="iso_approval"),
    ]


class _RoleMenuItem(MenuItem):
    def __init__(self, *args, roles, **kwargs):
        self.roles = roles
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.is_superuser or bool(agencies_with_role(request.user, self.roles))


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return _RoleMenuItem(
        "Rà soát tài liệu định kỳ",
        reverse("iso_document_reviews_index"),
        icon_name="history",
        order=241,
        roles=REVIEW_ROLES,
    )


@hooks.register("register_admin_menu_item")
def register_feedback_menu_item():
    return _RoleMenuItem(
        "Ý kiến của người dân",
        reverse("iso_feedback_index"),
        icon_name="mail",
        order=243,
        roles=HANDLERS,
    )
