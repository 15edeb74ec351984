"""Admin screens: import an announcing decision (upload → preview → drafts), export, and the
update tasks. Editors and agency administrators reach only their own agency; province
administrators reach every agency."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from content_types.agency import AgencyPage, AgencyRole
from content_types.catalogue import CatalogueDecision, TaskStatus
from workflows.admin_page import TitledAdminMixin

from ..access import (
    agencies_among,
    agency_ids_with_roles,
    any_agency_among,
    user_agency_ids,
    user_in_group,
    user_sees_every_agency,
)
from ..provisioning import PROVINCE_ADMINS
from .deadlines import tasks_for
from .export import (
    SAMPLE_NAME,
    catalogue_export_json,
    catalogue_export_xlsx,
    sample_decision_json,
    sample_decision_xlsx,
)
from .reading import MAX_FILE_BYTES, CatalogueFileError
from .services import catalogue_apply, catalogue_plan, catalogue_upload

IMPORT_ROLES = (AgencyRole.EDITORS, AgencyRole.ADMINISTRATORS)
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def user_is_province_admin(user) -> bool:
    return user.is_superuser or user_in_group(user, PROVINCE_ADMINS)


def _importable_ids(user) -> set[int] | None:
    return None if user_is_province_admin(user) else agency_ids_with_roles(user, IMPORT_ROLES)


def agencies_importable_by(user):
    return agencies_among(_importable_ids(user))


def user_imports_any(user) -> bool:
    """Whether `agencies_importable_by(user)` has any (the menu's question, no query)."""
    return any_agency_among(user, _importable_ids(user))


def _task_agency_ids(user) -> set[int] | None:
    return None if user_sees_every_agency(user) else user_agency_ids(user)


def agencies_with_tasks_visible_to(user):
    return agencies_among(_task_agency_ids(user))


def user_sees_any_tasks(user) -> bool:
    return any_agency_among(user, _task_agency_ids(user))


class DecisionForm(forms.Form):
    number = forms.CharField(
        label="Số quyết định công bố",
        max_length=100,
        help_text="Ví dụ: 1234/QĐ-UBND.",
        error_messages={"required": "Nhập số quyết định công bố."},
    )
    effective_date = forms.DateField(
        label="Ngày có hiệu lực",
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Nhập ngày quyết định có hiệu lực.",
            "invalid": "Ngày không hợp lệ (dd/mm/yyyy).",
        },
    )
    file = forms.FileField(
        label="Tệp danh mục (XLSX, CSV hoặc JSON)",
        error_messages={"required": "Chọn tệp danh mục.", "empty": "Tệp rỗng."},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                f"Tệp nặng {upload.size:,} byte, quá giới hạn {MAX_FILE_BYTES:,} byte."
            )
        return upload


