from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .cache import mark_cacheable
from .guide import guide_index_view, guide_role_view

# Menu entries these roles never use (no page here takes an image) or that lead off the network.
HIDDEN_MAIN_MENU_ITEMS = {"images"}
HIDDEN_HELP_MENU_PREFIXES = ("whats-new-in-wagtail", "editor-guide")


@hooks.register("before_serve_page")
def mark_served_page_cacheable(page, request, serve_args, serve_kwargs):
    # Wagtail serves this page to this request; PublicCacheMiddleware decides whether to keep it.
    mark_cacheable(request)
    from .skeleton import site_skeleton

    request.iso_private_paths = site_skeleton(request).private_paths


@hooks.register("register_admin_urls")
def register_guide_urls():
    return [
        path("huong-dan/", guide_index_view, name="iso_guide_index"),
        path("huong-dan/<slug:slug>/", guide_role_view, name="iso_guide_role"),
    ]


@hooks.register("register_help_menu_item")
def register_guide_menu_item():
    return MenuItem(
        "Hướng dẫn sử dụng",
        reverse("iso_guide_index"),
        icon_name="help",
        order=900,
        name="iso-guide",
    )


@hooks.register("construct_help_menu")
def keep_local_help(request, menu_items):
    menu_items[:] = [
        item for item in menu_items if not item.name.startswith(HIDDEN_HELP_MENU_PREFIXES)
    ]


@hooks.register("construct_main_menu")
def hide_unused_menu_items(request, menu_items):
    menu_items[:] = [item for item in menu_items if item.name not in HIDDEN_MAIN_MENU_ITEMS]


# Late, after wagtail.images has added its own.
@hooks.register("construct_homepage_summary_items", order=1000)
def hide_unused_summary_items(request, items):
    from wagtail.images.wagtail_hooks import ImagesSummaryItem

    items[:] = [item for item in items if not isinstance(item, ImagesSummaryItem)]
