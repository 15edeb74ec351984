"""Admin views: an agency's administrators manage the agency's users (workflows.agency_users)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import FormView, TemplateView, View

from content_types.agency import AgencyPage
from workflows.admin_page import TitledAdminMixin

from .agency_users import (
    admin_may_manage,
    agencies_administered_by,
    agency_members,
    agency_user_create,
    agency_user_unlock,
    agency_user_update,
    is_manageable_member,
    member_roles,
)
from .forms import AgencyUserForm


class _AgencyScoped:
    """Resolves the agency from the URL; refuses anyone who may not manage its users."""

    def dispatch(self, request, agency_id: int, *args, **kwargs):
        self.agency = get_object_or_404(AgencyPage, pk=agency_id)
        if not admin_may_manage(request.user, self.agency):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AgencyUsersChooseView(TitledAdminMixin, TemplateView):
    """The menu's entry: straight to the agency's users when the user administers one."""

    template_name = "workflows/agency_users.html"
    page_title = "Người dùng của cơ quan"
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.agencies = agencies_administered_by(request.user)
        if not self.agencies.exists():
            raise PermissionDenied
        if self.agencies.count() == 1:
            return HttpResponseRedirect(reverse("iso_agency_users", args=[self.agencies.get().pk]))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(agency=None, agencies=self.agencies, **kwargs)


class AgencyUsersView(_AgencyScoped, TitledAdminMixin, TemplateView):
    template_name = "workflows/agency_users.html"
    header_icon = "group"

    def get_page_title(self):
        return f"Người dùng: {self.agency.title}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            agency=self.agency, members=agency_members(self.agency), **kwargs
        )


class _AgencyUserFormView(_AgencyScoped, TitledAdminMixin, FormView):
    form_class = AgencyUserForm
    template_name = "wagtailadmin/generic/form.html"
    header_icon = "user"
    editing = None

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "editing": self.editing,
            "acting_user": self.request.user,
        }

    def form_invalid(self, form):
        messages.error(self.request, "Chưa lưu được: vui lòng sửa các lỗi bên dưới.")
        return super().form_invalid(form)

    def _back(self):
        return HttpResponseRedirect(reverse("iso_agency_users", args=[self.agency.pk]))


class AgencyUserCreateView(_AgencyUserFormView):
    def get_page_title(self):
        return f"Thêm người dùng: {self.agency.title}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("iso_agency_user_create", args=[self.agency.pk]),
            submit_button_label="Thêm người dùng",
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        user = agency_user_create(
            self.agency,
            username=data["username"],
            full_name=data["full_name"],
            email=data["email"],
            password=data["password1"],
            roles=data["roles"],
            by=self.request.user,
        )
        messages.success(self.request, f"Đã thêm người dùng «{user.username}».")
        return self._back()


class AgencyUserEditView(_AgencyUserFormView):
    def dispatch(self, request, agency_id: int, user_id: int, *args, **kwargs):
        self.user_id = user_id
        return super().dispatch(request, agency_id, *args, **kwargs)

    def setup_member(self):
        user = get_object_or_404(get_user_model(), pk=self.user_id)
        if not member_roles(self.agency, user):
            raise Http404  # not a member of this agency: nothing to show
        if not is_manageable_member(self.agency, user):
            # Superusers, province staff and people of several agencies: the province's job.
            raise PermissionDenied
        return user

    def get(self, request, *args, **kwargs):
        self.editing = self.setup_member()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.editing = self.setup_member()
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        user = self.editing
        return {
            "full_name": user.get_full_name(),
            "email": user.email,
            "roles": member_roles(self.agency, user),
            "is_active": user.is_active,
        }

    def get_page_title(self):
        return f"Sửa người dùng «{self.editing.username}»: {self.agency.title}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("iso_agency_user_edit", args=[self.agency.pk, self.editing.pk]),
            submit_button_label="Lưu",
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        agency_user_update(
            self.agency,
            self.editing,
            full_name=data["full_name"],
            email=data["email"],
            roles=data["roles"],
            is_active=data["is_active"],
            password=data.get("password1") or "",
            by=self.request.user,
        )
        messages.success(self.request, f"Đã lưu người dùng «{self.editing.username}».")
        return self._back()


class AgencyUserUnlockView(_AgencyScoped, View):
    """«Mở khóa đăng nhập»: lifts a lockout before its time runs out (POST only)."""

    http_method_names = ["post"]

    def post(self, request, user_id: int):
        user = get_object_or_404(get_user_model(), pk=user_id)
        if not member_roles(self.agency, user):
            raise Http404
        if not is_manageable_member(self.agency, user):
            raise PermissionDenied
        agency_user_unlock(self.agency, user, by=request.user)
        messages.success(request, f"Đã mở khóa đăng nhập cho «{user.username}».")
        return HttpResponseRedirect(reverse("iso_agency_users", args=[self.agency.pk]))