class _AgencyView(TitledAdminMixin, TemplateView):
    header_icon = "list-ul"
    chooser_title = ""

    def agencies(self):
        return agencies_importable_by(self.request.user)

    def dispatch(self, request, agency_id: int | None = None, *args, **kwargs):
        visible = self.agencies()
        if agency_id is None:
            if visible.count() == 1:
                return HttpResponseRedirect(reverse(self.url_name, args=[visible.get().pk]))
            self.agency = None
            self.agency_choices = visible
        else:
            self.agency = get_object_or_404(AgencyPage, pk=agency_id)
            if not visible.filter(pk=agency_id).exists():
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CatalogueImportView(_AgencyView):
    template_name = "catalogue/import.html"
    url_name = "iso_catalogue"
    province = False

    def get_page_title(self):
        if self.province:
            return "Nhập danh mục thủ tục hành chính của tỉnh (chia theo cơ quan thực hiện)"
        if self.agency is None:
            return "Nhập danh mục thủ tục hành chính"
        return f"Nhập danh mục thủ tục hành chính: {self.agency.title}"

    def get(self, request, *args, **kwargs):
        if self.agency is not None and request.GET.get("xuat") in ("json", "xlsx"):
            kind = request.GET["xuat"]
            if kind == "json":
                body = catalogue_export_json(agency=self.agency)
                content_type = "application/json; charset=utf-8"
            else:
                body = catalogue_export_xlsx(agency=self.agency)
                content_type = XLSX_TYPE
            response = HttpResponse(body, content_type=content_type)
            name = f"danh-muc-tthc-{self.agency.agency_code}.{kind}"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return self.render_to_response(self.get_context_data(form=DecisionForm()))

    def preview_url(self, decision: CatalogueDecision) -> str:
        if self.province:
            return reverse("iso_catalogue_province_preview", args=[decision.pk])
        return reverse("iso_catalogue_preview", args=[self.agency.pk, decision.pk])

    def post(self, request, *args, **kwargs):
        if self.agency is None and not self.province:
            raise PermissionDenied
        form = DecisionForm(request.POST, request.FILES)
        reasons: list[str] = []
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                decision = catalogue_upload(
                    agency=self.agency,
                    user=request.user,
                    number=form.cleaned_data["number"],
                    effective_date=form.cleaned_data["effective_date"],
                    file_name=upload.name,
                    content=upload.read(),
                )
            except CatalogueFileError as error:
                reasons = error.reasons
            else:
                return HttpResponseRedirect(self.preview_url(decision))
        context = self.get_context_data(form=form, reasons=reasons)
        return self.render_to_response(context, status=400)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["province"] = self.province
        context["can_import_province"] = user_is_province_admin(self.request.user)
        if self.agency is None and not self.province:
            context["agencies"] = self.agency_choices
            return context
        context["agency"] = self.agency
        decisions = CatalogueDecision.objects.filter(agency=self.agency).defer("content")[:20]
        context["decisions"] = [(d, self.preview_url(d)) for d in decisions]
        return context


class ProvinceImportView(CatalogueImportView):
    """The province's whole file, each row to the agency it names: province administrators."""

    province = True

    def dispatch(self, request, *args, **kwargs):
        if not user_is_province_admin(request.user):
            raise PermissionDenied
        self.agency = None
        return super(_AgencyView, self).dispatch(request, *args, **kwargs)


class SampleFileView(_AgencyView):
    """«Tải tệp mẫu»: the demo announcing decision, as JSON or XLSX, for anyone who imports."""

    def dispatch(self, request, kind: str, *args, **kwargs):
        if not agencies_importable_by(request.user).exists():
            raise PermissionDenied
        if kind == "json":
            body, content_type = sample_decision_json(), "application/json; charset=utf-8"
        elif kind == "xlsx":
            body, content_type = sample_decision_xlsx(), XLSX_TYPE
        else:
            raise Http404
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{SAMPLE_NAME}.{kind}"'
        return response


class CataloguePreviewView(_AgencyView):
    template_name = "catalogue/preview.html"
    url_name = "iso_catalogue"
    province = False

    def dispatch(self, request, agency_id: int, decision_id: int, *args, **kwargs):
        self.decision_id = decision_id
        return super().dispatch(request, agency_id, *args, **kwargs)

    def get_decision(self) -> CatalogueDecision:
        return get_object_or_404(CatalogueDecision, pk=self.decision_id, agency=self.agency)

    def get_page_title(self):
        if self.province:
            return "Xem trước danh mục của tỉnh"
        return f"Xem trước danh mục: {self.agency.title}"

    def back_url(self) -> str:
        if self.province:
            return reverse("iso_catalogue_province")
        return reverse("iso_catalogue", args=[self.agency.pk])

    def post(self, request, *args, **kwargs):
        decision = self.get_decision()
        try:
            plan = catalogue_apply(decision=decision, user=request.user)
        except CatalogueFileError as error:
            context = self.get_context_data(reasons=error.reasons)
            return self.render_to_response(context, status=400)
        created = plan.count("create")
        updated = plan.count("update")
        withdrawn = sum(1 for item in plan.items if item.withdrawal_started)
        agencies = len(plan.agencies)
        messages.success(
            request,
            f"Đã nhập Quyết định số {decision.number}"
            + (f" cho {agencies} cơ quan" if self.province else "")
            + f": {created} thủ tục mới và {updated} thủ tục sửa đổi đã thành bản nháp và được "
            f"trình duyệt; {withdrawn} đề nghị bãi bỏ đã được trình lãnh đạo phê duyệt. Chưa có "
            "gì được xuất bản hay bãi bỏ.",
        )
        if self.province:
            return HttpResponseRedirect(reverse("iso_catalogue_tasks_index"))
        return HttpResponseRedirect(reverse("iso_catalogue_tasks", args=[self.agency.pk]))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = self.get_decision()
        plan = catalogue_plan(decision=decision)
        context.update(
            agency=self.agency,
            decision=decision,
            plan=plan,
            province=self.province,
            back_url=self.back_url(),
        )
        context.setdefault("reasons", plan.reasons)
        return context


