"""Admin views for province administrators. Thin: a form, a permission check, a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView, TemplateView

from wagtail.admin.auth import require_admin_access
from wagtail.models import Page

from content_types.agency import AgencyPage
from content_types.portal import PortalHomePage
from content_types.versions import VersionStatus, version_periods
from workflows.admin_page import TitledAdminMixin

from .access import user_sees_every_agency
from .forms import AgencyCreateForm
from .master_list import (
    KIND_LABELS,
    STATUS_LABELS,
    agencies_visible_to,
    master_list_rows,
    master_list_xlsx,
)
from .provisioning import agency_create


def user_can_manage_agencies(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm("content_types.add_agencypage"))


class AgencyCreateView(TitledAdminMixin, FormView):
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


def _versioned_page_for(request, page_id: int) -> Page:
    """The page, if it is versioned and the user may read its history; otherwise refuse."""
    from .versioning import is_versioned

    page = get_object_or_404(Page, pk=page_id).specific
    if not is_versioned(page):
        raise Http404
    if not (
        page.permissions_for_user(request.user).can_edit() or user_sees_every_agency(request.user)
    ):
        raise PermissionDenied
    return page


class VersionHistoryView(TitledAdminMixin, TemplateView):
    """Every issued version of a form or controlled document, with its period in force."""

    template_name = "workflows/version_history.html"
    header_icon = "list-ol"

    def dispatch(self, request, page_id: int, *args, **kwargs):
        self.page = _versioned_page_for(request, page_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Các lần ban hành: {self.page.title}"

    def get_context_data(self, **kwargs):
        periods = version_periods(self.page.pk)
        current = next((p for p in periods if p.status == VersionStatus.CURRENT), None)
        return super().get_context_data(page=self.page, periods=periods, current=current, **kwargs)


class VersionDetailView(VersionHistoryView):
    """One issued version as it was approved; an obsolete one says so and points to the
    current version."""

    template_name = "workflows/version_detail.html"

    def dispatch(self, request, page_id: int, issue_number: int, *args, **kwargs):
        self.issue_number = issue_number
        return super().dispatch(request, page_id, *args, **kwargs)

    def get_page_title(self):
        return f"{self.page.title} — lần ban hành {self.issue_number:02d}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        period = next(
            (p for p in context["periods"] if p.version.issue_number == self.issue_number), None
        )
        if period is None:
            raise Http404
        context.update(period=period, content=period.version.revision.as_object())
        return context


class MasterListView(TitledAdminMixin, TemplateView):
    """Danh mục tài liệu: an agency's controlled documents and forms, filterable, to XLSX."""

    template_name = "workflows/master_list.html"
    header_icon = "list-ul"

    def dispatch(self, request, agency_id: int | None = None, *args, **kwargs):
        visible = agencies_visible_to(request.user)
        if agency_id is None:
            if visible.count() == 1:
                return HttpResponseRedirect(reverse("iso_master_list", args=[visible.get().pk]))
            self.agency = None
            self.agencies = visible
        else:
            self.agency = get_object_or_404(AgencyPage, pk=agency_id)
            if not visible.filter(pk=agency_id).exists():
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        if self.agency is None:
            return "Danh mục tài liệu"
        return f"Danh mục tài liệu: {self.agency.title}"

    def _filters(self) -> dict:
        params = self.request.GET
        status = params.get("tinh_trang") or None
        kind = params.get("loai") or None
        return {
            "status": status if status in STATUS_LABELS else None,
            "kind": kind if kind in KIND_LABELS else None,
            "query": (params.get("q") or "").strip()[:100] or None,
        }

    def get(self, request, *args, **kwargs):
        if self.agency is not None and request.GET.get("xuat") == "xlsx":
            rows = master_list_rows(self.agency, **self._filters())
            response = HttpResponse(
                master_list_xlsx(self.agency, rows),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            name = f"danh-muc-tai-lieu-{self.agency.agency_code}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.agency is None:
            context["agencies"] = self.agencies
            return context
        filters = self._filters()
        context.update(
            agency=self.agency,
            rows=master_list_rows(self.agency, **filters),
            filters=filters,
            status_choices=STATUS_LABELS.items(),
            kind_choices=KIND_LABELS.items(),
            export_query=self.request.GET.urlencode(),
        )
        return context
