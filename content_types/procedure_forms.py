"""Editing a procedure: day counts written the Vietnamese way, and the internal-process check.

The arithmetic is in plain functions (`process_total_days`, `process_limit_error`) so it can be
tested without a form; `ProcedurePageAdminForm.clean()` only gathers the steps and reports.
"""

from collections.abc import Iterable
from decimal import Decimal

from django import forms

from wagtail.admin.forms import WagtailAdminPageForm

from .forms import AgencyPageFormMixin

DAYS_UNIT = "ngày làm việc"


def format_days(value: Decimal | int) -> str:
    """7.50 → "7,5"; 7.00 → "7"; 0.25 → "0,25" (Vietnamese decimal comma, no trailing zeros)."""
    text = f"{Decimal(value):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def parse_days(text: str) -> Decimal:
    """ "0,5" and "0.5" both → Decimal("0.5"). Raises ValueError on anything else."""
    cleaned = (text or "").strip().replace(" ", "")
    if cleaned.count(",") + cleaned.count(".") > 1:
        # "1.234,5" makes no sense for a number of days; refuse rather than guess.
        raise ValueError(text)
    try:
        value = Decimal(cleaned.replace(",", "."))
    except ArithmeticError as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def process_total_days(steps: Iterable[tuple[Decimal | None, bool]]) -> Decimal:
    """Working days of an internal process: the sum over (working_days, counted) of counted steps.

    A step marked not counted (typically returning the result, "không tính thời gian") adds
    nothing, whatever days it shows; an empty day count adds nothing.
    """
    return sum(
        (Decimal(days) for days, counted in steps if counted and days is not None),
        Decimal(0),
    )


HOURS_UNIT = "giờ làm việc"
HOURS_PER_DAY = Decimal(8)  # a working day (Decree 118/2025/NĐ-CP counts 8 working hours)


def step_amount(*, days: Decimal | None, hours: Decimal | None, unit: str) -> Decimal | None:
    """A step's time in the process's unit ("days" or "hours"): a step given in hours counts
    hours/8 days in a process limited in days, and the other way round."""
    if unit == "hours":
        if hours is not None:
            return Decimal(hours)
        return Decimal(days) * HOURS_PER_DAY if days is not None else None
    if days is not None:
        return Decimal(days)
    return Decimal(hours) / HOURS_PER_DAY if hours is not None else None


def process_total_in(steps: Iterable[tuple[Decimal | None, Decimal | None, bool]], unit: str):
    """Total of the counted steps, given as (days, hours, counted), in `unit`."""
    return process_total_days(
        (step_amount(days=days, hours=hours, unit=unit), counted) for days, hours, counted in steps
    )


def process_limit_error(
    *, total: Decimal, limit: Decimal, unit_label: str = DAYS_UNIT, name: str = ""
) -> str | None:
    """The message refusing a process longer than its legal limit, or None when it fits."""
    if total <= limit:
        return None
    which = f" của quy trình «{name}»" if name else ""
    return (
        f"Tổng thời gian các bước được tính{which} ({format_days(total)} {unit_label}) vượt "
        f"thời hạn giải quyết theo quy định ({format_days(limit)} {unit_label}). Hãy rút ngắn "
        "các bước hoặc đánh dấu bước không tính thời gian."
    )


class VietnameseDecimalField(forms.DecimalField):
    """A decimal form field that accepts "0,5" as well as "0.5" and shows "0,5".

    A text input, not <input type="number">: browsers set to English refuse a comma there.
    """

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": "Nhập một số, ví dụ 1 hoặc 0,5.",
        "max_decimal_places": "Tối đa %(max)s chữ số sau dấu phẩy, ví dụ 0,25.",
        "min_value": "Không được nhỏ hơn %(limit_value)s.",
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, str):
            try:
                return parse_days(value)
            except ValueError as exc:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from exc
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_days(value)
        return value


