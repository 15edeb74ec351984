"""Admin views of the yearly report and the province summary. Thin: a right, a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from content_types.agency import AgencyLevel, AgencyPage
from content_types.announcement import YearlyReportPage
from workflows.admin_page import TitledAdminMixin

from ..downloads import CONTENT_TYPES, file_download
from ..quality.policy import Right, quality_agencies, quality_can
from .summary import (
    province_summary_build,
    province_summary_docx,
    province_summary_pdf,
    province_summary_xlsx,
)
from .views import _ProvinceOnly, _year, _years, forbidden
from .yearly_report import (
    yearly_report_docx,
    yearly_report_generate,
    yearly_report_pdf,
    yearly_report_refresh,
    yearly_report_shown,
    yearly_report_submit,
    yearly_report_xlsx,
)


def _refused(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _report_for(request, pk: int) -> tuple[YearlyReportPage, AgencyPage]:
    report = get_object_or_404(YearlyReportPage, pk=pk)
    agency = AgencyPage.objects.ancestor_of(report).first()
    if agency is None or not quality_can(request.user, agency, Right.READ):
        raise PermissionDenied
    return report, agency


class YearlyReportsView(TitledAdminMixin, TemplateView):
    """The yearly reports of the agencies the user works for, and «Lập báo cáo năm»."""

    template_name = "oversight/yearly_reports.html"
    page_title = "Báo cáo năm về HTQLCL"
    header_icon = "doc-full"

    def dispatch(self, request, *args, **kwargs):
        self.agencies = quality_agencies(request.user)
        if not self.agencies.exists():
            return forbidden(request, "Chỉ cán bộ của cơ quan xem báo cáo năm của cơ quan mình.")
        self.managed = quality_agencies(request.user, Right.MANAGE)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        paths = Q()
        for agency in self.agencies:
            paths |= Q(path__startswith=agency.path)
        reports = (
            YearlyReportPage.objects.filter(paths)
            .order_by("-year", "title")
            .prefetch_related("submissions")
        )
        agency_of = {a.path: a for a in self.agencies}
        listed = []
        for report in reports:
            agency = next((a for p, a in agency_of.items() if report.path.startswith(p)), None)
            submissions = list(report.submissions.all())
            listed.append((report, agency, submissions[0] if submissions else None))
        return super().get_context_data(
            reports=listed,
            managed=self.managed,
            years=_years(),
            this_year=timezone.localdate().year,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        try:
            agency = self.managed.get(pk=int(request.POST.get("agency", "")))
        except (ValueError, AgencyPage.DoesNotExist):
            messages.error(request, "Hãy chọn cơ quan của mình để lập báo cáo.")
            return self.render_to_response(self.get_context_data(), status=400)
        try:
            report = yearly_report_generate(
                agency=agency, year=request.POST.get("year"), user=request.user
            )
        except ValidationError as error:
            _refused(request, error)
            return self.render_to_response(self.get_context_data(), status=400)
        messages.success(
            request, "Đã lập báo cáo từ hồ sơ: hãy kiểm tra, viết các mục còn trống rồi gửi duyệt."
        )
        return HttpResponseRedirect(reverse("iso_yearly_report", args=[report.pk]))


class YearlyReportView(TitledAdminMixin, TemplateView):
    template_name = "oversight/yearly_report.html"
    header_icon = "doc-full"

    def dispatch(self, request, pk: int, *args, **kwargs):
        try:
            self.report, self.agency = _report_for(request, pk)
        except PermissionDenied:
            return forbidden(request, "Báo cáo này thuộc cơ quan khác.")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.report.title

    def get_context_data(self, **kwargs):
        shown, draft = yearly_report_shown(self.report)
        rows_of = (shown.figures or {}).get("sections", {})
        links_of = (shown.figures or {}).get("links", {})
        sections = [
            (
                block.value,
                rows_of.get(block.value.get("key") or "", []),
                links_of.get(block.value.get("key") or "", []),
            )
            for block in shown.sections
        ]
        user = self.request.user
        return super().get_context_data(
            report=self.report,
            shown=shown,
            draft=draft,
            agency=self.agency,
            sections=sections,
            submissions=list(self.report.submissions.select_related("submitted_by")),
            can_manage=quality_can(user, self.agency, Right.MANAGE),
            can_submit=quality_can(user, self.agency, Right.MANAGE)
            or quality_can(user, self.agency, Right.VERIFY),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        try:
            if action == "nop":
                yearly_report_submit(report=self.report, user=request.user)
                messages.success(request, "Đã nộp báo cáo cho Sở Khoa học và Công nghệ.")
            elif action == "cap-nhat":
                yearly_report_refresh(report=self.report, user=request.user)
                messages.success(request, "Đã cập nhật số liệu từ hồ sơ vào bản dự thảo.")
            else:
                messages.error(request, "Thao tác không hợp lệ.")
                return self.render_to_response(self.get_context_data(), status=400)
        except PermissionDenied:
            return forbidden(request, "Bạn không có quyền thực hiện thao tác này với báo cáo.")
        except ValidationError as error:
            _refused(request, error)
            return self.render_to_response(self.get_context_data(), status=400)
        return HttpResponseRedirect(request.path)


_EXPORTS = {"docx": yearly_report_docx, "pdf": yearly_report_pdf, "xlsx": yearly_report_xlsx}


def yearly_report_export_view(request, pk: int, fmt: str):
    if fmt not in _EXPORTS:
        raise Http404
    try:
        report, agency = _report_for(request, pk)
    except PermissionDenied:
        return forbidden(request, "Báo cáo này thuộc cơ quan khác.")
    return file_download(
        _EXPORTS[fmt](report),
        f"bao-cao-htqlcl-{report.year}-{agency.agency_code}.{fmt}",
        CONTENT_TYPES[fmt],
    )


_SUMMARY = {
    "docx": province_summary_docx,
    "pdf": province_summary_pdf,
    "xlsx": province_summary_xlsx,
}


class ProvinceReportsView(_ProvinceOnly, TitledAdminMixin, TemplateView):
    """For Sở KH&CN: per agency, its submitted report and its items; the summary downloads."""

    template_name = "oversight/province_reports.html"
    page_title = "Báo cáo năm của các cơ quan"
    header_icon = "doc-full"

    def get(self, request, *args, **kwargs):
        level = request.GET.get("cap")
        self.summary = province_summary_build(year=_year(request), level=level)
        fmt = request.GET.get("xuat")
        if fmt:
            if fmt not in _SUMMARY:
                messages.error(request, "Định dạng tải về không hợp lệ: chọn DOCX, PDF hoặc XLSX.")
                return self.render_to_response(self.get_context_data(), status=400)
            return file_download(
                _SUMMARY[fmt](self.summary),
                f"tong-hop-bao-cao-htqlcl-{self.summary.year}.{fmt}",
                CONTENT_TYPES[fmt],
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            summary=self.summary,
            years=_years(),
            levels=AgencyLevel.choices,
            level=self.summary.dashboard.level or "",
            **kwargs,
        )
