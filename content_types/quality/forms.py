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
