"""Admin views of the quality records. Thin: find the object, check the right through
workflows.quality.policy, call a service, report its Vietnamese message."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from wagtail.models import Page

from content_types.agency import AgencyPage
from content_types.indexes import QualitySystemPage
from content_types.quality.action import ActionStatus, QualityAction
from content_types.quality.clauses import CLAUSE_CHOICES, MAIN_CLAUSES
from content_types.quality.nonconformity import (
    Nonconformity,
    NonconformitySource,
    NonconformityStage,
)
from content_types.quality.plan import AuditPlanPage
from content_types.quality.programme import AuditProgrammePage
from content_types.quality.record import (
    NONCONFORMING_RESULTS,
    AuditQuestion,
    AuditRecord,
    AuditResult,
)
from content_types.quality.report import AuditReportPage
from content_types.quality.rules import agency_of
from content_types.quality.units import QualityUnit
from workflows.admin_page import TitledAdminMixin

from ..downloads import DOCX, PDF, XLSX, file_download
from . import audits
from . import nonconformities as nc_services
from .documents import report_docx, report_pdf
from .exports import actions_xlsx, audits_xlsx, findings_xlsx, nonconformities_xlsx
from .forms import ActionForm, AnswerForm, NonconformityForm, QuestionAddForm, UnitForm
from .policy import Right, quality_agencies, quality_can, quality_require, record_can_write
from .selectors import (
    ActionFilter,
    actions_of,
    actions_overdue,
    agency_summary,
    findings_of,
    is_overdue,
    nonconformities_of,
    plans_of,
    programmes_of,
)

_download = file_download


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class _Base(TitledAdminMixin, TemplateView):
    header_icon = "tasks"
    agency: AgencyPage

    def require(self, agency: AgencyPage | None, right: Right = Right.READ) -> AgencyPage:
        if agency is None:
            raise Http404
        quality_require(self.request.user, agency, right)
        self.agency = agency
        return agency

    def can(self, right: Right) -> bool:
        return quality_can(self.request.user, self.agency, right)

    def back(self):
        return HttpResponseRedirect(self.request.path)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if hasattr(self, "agency"):
            context.update(
                agency=self.agency,
                can_manage=self.can(Right.MANAGE),
                can_verify=self.can(Right.VERIFY),
            )
        return context


class QualityIndexView(_Base):
    template_name = "quality/index.html"
    page_title = "Đánh giá nội bộ và khắc phục"

    def get(self, request, *args, **kwargs):
        agencies = quality_agencies(request.user)
        if not agencies.exists():
            raise PermissionDenied
        if agencies.count() == 1:
            return HttpResponseRedirect(reverse("iso_quality_agency", args=[agencies.get().pk]))
        self.agencies = agencies
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        rows = [(a, agency_summary(a)) for a in self.agencies]
        return super().get_context_data(rows=rows, **kwargs)


class AgencyAuditsView(_Base):
    """An agency's programmes and audit rounds (plans with their reports), with the summary."""

    template_name = "quality/agency.html"

    def get_page_title(self):
        return f"Đánh giá nội bộ: {self.agency.title}"

    def get(self, request, agency_id: int):
        self.require(AgencyPage.objects.filter(pk=agency_id).first())
        self.year = _int(request.GET.get("nam"))
        self.plans = plans_of(self.agency, year=self.year)
        if request.GET.get("xuat") == "xlsx":
            return _download(
                audits_xlsx(self.agency, self.plans),
                f"danh-gia-noi-bo-{self.agency.agency_code}.xlsx",
                XLSX,
            )
        return super().get(request)

    def get_context_data(self, **kwargs):
        quality_system = self.agency.get_children().type(QualitySystemPage).first()
        can_add = (
            quality_system is not None
            and quality_system.permissions_for_user(self.request.user).can_add_subpage()
        )
        return super().get_context_data(
            programmes=programmes_of(self.agency),
            plans=self.plans,
            year=self.year,
            summary=agency_summary(self.agency),
            quality_system=quality_system,
            can_add_programme=can_add,
            **kwargs,
        )


