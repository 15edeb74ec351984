"""Admin views of province oversight. Thin: a permission check, a form, a service or selector."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from content_types.agency import AgencyLevel, AgencyPage
from content_types.oversight import DOSSIER_FIGURES, DossierBatch, DossierPushToken
from content_types.portal import PortalHomePage
from workflows.admin_page import TitledAdminMixin

from .access import agencies_importable_by, agencies_token_managed_by, user_is_province_admin
from .charts import monthly_rate_chart, percent
from .dashboard import dashboard_build, dashboard_xlsx
from .dossiers import DossierFileError, dossier_import_commit, dossier_import_preview
from .selectors import dossier_on_time_rates, dossier_procedures_late, dossier_year_totals
from .tokens import push_token_revoke, push_token_rotate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FIRST_YEAR = 2020


def _year(request) -> int:
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("nam", this_year))
    except ValueError:
        return this_year
    return year if FIRST_YEAR <= year <= this_year else this_year


def _years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR - 1, -1))


def forbidden(request, reason: str = "") -> TemplateResponse:
    """A real 403 (Wagtail turns a raised PermissionDenied into a redirect to the admin home,
    which would tell a script or a screen reader nothing)."""
    reason = reason or "Trang này chỉ dành cho người có thẩm quyền."
    return TemplateResponse(request, "oversight/forbidden.html", {"reason": reason}, status=403)


class _ProvinceOnly:
    def dispatch(self, request, *args, **kwargs):
        if not user_is_province_admin(request.user):
            return forbidden(
                request, "Trang tổng hợp cấp tỉnh chỉ dành cho quản trị cấp tỉnh (Sở KH&CN)."
            )
        return super().dispatch(request, *args, **kwargs)


class ProvinceDashboardView(_ProvinceOnly, TitledAdminMixin, TemplateView):
    """Agencies × required items for a year, with counts, charts and the XLSX export."""

    template_name = "oversight/dashboard.html"
    page_title = "Tổng hợp cấp tỉnh"
    header_icon = "table"

    def get(self, request, *args, **kwargs):
        self.dashboard = dashboard_build(year=_year(request), level=request.GET.get("cap"))
        if request.GET.get("xuat") == "xlsx":
            home = PortalHomePage.objects.first()
            content = dashboard_xlsx(
                self.dashboard, province_name=home.province_name if home else ""
            )
            response = HttpResponse(content, content_type=XLSX)
            name = f"tong-hop-htqlcl-{self.dashboard.year}.xlsx"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        dashboard = self.dashboard
        query = {"nam": dashboard.year, **({"cap": dashboard.level} if dashboard.level else {})}
        return super().get_context_data(
            dashboard=dashboard,
            columns=list(zip(dashboard.items, dashboard.counts, strict=True)),
            completion=dashboard.completion_chart(),
            heatmap=dashboard.on_time_heatmap(),
            province_chart=dashboard.province_chart(),
            province_rates=sorted(dashboard.province_rates().items()),
            years=_years(),
            levels=AgencyLevel.choices,
            export_query=urlencode({**query, "xuat": "xlsx"}),
            record_query=urlencode({"nam": dashboard.year}),
            **kwargs,
        )


class AgencyRecordView(_ProvinceOnly, TitledAdminMixin, TemplateView):
    """One agency's items for the year, each with what was found and a link to it, and its
    one-stop figures."""

    template_name = "oversight/agency_record.html"
    header_icon = "site"

    def dispatch(self, request, agency_id: int, *args, **kwargs):
        self.agency = get_object_or_404(AgencyPage, pk=agency_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Hồ sơ HTQLCL: {self.agency.title}"

    def get_context_data(self, **kwargs):
        year = _year(self.request)
        dashboard = dashboard_build(year=year, agency_ids=[self.agency.pk])
        row = dashboard.rows[0]
        rates = dossier_on_time_rates(year=year, agency_ids=[self.agency.pk])
        monthly = {month: rate for (_a, month), rate in rates.items()}
        totals = dossier_year_totals(year=year, agency_ids=[self.agency.pk]).get(self.agency.pk)
        return super().get_context_data(
            agency=self.agency,
            year=year,
            years=_years(),
            row=row,
            items=list(zip(dashboard.items, row.statuses, strict=True)),
            chart=monthly_rate_chart(monthly, year, self.agency.short_name),
            monthly=sorted(monthly.items()),
            totals=totals,
            totals_rate=percent(totals["on_time_rate"]) if totals else "",
            late=dossier_procedures_late(agency_id=self.agency.pk, year=year),
            **kwargs,
        )


class DossierImportForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Cơ quan",
        queryset=AgencyPage.objects.none(),
        help_text="Số liệu của các dòng không ghi «Mã cơ quan» thuộc cơ quan này.",
        error_messages={"required": "Hãy chọn cơ quan.", "invalid_choice": "Cơ quan không hợp lệ."},
    )
    file = forms.FileField(
        label="Tệp xuất từ hệ thống một cửa (CSV hoặc XLSX)",
        error_messages={"required": "Hãy chọn tệp.", "empty": "Tệp rỗng: không có số liệu nào."},
    )
    replace = forms.BooleanField(
        label="Thay thế số liệu đã có",
        required=False,
        help_text="Chỉ chọn khi tệp là số liệu điều chỉnh của những tháng đã nhập.",
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


def _template_csv() -> HttpResponse:
    """An empty export with the expected headers and one example row, for whoever prepares
    the file by hand or checks the one-stop system's columns."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Mã thủ tục", "Tháng", *[label for _, label, _ in DOSSIER_FIGURES]])
    writer.writerow(["1.001193", "03/2026", 2, 5, 10, 1, 3, 8, 2, 3, 1, 1])
    response = HttpResponse(
        buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="mau-so-lieu-ho-so.csv"'
    return response


def _batches_visible_to(user):
    batches = DossierBatch.objects.select_related("agency", "user", "token").exclude(
        result=DossierBatch.Result.PREVIEW
    )
    if user_is_province_admin(user):
        return batches
    return batches.filter(agency__in=agencies_importable_by(user))


class DossierImportView(TitledAdminMixin, TemplateView):
    """Upload an export, see every row checked (nothing stored yet), then store it."""

    template_name = "oversight/dossier_import.html"
    page_title = "Số liệu hồ sơ một cửa"
    header_icon = "upload"

    def dispatch(self, request, *args, **kwargs):
        self.agencies = agencies_importable_by(request.user)
        if not self.agencies.exists():
            return forbidden(
                request,
                "Chỉ biên tập viên, quản trị cơ quan và quản trị cấp tỉnh nhập số liệu hồ sơ.",
            )
        return super().dispatch(request, *args, **kwargs)

    def _allowed(self) -> set[int] | None:
        if user_is_province_admin(self.request.user):
            return None
        return set(self.agencies.values_list("pk", flat=True))

    def get(self, request, *args, **kwargs):
        if request.GET.get("mau") == "csv":
            return _template_csv()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", DossierImportForm(agencies=self.agencies))
        return super().get_context_data(
            batches=_batches_visible_to(self.request.user)[:30],
            figure_labels=[label for _, label, _ in DOSSIER_FIGURES],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = DossierImportForm(request.POST, request.FILES, agencies=self.agencies)
        if not form.is_valid():
            messages.error(request, "Chưa đọc được tệp: vui lòng sửa các lỗi bên dưới.")
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["file"]
        content = upload.read(5 * 1024 * 1024 + 1)
        batch, check = dossier_import_preview(
            user=request.user,
            agency=form.cleaned_data["agency"],
            allowed_agency_ids=self._allowed(),
            name=upload.name,
            content=content,
            replace=form.cleaned_data["replace"],
        )
        if batch.result == DossierBatch.Result.REFUSED:
            messages.error(
                request, "Tệp bị từ chối, chưa ghi số liệu nào. Lý do ở từng dòng bên dưới."
            )
        else:
            messages.info(
                request, "Tệp hợp lệ. Kiểm tra lại các dòng rồi bấm «Ghi số liệu» để lưu."
            )
        return self.render_to_response(self.get_context_data(form=form, preview=batch, check=check))


class DossierImportCommitView(DossierImportView):
    def get(self, request, *args, **kwargs):
        return HttpResponseRedirect(reverse("iso_dossier_import"))

    def post(self, request, batch_id: int, *args, **kwargs):
        batch = get_object_or_404(
            DossierBatch, pk=batch_id, source=DossierBatch.Source.IMPORT, user=request.user
        )
        if batch.agency_id is None or not self.agencies.filter(pk=batch.agency_id).exists():
            return forbidden(request)
        try:
            batch, check = dossier_import_commit(batch=batch, allowed_agency_ids=self._allowed())
        except DossierFileError as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(reverse("iso_dossier_import"))
        if batch.result == DossierBatch.Result.REFUSED:
            messages.error(request, "Số liệu đã thay đổi từ lúc xem trước; tệp bị từ chối.")
            return self.render_to_response(self.get_context_data(preview=batch, check=check))
        messages.success(
            request,
            f"Đã ghi số liệu của {batch.row_count} dòng: {batch.created_count} dòng mới, "
            f"{batch.replaced_count} dòng thay thế, {batch.unchanged_count} dòng không đổi.",
        )
        return HttpResponseRedirect(reverse("iso_dossier_import"))


class DossierBatchView(TitledAdminMixin, TemplateView):
    """One import or push as recorded: who, when, result, every reason."""

    template_name = "oversight/dossier_batch.html"
    header_icon = "list-ul"

    def dispatch(self, request, batch_id: int, *args, **kwargs):
        self.batch = get_object_or_404(_batches_visible_to(request.user), pk=batch_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Lần nhập số liệu {self.batch}"

    def get_context_data(self, **kwargs):
        return super().get_context_data(batch=self.batch, **kwargs)


class PushTokenView(TitledAdminMixin, TemplateView):
    """The push tokens an administrator may rotate: their agency's, or every one and the
    province's for a province administrator. A new secret is shown once, on this response."""

    template_name = "oversight/push_tokens.html"
    page_title = "Mã truy cập đẩy số liệu hồ sơ"
    header_icon = "key"

    def dispatch(self, request, *args, **kwargs):
        self.province = user_is_province_admin(request.user)
        self.agencies = agencies_token_managed_by(request.user)
        if not self.province and not self.agencies.exists():
            return forbidden(request, "Chỉ quản trị cơ quan và quản trị cấp tỉnh cấp mã truy cập.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        active = {
            token.agency_id: token
            for token in DossierPushToken.objects.filter(revoked_at__isnull=True).select_related(
                "created_by"
            )
        }
        scopes = [(None, "Cấp tỉnh (mọi cơ quan)", active.get(None))] if self.province else []
        scopes += [(a.pk, a.title, active.get(a.pk)) for a in self.agencies]
        return super().get_context_data(
            scopes=scopes,
            push_url=self.request.build_absolute_uri("/api/v1/thong-ke-ho-so/"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        scope = request.POST.get("scope", "")
        if scope == "tinh":
            if not self.province:
                return forbidden(request)
            agency = None
        else:
            try:
                agency = self.agencies.get(pk=int(scope))
            except (ValueError, AgencyPage.DoesNotExist):
                return forbidden(request)
        label = agency.title if agency else "cấp tỉnh"
        if request.POST.get("action") == "revoke":
            if push_token_revoke(agency=agency, user=request.user):
                messages.success(request, f"Đã thu hồi mã truy cập của {label}.")
            return HttpResponseRedirect(reverse("iso_push_tokens"))
        if request.POST.get("action") != "rotate":
            raise Http404
        token, secret = push_token_rotate(agency=agency, user=request.user)
        messages.success(
            request,
            f"Đã cấp mã truy cập mới cho {label}; mã cũ (nếu có) không còn dùng được.",
        )
        return self.render_to_response(
            self.get_context_data(new_secret=secret, new_token=token, new_label=label)
        )
