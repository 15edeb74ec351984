"""Admin integration: a search of forms, procedures and the reader's own private documents."""

from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import admin_search_view


@hooks.register("register_admin_urls")
def register_search_urls():
    return [path("tim-kiem-iso/", admin_search_view, name="iso_search")]


@hooks.register("register_admin_menu_item")
def register_search_menu_item():
    return MenuItem(
        "Tìm biểu mẫu, tài liệu",
        reverse("iso_search"),
        icon_name="search",
        order=150,
    )