class UnitsView(_Base):
    template_name = "quality/units.html"

    def get_page_title(self):
        return f"Đơn vị (phòng, ban): {self.agency.title}"

    def dispatch(self, request, agency_id: int):
        self.require(AgencyPage.objects.filter(pk=agency_id).first())
        self.form = UnitForm(agency=self.agency)
        return super().dispatch(request)

    def post(self, request):
        quality_require(request.user, self.agency, Right.MANAGE)
        self.form = UnitForm(request.POST, agency=self.agency)
        if self.form.is_valid():
            unit = self.form.save()
            messages.success(request, f"Đã thêm đơn vị «{unit.name}».")
            return self.back()
        messages.error(request, "Chưa lưu được: vui lòng sửa các lỗi bên dưới.")
        return self.get(request)

    def get_context_data(self, **kwargs):
        units = QualityUnit.objects.filter(agency=self.agency).prefetch_related("members")
        return super().get_context_data(units=units, form=self.form, **kwargs)


class UnitEditView(_Base):
    template_name = "quality/unit_edit.html"

    def get_page_title(self):
        return f"Sửa đơn vị «{self.unit.name}»"

    def dispatch(self, request, pk: int):
        self.unit = get_object_or_404(QualityUnit, pk=pk)
        self.require(self.unit.agency, Right.MANAGE)
        self.form = UnitForm(request.POST or None, instance=self.unit, agency=self.agency)
        return super().dispatch(request)

    def post(self, request):
        if self.form.is_valid():
            self.form.save()
            messages.success(request, f"Đã lưu đơn vị «{self.unit.name}».")
            return HttpResponseRedirect(reverse("iso_quality_units", args=[self.agency.pk]))
        messages.error(request, "Chưa lưu được: vui lòng sửa các lỗi bên dưới.")
        return self.get(request)

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, unit=self.unit, **kwargs)


def _page_status(page: Page) -> str:
    if page.live:
        return "Đã phê duyệt" + (
            " (có bản sửa đổi đang soạn)" if page.has_unpublished_changes else ""
        )
    state = page.current_workflow_state
    if state is not None and state.status == state.STATUS_IN_PROGRESS:
        return f"Chờ duyệt: {page.current_workflow_task.name}"
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        return "Bị trả lại để chỉnh sửa"
    return "Dự thảo"


class _PageView(_Base):
    model: type[Page]

    def get_object(self, pk: int) -> Page:
        page = get_object_or_404(self.model, pk=pk)
        self.require(agency_of(page))
        self.page = page
        # Staff read what is being written; the record of what was approved is the live row.
        self.shown = page.get_latest_revision_as_object() if not page.live else page
        return page

    def get_context_data(self, **kwargs):
        perms = self.page.permissions_for_user(self.request.user)
        return super().get_context_data(
            page=self.page,
            shown=self.shown,
            status=_page_status(self.page),
            can_edit=perms.can_edit(),
            **kwargs,
        )


class ProgrammeView(_PageView):
    model = AuditProgrammePage
    template_name = "quality/programme.html"

    def get_page_title(self):
        return self.page.title

    def get(self, request, pk: int):
        self.get_object(pk)
        return super().get(request)

    def get_context_data(self, **kwargs):
        can_add_plan = (
            self.page.live and self.page.permissions_for_user(self.request.user).can_add_subpage()
        )
        return super().get_context_data(
            plans=AuditPlanPage.objects.child_of(self.page).order_by("start_date"),
            rounds=self.shown.rounds.all(),
            units=self.shown.scope_units.all(),
            can_add_plan=can_add_plan,
            **kwargs,
        )