class ProcedurePageAdminForm(AgencyPageFormMixin, WagtailAdminPageForm):
    """Refuses a national code the agency already uses for another procedure (citizens would
    find two records of one procedure), and an internal process whose counted steps take longer
    than the legal time limit."""

    process_formset_name = "process_steps"
    limit_field_name = "process_time_limit"

    def clean_national_code(self) -> str:
        return self._unique_in_agency("national_code", "Mã thủ tục")

    def _check_linked_forms(self) -> None:
        """A procedure may link its own agency's forms, drafts included (they go live
        together), but another agency's only once published and public: never a draft or a
        private page that citizens would meet as a dead link, or whose title would leak."""
        agency = self._agency()
        if agency is None:
            return

        def refused(linked) -> bool:
            if linked is None or linked.path.startswith(agency.path):
                return False
            return not linked.live or linked.get_view_restrictions().exists()

        message = (
            "Chỉ được dùng biểu mẫu của cơ quan mình, hoặc biểu mẫu đã công khai của cơ quan khác."
        )
        for name, field in (("forms_used", "form_page"), ("cases", "dossier")):
            formset = self.formsets.get(name)
            for form in formset.forms if formset is not None else ():
                if not form.is_valid() or form.cleaned_data.get("DELETE"):
                    continue
                value = form.cleaned_data.get(field)
                if field == "dossier":  # the forms chosen in the case's dossier components
                    linked = [block.value.get("form") for block in value or ()]
                else:
                    linked = [value]
                if any(refused(page) for page in linked):
                    form.add_error(field, message)
                    # Shown at the top as well: a dossier's error sits inside its stream.
                    self.add_error(None, message)

    def clean(self):
        cleaned_data = super().clean()
        self._check_linked_forms()
        formset = self.formsets.get(self.process_formset_name)
        if formset is None:
            return cleaned_data
        steps = self._rows(formset)
        processes = self._rows(self.formsets.get("processes"))
        if steps is None or processes is None or self.limit_field_name in self.errors:
            return cleaned_data
        limits = {
            (row.get("name") or "").strip(): (
                row.get("time_limit"),
                row.get("time_limit_unit") or "days",
            )
            for row in processes
        }
        groups: dict[str, list] = {}
        for row in steps:
            name = (row.get("process_name") or "").strip()
            if name and name not in limits:
                self.add_error(
                    None,
                    f"Bước «{row.get('task', '')[:60]}» thuộc quy trình «{name}», nhưng mục «Các "
                    "quy trình khác» chưa có quy trình tên đó.",
                )
                return cleaned_data
            groups.setdefault(name, []).append(
                (row.get("working_days"), row.get("hours"), row["counted"])
            )
        for name, rows in groups.items():
            if name:
                limit, unit = limits[name]
            else:
                limit = cleaned_data.get(self.limit_field_name)
                unit = cleaned_data.get("process_limit_unit") or "days"
            if limit is None:
                message = (
                    "Nhập thời hạn giải quyết theo quy định để kiểm tra tổng thời gian của quy "
                    "trình nội bộ."
                )
                if name:
                    self.add_error(None, f"Quy trình «{name}»: {message[0].lower()}{message[1:]}")
                else:
                    self.add_error(self.limit_field_name, message)
                continue
            label = HOURS_UNIT if unit == "hours" else DAYS_UNIT
            message = process_limit_error(
                total=process_total_in(rows, unit), limit=limit, unit_label=label, name=name
            )
            if message:
                self.add_error(None if name else self.limit_field_name, message)
        return cleaned_data

    @staticmethod
    def _rows(formset) -> list[dict] | None:
        """The kept rows' cleaned data, or None when a row has its own error (a total without
        it would mislead)."""
        if formset is None:
            return []
        rows = []
        for form in formset.forms:
            if form.empty_permitted and not form.has_changed():
                continue  # an untouched extra form
            if not form.is_valid():
                return None
            if formset.can_delete and form.cleaned_data.get("DELETE"):
                continue
            rows.append(form.cleaned_data)
        return rows
