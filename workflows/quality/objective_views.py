"""Admin views of the quality objectives, the maintenance plan and the new-year copy. Thin: find
the object, check the right through workflows.quality.policy, call a service, show its message."""

from __future__ import annotations

import posixpath

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from content_types.agency import AgencyPage
from content_types.indexes import QualitySystemPage
from content_types.quality.maintenance import MaintenancePlanPage
from content_types.quality.objectives import ObjectiveMeasurement, QualityObjectivesPage
from content_types.quality.programme import AuditProgrammePage
from content_types.quality.rules import agency_of

from .forms import agency_staff
from .maintenance import plan_item_states
from .new_year import year_copy_can, year_copy_run
from .objectives import (
    STATUS_LABELS,
    objective_action_add,
    objective_measurement_record,
    objective_statuses,
    objectives_set_status,
    period_start,
)
from .policy import Right, quality_require
from .views import _Base, _int, _refused


class _PageView(_Base):
    model = None

    def load(self, pk: int):
        page = get_object_or_404(self.model, pk=pk)
        self.require(agency_of(page))
        self.page = page
        return page

    def page_context(self) -> dict:
        section = self.agency.get_children().type(QualitySystemPage).first()
        perms = self.page.permissions_for_user(self.request.user)
        return {
            "page": self.page,
            "can_edit": perms.can_edit(),
            "quality_system": section,
            "state": "Đã được lãnh đạo phê duyệt"
            if self.page.live
            else "Dự thảo, chưa được phê duyệt",
            "pending": self.page.live and self.page.has_unpublished_changes,
            "can_copy": year_copy_can(agency=self.agency, user=self.request.user),
            "years": [self.page.year],
        }


class ObjectivesView(_PageView):
    """The year's objectives: status per period, charts, measurements and plan actions."""

    template_name = "quality/objectives.html"
    model = QualityObjectivesPage

    def get_page_title(self):
        return self.page.title

    def dispatch(self, request, pk: int):
        self.load(pk)
        return super().dispatch(request)

    def post(self, request):
        quality_require(request.user, self.agency, Right.MANAGE)
        objective = self.page.objectives.filter(pk=_int(request.POST.get("objective"))).first()
        if objective is None:
            messages.error(request, "Mục tiêu không thuộc bộ mục tiêu này.")
            return self.back()
        try:
            if request.POST.get("do") == "action":
                due = forms.DateField().clean(request.POST.get("due_date") or None)
                owner = agency_staff(self.agency).filter(pk=_int(request.POST.get("owner"))).first()
                action = objective_action_add(
                    objective=objective,
                    title=request.POST.get("title", ""),
                    owner=owner,
                    due_date=due,
                    description=request.POST.get("description", ""),
                    user=request.user,
                )
                messages.success(request, f"Đã giao hành động «{action.title}».")
            else:
                measurement = objective_measurement_record(
                    objective=objective,
                    period=request.POST.get("period"),
                    value=request.POST.get("value", ""),
                    evidence=request.POST.get("evidence", ""),
                    evidence_file=request.FILES.get("evidence_file"),
                    user=request.user,
                )
                messages.success(
                    request, f"Đã ghi kết quả kỳ {measurement.period} của «{objective.statement}»."
                )
        except ValidationError as error:
            _refused(request, error)
            return self.get(request)
        return self.back()

    def get_context_data(self, **kwargs):
        statuses = objective_statuses(page=self.page)
        today = timezone.localdate()
        for status in statuses:
            # The periods a value may be entered for: those already begun.
            status.open_periods = [
                p
                for p in status.periods
                if period_start(self.page.year, status.objective.frequency, p.period) <= today
            ]
        overall = objectives_set_status(statuses)
        return super().get_context_data(
            statuses=statuses,
            overall_label=STATUS_LABELS[overall],
            overall=overall,
            staff=agency_staff(self.agency),
            can_measure=self.page.live and self.can(Right.MANAGE),
            **self.page_context(),
            **kwargs,
        )


class MaintenancePlanView(_PageView):
    template_name = "quality/maintenance_plan.html"
    model = MaintenancePlanPage

    def get_page_title(self):
        return self.page.title

    def get(self, request, pk: int):
        self.load(pk)
        return super().get(request)

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        states = plan_item_states(plans=[self.page], today=today)[self.page.pk]
        done = sum(1 for s in states if s.done)
        return super().get_context_data(
            states=states,
            done=done,
            total=len(states),
            overdue=sum(1 for s in states if s.is_overdue(today)),
            today=today,
            **self.page_context(),
            **kwargs,
        )


def evidence_file_view(request, pk: int):
    """A measurement's evidence file, to the agency's readers only, never cached."""
    measurement = get_object_or_404(ObjectiveMeasurement.objects.select_related("agency"), pk=pk)
    quality_require(request.user, measurement.agency, Right.READ)
    if not measurement.evidence_file:
        raise Http404
    response = FileResponse(
        measurement.evidence_file.open("rb"),
        as_attachment=True,
        filename=posixpath.basename(measurement.evidence_file.name),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class YearRecordsView(_Base):
    """An agency's yearly records (objectives, maintenance plans) and the new-year action."""

    template_name = "quality/year_records.html"

    def get_page_title(self):
        return f"Mục tiêu, kế hoạch duy trì: {self.agency.title}"

    def dispatch(self, request, agency_id: int):
        self.require(AgencyPage.objects.filter(pk=agency_id).first())
        return super().dispatch(request)

    def post(self, request):
        year = _int(request.POST.get("nam"))
        if not year:
            messages.error(request, "Hãy chọn năm cần sao chép.")
            return self.back()
        if not year_copy_can(agency=self.agency, user=request.user):
            raise PermissionDenied
        try:
            copied = year_copy_run(agency=self.agency, from_year=year, user=request.user)
        except ValidationError as error:
            _refused(request, error)
            return self.back()
        names = ", ".join(label for label, _ in copied)
        messages.success(
            request,
            f"Đã tạo dự thảo năm {year + 1} từ năm {year}: {names}. Hãy rà soát, sửa và trình "
            "phê duyệt.",
        )
        return self.back()

    def get_context_data(self, **kwargs):
        section = self.agency.get_children().type(QualitySystemPage).first()
        can_add = (
            section is not None
            and section.permissions_for_user(self.request.user).can_add_subpage()
        )
        objectives = QualityObjectivesPage.objects.descendant_of(self.agency).order_by("-year")
        plans = MaintenancePlanPage.objects.descendant_of(self.agency).order_by("-year")
        years = sorted(
            set(objectives.values_list("year", flat=True))
            | set(plans.values_list("year", flat=True))
            | set(
                AuditProgrammePage.objects.descendant_of(self.agency).values_list("year", flat=True)
            ),
            reverse=True,
        )
        return super().get_context_data(
            objectives_pages=objectives,
            plans=plans,
            quality_system=section,
            can_add=can_add,
            can_copy=year_copy_can(agency=self.agency, user=self.request.user),
            years=years or [timezone.localdate().year],
            this_year=timezone.localdate().year,
            **kwargs,
        )
