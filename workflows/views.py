"""Admin views for province administrators. Thin: a form, a permission check, a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView

from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import Page

from content_types.portal import PortalHomePage

from .forms import AgencyCreateForm
from .provisioning import agency_create


def user_can_manage_agencies(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("content_types.add_agencypage"))


class AgencyCreateView(WagtailAdminTemplateMixin, FormView):
    form_class = AgencyCreateForm
    template_name = "wagtailadmin/generic/form.html"
    page_title = "Thêm cơ quan, đơn vị"
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not user_can_manage_agencies(request.user):
            raise PermissionDenied
        self.home = PortalHomePage.objects.first()
        if self.home is None:
            messages.error(request, "Chưa có trang chủ cổng tỉnh: hãy tạo trang chủ trước.")
            return HttpResponseRedirect(reverse("wagtailadmin_home"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("iso_agency_create"),
            submit_button_label="Tạo cơ quan",
            submit_button_active_label="Đang tạo…",
            **kwargs,
        )

    def form_valid(self, form):
        agency = agency_create(parent=self.home, user=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            f"Đã tạo cơ quan «{agency.title}» cùng các nhóm người dùng, thư mục tài liệu "
            "và quy trình phê duyệt.",
        )
        return HttpResponseRedirect(reverse("wagtailadmin_explore", args=[agency.pk]))

    def form_invalid(self, form):
        messages.error(self.request, "Chưa tạo được cơ quan: vui lòng sửa các lỗi bên dưới.")
        return super().form_invalid(form)


def _wagtail_page_view(name: str):
    from wagtail.admin.urls.pages import urlpatterns

    return next(p.callback for p in urlpatterns if getattr(p, "name", None) == name)


@require_admin_access
def confirm_workflow_cancellation(request, page_id: int):
    """Wagtail's dialog shows the workflow and step names of any page to any admin user; only
    someone who may edit the page should see it."""
    page = get_object_or_404(Page, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    return _wagtail_page_view("confirm_workflow_cancellation")(request, page_id=page_id)
