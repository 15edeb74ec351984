"""Admin URLs and menu items of the catalogue import and the update tasks (imported by
workflows.wagtail_hooks, which Wagtail discovers)."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import (
    CatalogueImportView,
    CataloguePreviewView,
    ProvinceImportView,
    ProvincePreviewView,
    SampleFileView,
    SharedProcessesView,
    UpdateTasksView,
    user_imports_any,
    user_sees_any_tasks,
)


@hooks.register("register_admin_urls")
def register_catalogue_urls():
    return [
        path("danh-muc-tthc/", CatalogueImportView.as_view(), name="iso_catalogue_index"),
        path("danh-muc-tthc/tinh/", ProvinceImportView.as_view(), name="iso_catalogue_province"),
        path(
            "danh-muc-tthc/tinh/xem-truoc/<int:decision_id>/",
            ProvincePreviewView.as_view(),
            name="iso_catalogue_province_preview",
        ),
        path(
            "danh-muc-tthc/tep-mau.<str:kind>",
            SampleFileView.as_view(),
            name="iso_catalogue_sample",
        ),
        path("danh-muc-tthc/<int:agency_id>/", CatalogueImportView.as_view(), name="iso_catalogue"),
        path(
            "danh-muc-tthc/<int:agency_id>/xem-truoc/<int:decision_id>/",
            CataloguePreviewView.as_view(),
            name="iso_catalogue_preview",
        ),
        path(
            "quy-trinh-lien-thong/",
            SharedProcessesView.as_view(),
            name="iso_shared_processes_index",
        ),
        path(
            "quy-trinh-lien-thong/<int:agency_id>/",
            SharedProcessesView.as_view(),
            name="iso_shared_processes",
        ),
        path("viec-cap-nhat-tthc/", UpdateTasksView.as_view(), name="iso_catalogue_tasks_index"),
        path(
            "viec-cap-nhat-tthc/<int:agency_id>/",
            UpdateTasksView.as_view(),
            name="iso_catalogue_tasks",
        ),
    ]


class _ImportMenuItem(MenuItem):
    def is_shown(self, request):
        return user_imports_any(request.user)


class _TasksMenuItem(MenuItem):
    def is_shown(self, request):
        return user_sees_any_tasks(request.user)


@hooks.register("register_admin_menu_item")
def register_catalogue_menu_item():
    return _ImportMenuItem(
        "Nhập danh mục TTHC", reverse("iso_catalogue_index"), icon_name="upload", order=330
    )


@hooks.register("register_admin_menu_item")
def register_tasks_menu_item():
    return _TasksMenuItem(
        "Việc cập nhật thủ tục", reverse("iso_catalogue_tasks_index"), icon_name="date", order=331
    )


@hooks.register("register_admin_menu_item")
def register_shared_processes_menu_item():
    return _TasksMenuItem(
        "Quy trình liên thông",
        reverse("iso_shared_processes_index"),
        icon_name="link",
        order=332,
    )