class PlanView(_PageView):
    model = AuditPlanPage
    template_name = "quality/plan.html"

    def get_page_title(self):
        return self.page.title

    def dispatch(self, request, pk: int):
        self.get_object(pk)
        return super().dispatch(request)

    def post(self, request):
        op = request.POST.get("op")
        try:
            if op == "open_record":
                record = audits.audit_record_open(
                    plan=self.page,
                    assignment_id=_int(request.POST.get("assignment")) or 0,
                    user=request.user,
                )
                return HttpResponseRedirect(reverse("iso_quality_record", args=[record.pk]))
            if op == "generate_report":
                report = audits.audit_report_generate(plan=self.page, user=request.user)
                messages.success(
                    request,
                    "Đã lập dự thảo báo cáo từ các phiếu ghi chép. Hãy rà soát, chỉnh sửa rồi "
                    "trình lãnh đạo phê duyệt.",
                )
                return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[report.pk]))
        except ValidationError as error:
            _refused(request, error)
        return self.back()

    def get_context_data(self, **kwargs):
        records = {
            (r.unit_id, r.auditor_id): r
            for r in AuditRecord.objects.filter(plan=self.page).select_related("unit")
        }
        assignments = [
            {
                "a": a,
                "record": records.get((a.unit_id, a.auditor_id)),
                "mine": a.auditor_id == self.request.user.pk,
            }
            for a in self.shown.assignments.all().select_related("unit", "auditor")
        ]
        report = AuditReportPage.objects.child_of(self.page).first()
        perms = self.page.permissions_for_user(self.request.user)
        return super().get_context_data(
            assignments=assignments,
            report=report,
            report_blockers=[] if report else audits.audit_report_ready_errors(self.page),
            can_generate=report is None and perms.can_add_subpage(),
            **kwargs,
        )


class RecordView(_Base):
    template_name = "quality/record.html"

    def get_page_title(self):
        return f"Phiếu ghi chép: {self.record.unit.name} — {self.record.audit_date:%d/%m/%Y}"

    def dispatch(self, request, pk: int):
        self.record = get_object_or_404(
            AuditRecord.objects.select_related("unit", "auditor", "plan", "agency"), pk=pk
        )
        self.require(self.record.agency)
        return super().dispatch(request)

    def post(self, request):
        record, user, op = self.record, request.user, request.POST.get("op")
        if not record_can_write(user, record) and op != "raise_nc":
            raise PermissionDenied
        try:
            if op == "add":
                form = QuestionAddForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("Hãy chọn điều khoản và nhập câu hỏi.")
                audits.audit_question_add(record=record, user=user, **form.cleaned_data)
                messages.success(request, "Đã thêm câu hỏi.")
            elif op == "bank":
                added = audits.audit_questions_from_bank(
                    record=record, clause=request.POST.get("clause", ""), user=user
                )
                messages.success(request, f"Đã thêm {added} câu hỏi từ ngân hàng câu hỏi.")
            elif op == "copy":
                source = (
                    audits.audit_records_copyable(record)
                    .filter(pk=_int(request.POST.get("source")))
                    .first()
                )
                if source is None:
                    raise ValidationError("Hãy chọn một phiếu ghi chép trước đó của cơ quan.")
                copied = audits.audit_questions_copy(record=record, source=source, user=user)
                messages.success(request, f"Đã sao chép {copied} câu hỏi từ phiếu trước.")
            elif op == "submit":
                audits.audit_record_submit(
                    record=record, summary=request.POST.get("summary", ""), user=user
                )
                messages.success(request, "Đã hoàn thành phiếu ghi chép.")
        except ValidationError as error:
            _refused(request, error)
        return self.back()

    def get_context_data(self, **kwargs):
        writable = record_can_write(self.request.user, self.record)
        questions = self.record.questions.prefetch_related("nonconformities")
        return super().get_context_data(
            record=self.record,
            questions=questions,
            writable=writable,
            add_form=QuestionAddForm(),
            clauses=CLAUSE_CHOICES,
            main_clauses=MAIN_CLAUSES,
            copyable=audits.audit_records_copyable(self.record)[:20] if writable else [],
            nonconforming=list(NONCONFORMING_RESULTS),
            **kwargs,
        )


