"""Wagtail hooks of the quality records (imported by workflows.wagtail_hooks)."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property

from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import new_year as _new_year  # noqa: F401  (year copiers)
from . import objective_items as _objective_items  # noqa: F401  (work sources)
from . import objective_views, review_views, views
from . import review_items as _review_items  # noqa: F401  (registries, publish signals)
from . import review_links as _review_links  # noqa: F401  (review inputs, plan month)
from .dashboard import dashboard_items
from .policy import quality_agencies, user_reads_any_quality


@hooks.register("register_admin_urls")
def register_quality_urls():
    return [
        path("chat-luong/", views.QualityIndexView.as_view(), name="iso_quality_index"),
        path(
            "chat-luong/<int:agency_id>/",
            views.AgencyAuditsView.as_view(),
            name="iso_quality_agency",
        ),
        path(
            "chat-luong/<int:agency_id>/don-vi/",
            views.UnitsView.as_view(),
            name="iso_quality_units",
        ),
        path(
            "chat-luong/<int:agency_id>/phat-hien/",
            views.FindingsView.as_view(),
            name="iso_quality_findings",
        ),
        path(
            "chat-luong/<int:agency_id>/khong-phu-hop/",
            views.NonconformitiesView.as_view(),
            name="iso_quality_ncs",
        ),
        path(
            "chat-luong/<int:agency_id>/khong-phu-hop/them/",
            views.NonconformityCreateView.as_view(),
            name="iso_quality_nc_create",
        ),
        path(
            "chat-luong/<int:agency_id>/hanh-dong/",
            views.ActionsView.as_view(),
            name="iso_quality_actions",
        ),
        path("chat-luong/don-vi/<int:pk>/", views.UnitEditView.as_view(), name="iso_quality_unit"),
        path(
            "chat-luong/chuong-trinh/<int:pk>/",
            views.ProgrammeView.as_view(),
            name="iso_quality_programme",
        ),
        path("chat-luong/ke-hoach/<int:pk>/", views.PlanView.as_view(), name="iso_quality_plan"),
        path("chat-luong/phieu/<int:pk>/", views.RecordView.as_view(), name="iso_quality_record"),
        path(
            "chat-luong/cau-hoi/<int:pk>/",
            views.QuestionView.as_view(),
            name="iso_quality_question",
        ),
        path("chat-luong/bao-cao/<int:pk>/", views.ReportView.as_view(), name="iso_quality_report"),
        path(
            "chat-luong/bao-cao/<int:pk>/docx/",
            views.report_docx_view,
            name="iso_quality_report_docx",
        ),
        path(
            "chat-luong/bao-cao/<int:pk>/pdf/", views.report_pdf_view, name="iso_quality_report_pdf"
        ),
        path(
            "chat-luong/khong-phu-hop/<int:pk>/",
            views.NonconformityView.as_view(),
            name="iso_quality_nc",
        ),
        path(
            "chat-luong/hanh-dong/<int:pk>/", views.ActionView.as_view(), name="iso_quality_action"
        ),
        path(
            "chat-luong/<int:agency_id>/rui-ro-xem-xet/",
            review_views.PlanningView.as_view(),
            name="iso_quality_planning",
        ),
        path(
            "chat-luong/<int:agency_id>/thang-do-rui-ro/",
            review_views.RiskScaleView.as_view(),
            name="iso_quality_risk_scale",
        ),
        path(
            "chat-luong/rui-ro/<int:pk>/",
            review_views.RiskRegisterView.as_view(),
            name="iso_quality_risks",
        ),
        path(
            "chat-luong/xem-xet/<int:pk>/",
            review_views.ReviewView.as_view(),
            name="iso_quality_review",
        ),
        path(
            "chat-luong/xem-xet/<int:pk>/docx/",
            review_views.review_docx_view,
            name="iso_quality_review_docx",
        ),
        path(
            "chat-luong/xem-xet/<int:pk>/pdf/",
            review_views.review_pdf_view,
            name="iso_quality_review_pdf",
        ),
        path(
            "chat-luong/<int:agency_id>/hang-nam/",
            objective_views.YearRecordsView.as_view(),
            name="iso_quality_years",
        ),
        path(
            "chat-luong/muc-tieu/<int:pk>/",
            objective_views.ObjectivesView.as_view(),
            name="iso_objectives",
        ),
        path(
            "chat-luong/ket-qua-do/<int:pk>/tep/",
            objective_views.evidence_file_view,
            name="iso_objective_evidence",
        ),
        path(
            "chat-luong/ke-hoach-duy-tri/<int:pk>/",
            objective_views.MaintenancePlanView.as_view(),
            name="iso_maintenance_plan",
        ),
    ]


class _QualityMenuItem(MenuItem):
    def is_shown(self, request):
        return user_reads_any_quality(request.user)


@hooks.register("register_admin_menu_item")
def register_quality_menu_item():
    return _QualityMenuItem(
        "Đánh giá nội bộ, khắc phục", reverse("iso_quality_index"), icon_name="tasks", order=242
    )


class QualityTodoPanel(Component):
    name = "quality_todo"
    order = 90
    template_name = "quality/dashboard_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        return {"items": dashboard_items(self.user, today=timezone.localdate())}


@hooks.register("construct_homepage_panels")
def add_quality_todo_panel(request, panels):
    panels.append(QualityTodoPanel(request.user))


@hooks.register("after_create_page")
def prefill_review_created_in_the_editor(request, page):
    """Minutes added through Wagtail's own «add page» get their inputs from the records too
    (unless the editor already typed some, or submitted them straight for approval)."""
    from content_types.quality.review import ManagementReviewPage

    from .reviews import management_review_fill

    page = page.specific
    if not isinstance(page, ManagementReviewPage) or page.current_workflow_state is not None:
        return
    if len(page.get_latest_revision_as_object().inputs.all()) == 0:
        management_review_fill(review=page, user=request.user)


class YearRecordsButton(PageMenuItem):
    """On the agency's quality-system section: its yearly records and the new-year copy."""

    label = "Mục tiêu, kế hoạch duy trì, sao chép sang năm mới"
    icon_name = "calendar-alt"

    @cached_property
    def url(self):
        return reverse("iso_quality_years", args=[self.page.get_parent().pk])

    def is_shown(self, user):
        from content_types.indexes import QualitySystemPage

        return (
            self.page.specific_class is QualitySystemPage
            and quality_agencies(user).filter(pk=self.page.get_parent().pk).exists()
        )


@hooks.register("register_page_header_buttons")
def year_records_header_button(page, user, view_name, next_url=None):
    yield YearRecordsButton(page=page, priority=68)
