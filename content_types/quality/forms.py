"""Admin forms of the quality pages: choices limited to the agency, impartiality checked."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm

from .rules import agency_of, eligible_auditors, impartiality_error, user_label


class AuditPlanForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .units import QualityUnit

        agency = agency_of(self.instance if self.instance.pk else self.parent_page)
        if agency is None:
            return
        units = QualityUnit.objects.filter(agency=agency)
        auditors = eligible_auditors(agency)
        if "team_lead" in self.fields:
            self.fields["team_lead"].queryset = auditors
            self.fields["team_lead"].label_from_instance = user_label
        formset = self.formsets.get("assignments")
        if formset is None:
            return
        base = formset.form
        plan_form = self

        # The formset builds its forms lazily: every row (and the empty row the "add" button
        # copies) offers only this agency's units and eligible auditors.
        class AssignmentForm(base):
            def __init__(self, *a, **kw):
                super().__init__(*a, **kw)
                self.fields["unit"].queryset = units
                self.fields["auditor"].queryset = auditors
                self.fields["auditor"].label_from_instance = user_label  # names, not logins

            def clean(self):
                data = super().clean()
                error = impartiality_error(data.get("unit"), data.get("auditor"))
                if error:
                    self.add_error("auditor", error)
                # The page's own fields are cleaned before its rows.
                start = plan_form.cleaned_data.get("start_date")
                end = plan_form.cleaned_data.get("end_date")
                day = data.get("audit_date")
                if day and start and end and not start <= day <= end:
                    self.add_error(
                        "audit_date",
                        f"Ngày đánh giá phải trong thời gian của đợt (từ {start:%d/%m/%Y} "
                        f"đến {end:%d/%m/%Y}).",
                    )
                return data

        formset.form = AssignmentForm


class AuditProgrammeForm(WagtailAdminPageForm):
    def clean(self):
        data = super().clean()
        from .programme import AuditProgrammePage

        agency = agency_of(self.instance if self.instance.pk else self.parent_page)
        year = data.get("year")
        if agency is not None and year:
            others = AuditProgrammePage.objects.descendant_of(agency).filter(year=year)
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error(
                    "year",
                    f"Cơ quan đã có chương trình đánh giá nội bộ năm {year}: hãy sửa chương "
                    "trình đó (thêm đợt đánh giá) thay vì lập chương trình mới.",
                )
        return data


def _limit_owner_fields(formset, field_names: tuple[str, ...], agency, clean_row=None) -> None:
    """Every row (and the empty row the "add" button copies) offers only the agency's staff."""
    from .rules import agency_staff

    if formset is None:
        return
    staff = agency_staff(agency)
    base = formset.form

    class RowForm(base):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            for name in field_names:
                if name in self.fields:
                    self.fields[name].queryset = staff
                    self.fields[name].label_from_instance = user_label

        def clean(self):
            data = super().clean()
            if clean_row is not None and not data.get("DELETE"):
                clean_row(self, data)
            return data

    formset.form = RowForm


def _one_per_year(form, model, data, noun: str) -> None:
    agency = agency_of(form.instance if form.instance.pk else form.parent_page)
    year = data.get("year")
    if agency is None or not year:
        return
    others = model.objects.descendant_of(agency).filter(year=year)
    if form.instance.pk:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        form.add_error(
            "year", f"Cơ quan đã có {noun} năm {year}: hãy sửa {noun} đó thay vì lập mới."
        )


class RiskRegisterForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .risk import risk_scale_for

        page = self.instance if self.instance.pk else self.parent_page
        agency = agency_of(page)
        if agency is None:
            return
        scale = risk_scale_for(page)

        def clean_row(row, data):
            for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
                if scale.out_of_scale(data.get(name)):
                    row.add_error(
                        name, f"Giá trị phải từ 1 đến {scale.size} (thang đo {scale.size} mức)."
                    )
            if bool(data.get("residual_likelihood")) != bool(data.get("residual_impact")):
                row.add_error(
                    "residual_impact",
                    "Hãy nhập cả khả năng và ảnh hưởng sau xử lý, hoặc để trống cả hai.",
                )
            if data.get("treatment") and not (
                data.get("treatment_owner") and data.get("treatment_due")
            ):
                row.add_error(
                    "treatment_owner", "Biện pháp xử lý cần người thực hiện và hạn xử lý."
                )
            year = self.cleaned_data.get("year")
            due = data.get("treatment_due")
            if year and due and due.year < year:
                row.add_error("treatment_due", f"Hạn xử lý không được trước năm {year}.")

        _limit_owner_fields(
            self.formsets.get("risks"), ("treatment_owner",), agency, clean_row=clean_row
        )
        for form_field in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
            labels = scale.likelihood_labels if "likelihood" in form_field else scale.impact_labels
            formset = self.formsets.get("risks")
            if formset is not None and form_field in formset.form.base_fields:
                formset.form.base_fields[form_field].help_text = scale.choices_text(labels)

    def clean(self):
        data = super().clean()
        from .risk import RiskRegisterPage

        _one_per_year(self, RiskRegisterPage, data, "sổ đăng ký rủi ro, cơ hội")
        return data


class ManagementReviewForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        agency = agency_of(self.instance if self.instance.pk else self.parent_page)
        if agency is None:
            return

        def clean_row(row, data):
            meeting = self.cleaned_data.get("meeting_date")
            due = data.get("due_date")
            if meeting and due and due < meeting:
                row.add_error(
                    "due_date",
                    f"Hạn hoàn thành không được trước ngày họp ({meeting:%d/%m/%Y}).",
                )

        _limit_owner_fields(self.formsets.get("decisions"), ("owner",), agency, clean_row)

    def clean(self):
        data = super().clean()
        year, meeting = data.get("year"), data.get("meeting_date")
        if year and meeting and meeting.year not in (year, year + 1):
            self.add_error(
                "meeting_date",
                f"Cuộc họp xem xét kết quả năm {year} phải diễn ra trong năm {year} "
                f"hoặc đầu năm {year + 1}.",
            )
        return data


def _rows_with_agency_units(form, relation: str, extra_clean=None) -> None:
    """Every row of the inline `relation` offers only the agency's units."""
    from .units import QualityUnit

    agency = agency_of(form.instance if form.instance.pk else form.parent_page)
    formset = form.formsets.get(relation)
    if agency is None or formset is None:
        return
    units = QualityUnit.objects.filter(agency=agency)
    base = formset.form

    class RowForm(base):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            if "unit" in self.fields:
                self.fields["unit"].queryset = units

        def clean(self):
            data = super().clean()
            if extra_clean is not None:
                extra_clean(self, data, agency)
            return data

    formset.form = RowForm


def _objective_row_clean(row, data: dict, agency) -> None:
    from .objectives import DataSource

    if (
        data.get("data_source") == DataSource.DOSSIER_PROCEDURE
        and not (data.get("procedure_code") or "").strip()
    ):
        row.add_error(
            "procedure_code", "Hãy nhập mã thủ tục khi mục tiêu tính theo số liệu của một thủ tục."
        )


def _plan_row_clean(row, data: dict, agency) -> None:
    record = data.get("record")
    if record is not None and not record.path.startswith(agency.path):
        row.add_error("record", "Hồ sơ chứng minh phải là một trang của chính cơ quan.")


class QualityObjectivesForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rows_with_agency_units(self, "objectives", _objective_row_clean)

    def clean(self):
        from .objectives import QualityObjectivesPage

        data = super().clean()
        _one_per_year(self, QualityObjectivesPage, data, "mục tiêu chất lượng")
        return data


class MaintenancePlanForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rows_with_agency_units(self, "items", _plan_row_clean)

    def clean(self):
        from .maintenance import MaintenancePlanPage

        data = super().clean()
        _one_per_year(self, MaintenancePlanPage, data, "kế hoạch duy trì HTQLCL")
        return data