class QuestionView(_Base):
    template_name = "quality/question.html"
    page_title = "Đánh giá câu hỏi"

    def dispatch(self, request, pk: int):
        self.question = get_object_or_404(
            AuditQuestion.objects.select_related("record__agency", "record__unit"), pk=pk
        )
        self.record = self.question.record
        self.require(self.record.agency)
        q = self.question
        self.form = AnswerForm(
            request.POST or None,
            initial={
                "result": q.result,
                "evidence": q.evidence,
                "dossiers_sampled": q.dossiers_sampled,
                "note": q.note,
            },
        )
        return super().dispatch(request)

    def post(self, request):
        op = request.POST.get("op", "answer")
        back = HttpResponseRedirect(reverse("iso_quality_record", args=[self.record.pk]))
        try:
            if op == "raise_nc":
                nc = nc_services.nonconformity_from_finding(
                    finding=self.question, user=request.user
                )
                messages.success(request, f"Đã lập phiếu không phù hợp {nc.code}.")
                return HttpResponseRedirect(reverse("iso_quality_nc", args=[nc.pk]))
            if not record_can_write(request.user, self.record):
                raise PermissionDenied
            if op == "remove":
                audits.audit_question_remove(question=self.question, user=request.user)
                messages.success(request, "Đã xoá câu hỏi.")
                return back
            data = {
                k: request.POST.get(k, "")
                for k in ("result", "evidence", "dossiers_sampled", "note")
            }
            audits.audit_question_answer(question=self.question, user=request.user, **data)
            messages.success(request, "Đã lưu kết quả đánh giá.")
            return back
        except ValidationError as error:
            _refused(request, error)
            if op == "raise_nc":
                return back
        return self.get(request)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            question=self.question,
            record=self.record,
            form=self.form,
            writable=record_can_write(self.request.user, self.record),
            **kwargs,
        )


class PrintedRecordView(View):
    """A record printed as DOCX or PDF (`fmt`), for those who may read the agency's quality
    records: the file is named after the agency and the page."""

    model: type[Page]
    file_stem = ""
    renderers: dict = {}  # format: a function of the page to the file's bytes
    fmt = "docx"

    def get(self, request, pk: int):
        page = get_object_or_404(self.model, pk=pk)
        agency = agency_of(page)
        if agency is None:
            raise Http404
        quality_require(request.user, agency, Right.READ)
        return _download(
            self.renderers[self.fmt](page),
            f"{self.file_stem}-{agency.agency_code}-{page.pk}.{self.fmt}",
            {"docx": DOCX, "pdf": PDF}[self.fmt],
        )


class ReportView(_PageView):
    model = AuditReportPage
    template_name = "quality/report.html"

    def get_page_title(self):
        return self.page.title

    def get(self, request, pk: int):
        self.get_object(pk)
        return super().get(request)

    def get_context_data(self, **kwargs):
        from themes.renderers.audit_report import RESULT_COLUMNS

        return super().get_context_data(
            columns=RESULT_COLUMNS,
            by_clause=self.shown.statistics.get("by_clause", []),
            by_unit=self.shown.statistics.get("by_unit", []),
            totals=self.shown.statistics.get("totals", {}),
            **kwargs,
        )


class AuditReportPrintView(PrintedRecordView):
    model = AuditReportPage
    file_stem = "bao-cao-danh-gia-noi-bo"
    renderers = {"docx": report_docx, "pdf": report_pdf}


report_docx_view = AuditReportPrintView.as_view(fmt="docx")
report_pdf_view = AuditReportPrintView.as_view(fmt="pdf")


class FindingsView(_Base):
    template_name = "quality/findings.html"

    def get_page_title(self):
        return f"Phát hiện đánh giá: {self.agency.title}"

    def get(self, request, agency_id: int):
        self.require(AgencyPage.objects.filter(pk=agency_id).first())
        self.filters = {
            "result": request.GET.get("ket_qua", ""),
            "clause": request.GET.get("dieu", ""),
            "year": _int(request.GET.get("nam")),
        }
        self.findings = findings_of(self.agency, **self.filters)
        if request.GET.get("xuat") == "xlsx":
            return _download(
                findings_xlsx(self.agency, self.findings),
                f"phat-hien-danh-gia-{self.agency.agency_code}.xlsx",
                XLSX,
            )
        return super().get(request)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            findings=self.findings,
            filters=self.filters,
            results=AuditResult.choices,
            main_clauses=MAIN_CLAUSES,
            query=self.request.GET.urlencode(),
            **kwargs,
        )


