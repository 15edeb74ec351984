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


def _year_taken_error(form, model, label: str, data: dict) -> None:
    """One record of `model` per agency and year: a second would split the year's record."""
    agency = agency_of(form.instance if form.instance.pk else form.parent_page)
    year = data.get("year")
    if agency is None or not year:
        return
    others = model.objects.descendant_of(agency).filter(year=year)
    if form.instance.pk:
        others = others.exclude(pk=form.instance.pk)
    if others.exists():
        form.add_error("year", f"Cơ quan đã có {label} năm {year}: hãy sửa bản đó thay vì lập mới.")


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
        _year_taken_error(self, QualityObjectivesPage, "mục tiêu chất lượng", data)
        return data


class MaintenancePlanForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _rows_with_agency_units(self, "items", _plan_row_clean)

    def clean(self):
        from .maintenance import MaintenancePlanPage

        data = super().clean()
        _year_taken_error(self, MaintenancePlanPage, "kế hoạch duy trì HTQLCL", data)
        return data
