"""Admin URLs and menu items of province oversight (imported by workflows.wagtail_hooks)."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .access import user_imports_any, user_is_province_admin, user_manages_any_token
from .report_views import (
    ProvinceReportsView,
    YearlyReportsView,
    YearlyReportView,
    yearly_report_export_view,
)
from .views import (
    AgencyRecordView,
    DossierBatchView,
    DossierImportCommitView,
    DossierImportView,
    ProvinceDashboardView,
    PushTokenView,
)


@hooks.register("register_admin_urls")
def register_oversight_urls():
    return [
        path("tong-hop-tinh/", ProvinceDashboardView.as_view(), name="iso_province_dashboard"),
        path(
            "tong-hop-tinh/co-quan/<int:agency_id>/",
            AgencyRecordView.as_view(),
            name="iso_agency_record",
        ),
        path("so-lieu-ho-so/", DossierImportView.as_view(), name="iso_dossier_import"),
        path(
            "so-lieu-ho-so/<int:batch_id>/ghi/",
            DossierImportCommitView.as_view(),
            name="iso_dossier_import_commit",
        ),
        path(
            "so-lieu-ho-so/lan-nhap/<int:batch_id>/",
            DossierBatchView.as_view(),
            name="iso_dossier_batch",
        ),
        path("so-lieu-ho-so/ma-truy-cap/", PushTokenView.as_view(), name="iso_push_tokens"),
        path("bao-cao-nam/", YearlyReportsView.as_view(), name="iso_yearly_reports"),
        path("bao-cao-nam/<int:pk>/", YearlyReportView.as_view(), name="iso_yearly_report"),
        *[
            path(
                f"bao-cao-nam/<int:pk>/{fmt}/",
                yearly_report_export_view,
                {"fmt": fmt},
                name=f"iso_yearly_report_{fmt}",
            )
            for fmt in ("docx", "pdf", "xlsx")
        ],
        path(
            "tong-hop-tinh/bao-cao-nam/",
            ProvinceReportsView.as_view(),
            name="iso_province_reports",
        ),
    ]


class _ProvinceMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_province_admin(request.user)


class _DossierMenuItem(MenuItem):
    def is_shown(self, request):
        return user_imports_any(request.user)


class _TokenMenuItem(MenuItem):
    def is_shown(self, request):
        return user_manages_any_token(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return _ProvinceMenuItem(
        "Tổng hợp cấp tỉnh", reverse("iso_province_dashboard"), icon_name="table", order=230
    )


class _ReportMenuItem(MenuItem):
    def is_shown(self, request):
        from ..quality.policy import user_reads_any_quality

        return not user_is_province_admin(request.user) and user_reads_any_quality(request.user)


@hooks.register("register_admin_menu_item")
def register_yearly_report_menu_item():
    return _ReportMenuItem(
        "Báo cáo năm HTQLCL", reverse("iso_yearly_reports"), icon_name="doc-full", order=232
    )


@hooks.register("register_admin_menu_item")
def register_province_reports_menu_item():
    return _ProvinceMenuItem(
        "Báo cáo năm của các cơ quan",
        reverse("iso_province_reports"),
        icon_name="doc-full",
        order=231,
    )


@hooks.register("register_log_actions")
def register_yearly_report_log_actions(actions):
    actions.register_action(
        "iso.yearly_report.submit", "Nộp báo cáo năm", "Đã nộp báo cáo năm cho Sở KH&CN"
    )


@hooks.register("register_admin_menu_item")
def register_dossier_menu_item():
    return _DossierMenuItem(
        "Số liệu hồ sơ một cửa", reverse("iso_dossier_import"), icon_name="upload", order=235
    )


@hooks.register("register_admin_menu_item")
def register_token_menu_item():
    return _TokenMenuItem(
        "Mã đẩy số liệu hồ sơ", reverse("iso_push_tokens"), icon_name="key", order=236
    )