class NonconformitiesView(_Base):
    template_name = "quality/nonconformities.html"

    def get_page_title(self):
        return f"Sự không phù hợp: {self.agency.title}"

    def get(self, request, agency_id: int):
        self.require(AgencyPage.objects.filter(pk=agency_id).first())
        self.filters = {
            "stage": request.GET.get("giai_doan", ""),
            "source": request.GET.get("nguon", ""),
            "year": _int(request.GET.get("nam")),
        }
        self.ncs = nonconformities_of(self.agency, **self.filters)
        if request.GET.get("xuat") == "xlsx":
            return _download(
                nonconformities_xlsx(self.agency, self.ncs),
                f"su-khong-phu-hop-{self.agency.agency_code}.xlsx",
                XLSX,
            )
        return super().get(request)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            ncs=self.ncs,
            filters=self.filters,
            stages=NonconformityStage.choices,
            sources=NonconformitySource.choices,
            query=self.request.GET.urlencode(),
            **kwargs,
        )


class NonconformityCreateView(_Base):
    template_name = "quality/nc_create.html"
    page_title = "Thêm sự không phù hợp"

    def dispatch(self, request, agency_id: int):
        self.require(AgencyPage.objects.filter(pk=agency_id).first(), Right.MANAGE)
        self.form = NonconformityForm(
            request.POST or None,
            agency=self.agency,
            initial={"raised_on": timezone.localdate(), "source": NonconformitySource.COMPLAINT},
        )
        return super().dispatch(request)

    def post(self, request):
        if self.form.is_valid():
            try:
                nc = nc_services.nonconformity_raise(
                    agency=self.agency, user=request.user, **self.form.cleaned_data
                )
            except ValidationError as error:
                _refused(request, error)
            else:
                messages.success(request, f"Đã lập phiếu không phù hợp {nc.code}.")
                return HttpResponseRedirect(reverse("iso_quality_nc", args=[nc.pk]))
        else:
            messages.error(request, "Chưa lưu được: vui lòng sửa các lỗi bên dưới.")
        return self.get(request)

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, **kwargs)


class NonconformityView(_Base):
    template_name = "quality/nonconformity.html"

    def get_page_title(self):
        return f"{self.nc.code}: {self.nc.title}"

    def dispatch(self, request, pk: int):
        self.nc = get_object_or_404(Nonconformity.objects.select_related("agency", "unit"), pk=pk)
        self.require(self.nc.agency)
        self.action_form = ActionForm(agency=self.agency)
        return super().dispatch(request)

    def post(self, request):
        nc, user, post = self.nc, request.user, request.POST
        op = post.get("op")
        try:
            if op == "analyse":
                nc_services.nonconformity_start_analysis(nc=nc, user=user)
                messages.success(request, "Đã chuyển sang phân tích nguyên nhân.")
            elif op == "cause":
                nc_services.nonconformity_record_cause(
                    nc=nc, cause=post.get("cause", ""), user=user
                )
                messages.success(request, "Đã ghi nguyên nhân; hãy lập kế hoạch khắc phục.")
            elif op == "add_action":
                quality_require(user, self.agency, Right.MANAGE)
                self.action_form = ActionForm(post, agency=self.agency)
                if not self.action_form.is_valid():
                    messages.error(
                        request, "Chưa thêm được hành động: vui lòng sửa các lỗi bên dưới."
                    )
                    return self.get(request)
                nc_services.action_add(nc=nc, user=user, **self.action_form.cleaned_data)
                messages.success(request, "Đã thêm hành động khắc phục.")
            elif op == "start":
                nc_services.nonconformity_start_actions(nc=nc, user=user)
                messages.success(request, "Đã triển khai kế hoạch khắc phục.")
            elif op == "request_verification":
                nc_services.nonconformity_request_verification(nc=nc, user=user)
                messages.success(request, "Đã đề nghị đánh giá hiệu lực.")
            elif op == "verify":
                effective = post.get("effective") == "1"
                nc_services.nonconformity_verify(
                    nc=nc, effective=effective, note=post.get("note", ""), user=user
                )
                messages.success(
                    request,
                    "Hành động khắc phục có hiệu lực: đã đóng sự không phù hợp."
                    if effective
                    else "Hành động chưa có hiệu lực: hãy lập kế hoạch khắc phục bổ sung.",
                )
            elif op == "cancel":
                nc_services.nonconformity_cancel(nc=nc, reason=post.get("reason", ""), user=user)
                messages.success(request, "Đã huỷ sự không phù hợp.")
        except ValidationError as error:
            _refused(request, error)
        return self.back()

    def get_context_data(self, **kwargs):
        actions = list(self.nc.actions.select_related("owner"))
        today = timezone.localdate()
        return super().get_context_data(
            nc=self.nc,
            actions=[(a, is_overdue(a, today)) for a in actions],
            action_form=self.action_form,
            history=self.nc.history.select_related("history_user").order_by("-history_date")[:30],
            stages=NonconformityStage,
            **kwargs,
        )