class ProvincePreviewView(CataloguePreviewView):
    province = True

    def dispatch(self, request, decision_id: int, *args, **kwargs):
        if not user_is_province_admin(request.user):
            raise PermissionDenied
        self.agency = None
        self.decision_id = decision_id
        return super(_AgencyView, self).dispatch(request, *args, **kwargs)


class UpdateTasksView(_AgencyView):
    """Việc cập nhật thủ tục: an agency's tasks, or every agency's for the province."""

    template_name = "catalogue/tasks.html"
    url_name = "iso_catalogue_tasks"

    def agencies(self):
        return agencies_with_tasks_visible_to(self.request.user)

    def dispatch(self, request, agency_id: int | None = None, *args, **kwargs):
        if agency_id is None and user_sees_every_agency(request.user):
            self.agency = None
            self.agency_choices = self.agencies()
            return super(_AgencyView, self).dispatch(request, *args, **kwargs)
        return super().dispatch(request, agency_id, *args, **kwargs)

    def get_page_title(self):
        if self.agency is None:
            return "Việc cập nhật thủ tục hành chính (toàn tỉnh)"
        return f"Việc cập nhật thủ tục hành chính: {self.agency.title}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("tinh_trang") or TaskStatus.OPEN
        if self.agency is None:
            ids = None if user_sees_every_agency(self.request.user) else []
        else:
            ids = [self.agency.pk]
        today = timezone.localdate()
        tasks = list(tasks_for(agency_ids=ids, status=None if status == "all" else status))
        context.update(
            agency=self.agency,
            today=today,
            status=status,
            rows=[(task, task.state_label(today), task.is_overdue(today)) for task in tasks],
            overdue=sum(1 for task in tasks if task.is_overdue(today)),
            status_choices=[
                (TaskStatus.OPEN, "Đang chờ cập nhật"),
                ("overdue", "Quá hạn"),
                (TaskStatus.DONE, "Đã cập nhật"),
                ("all", "Tất cả"),
            ],
        )
        return context


class SharedProcessesView(_AgencyView):
    """Quy trình liên thông: other agencies' internal processes with a step this agency carries
    out (Văn phòng UBND tỉnh signs for Sở Y tế), read-only."""

    template_name = "catalogue/shared_processes.html"
    url_name = "iso_shared_processes"

    def agencies(self):
        return agencies_with_tasks_visible_to(self.request.user)

    def get_page_title(self):
        if self.agency is None:
            return "Quy trình liên thông"
        return f"Quy trình liên thông có bước do {self.agency.title} thực hiện"

    def get_context_data(self, **kwargs):
        from content_types.procedures import ProcedurePage, ProcedurePageProcessStep
        from content_types.public import process_views

        context = super().get_context_data(**kwargs)
        if self.agency is None:
            context["agencies"] = self.agency_choices
            return context
        page_ids = ProcedurePageProcessStep.objects.filter(agency=self.agency).values_list(
            "page_id", flat=True
        )
        procedures = (
            ProcedurePage.objects.filter(pk__in=page_ids)
            .live()
            .not_descendant_of(self.agency)
            .order_by("title")
        )
        owners = {a.path: a for a in AgencyPage.objects.all().only("pk", "title", "path", "depth")}
        rows = []
        for procedure in procedures:
            steps = list(procedure.process_steps.all())
            owner = next((a for path, a in owners.items() if procedure.path.startswith(path)), None)
            views = [
                view
                for view in process_views(procedure, steps)
                if any(step.agency_id == self.agency.pk for step in view.steps)
            ]
            rows.append((procedure, owner, views))
        context.update(agency=self.agency, rows=rows)
        return context
