from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import path, reverse

from wagtail import hooks
from wagtail.admin.menu import MenuItem

from content_types.agency import AgencyPage

from .access import private_pages_hidden_from
from .provisioning import agency_provision
from .versioning import version_record_direct_publish
from .views import AgencyCreateView, user_can_manage_agencies


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("co-quan/them/", AgencyCreateView.as_view(), name="iso_agency_create")]


class _ManageAgenciesMenuItem(MenuItem):
    def is_shown(self, request):
        return user_can_manage_agencies(request.user)


@hooks.register("register_admin_menu_item")
def register_agency_menu_item():
    return _ManageAgenciesMenuItem(
        "Thêm cơ quan, đơn vị", reverse("iso_agency_create"), icon_name="site", order=250
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


@hooks.register("construct_page_chooser_queryset")
def hide_other_agencies_private_pages(pages, request):
    # The chooser lists every page to any admin user; another agency's private quality-system
    # pages must not show even by title.
    hidden = private_pages_hidden_from(request.user)
    return pages if hidden is None else pages.exclude(hidden)


@hooks.register("before_move_page")
def refuse_move_without_right(request, page, destination):
    # Wagtail's move confirmation checks the right only on POST; the GET would show the title.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


@hooks.register("after_publish_page")
def record_direct_publish_approver(request, page):
    version_record_direct_publish(page, user=request.user)