class ActionsView(_Base):
    template_name = "quality/actions.html"

    def get_page_title(self):
        return f"Hành động: {self.agency.title}"

    def get(self, request, agency_id: int):
        self.require(AgencyPage.objects.filter(pk=agency_id).first())
        self.filters = ActionFilter(
            status=request.GET.get("tinh_trang", ""),
            overdue=request.GET.get("qua_han") == "1",
            owner_id=_int(request.GET.get("nguoi")),
        )
        self.actions = actions_of(self.agency, self.filters)
        overdue_ids = set(actions_overdue(self.actions).values_list("pk", flat=True))
        self.overdue_ids = overdue_ids
        if request.GET.get("xuat") == "xlsx":
            return _download(
                actions_xlsx(self.agency, self.actions, overdue_ids),
                f"hanh-dong-{self.agency.agency_code}.xlsx",
                XLSX,
            )
        return super().get(request)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            actions=[(a, a.pk in self.overdue_ids) for a in self.actions],
            filters=self.filters,
            statuses=ActionStatus.choices,
            query=self.request.GET.urlencode(),
            **kwargs,
        )


class ActionView(_Base):
    template_name = "quality/action.html"

    def get_page_title(self):
        return f"Hành động: {self.action.title}"

    def dispatch(self, request, pk: int):
        self.action = get_object_or_404(
            QualityAction.objects.select_related("agency", "owner", "nonconformity"), pk=pk
        )
        # The owner reports on their action even without other rights on the agency's records.
        if self.action.owner_id != request.user.pk:
            self.require(self.action.agency)
        self.agency = self.action.agency
        return super().dispatch(request)

    def post(self, request):
        action, user, op = self.action, request.user, request.POST.get("op")
        try:
            if op == "start":
                nc_services.action_start(action=action, user=user)
                messages.success(request, "Đã bắt đầu thực hiện.")
            elif op == "complete":
                nc_services.action_complete(
                    action=action, result=request.POST.get("result", ""), user=user
                )
                messages.success(request, "Đã báo cáo hoàn thành hành động.")
            elif op == "cancel":
                nc_services.action_cancel(
                    action=action, reason=request.POST.get("reason", ""), user=user
                )
                messages.success(request, "Đã huỷ hành động.")
        except ValidationError as error:
            _refused(request, error)
        return self.back()

    def get_context_data(self, **kwargs):
        from .policy import action_can_report

        return super().get_context_data(
            action=self.action,
            overdue=is_overdue(self.action),
            can_report=action_can_report(self.request.user, self.action),
            history=self.action.history.select_related("history_user").order_by("-history_date")[
                :30
            ],
            **kwargs,
        )
