"""Quality objectives: periods, measurements and their status (ISO 9001:2015 clauses 6.2, 9.1).

A period is due once it has ended (the day after its last day); an objective measured by hand
needs a measurement per due period, one computed from the one-stop figures reads them
(`DossierStatistic`) for the period's months. Status per period: achieved, not achieved, not
measured (due but without a value) or not due yet.
"""

from __future__ import annotations

import calendar
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from content_types.agency import AgencyPage, agency_path_finder
from content_types.oversight import DossierStatistic
from content_types.quality.action import ActionSource, QualityAction
from content_types.quality.objectives import (
    FREQUENCY_MONTHS,
    DataSource,
    Frequency,
    ObjectiveMeasurement,
    QualityObjective,
    QualityObjectivesPage,
)
from content_types.quality.rules import agency_of
from content_types.uploads import upload_check

from ..oversight.charts import LineChart, Point
from .nonconformities import is_agency_staff
from .policy import Right, quality_require


class Status:
    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    NOT_MEASURED = "not_measured"
    NOT_DUE = "not_due"


STATUS_LABELS = {
    Status.ACHIEVED: "Đạt",
    Status.NOT_ACHIEVED: "Không đạt",
    Status.NOT_MEASURED: "Chưa đo",
    Status.NOT_DUE: "Chưa đến kỳ",
}


# --- periods -------------------------------------------------------------------------------


def period_months(frequency: str, period: int) -> tuple[int, int]:
    """The first and last month of `period` (1-based) for `frequency`."""
    size = FREQUENCY_MONTHS[Frequency(frequency)]
    first = (period - 1) * size + 1
    return first, first + size - 1


def period_end(year: int, frequency: str, period: int) -> date:
    last = period_months(frequency, period)[1]
    return date(year, last, calendar.monthrange(year, last)[1])


def period_start(year: int, frequency: str, period: int) -> date:
    return date(year, period_months(frequency, period)[0], 1)


def period_label(frequency: str, period: int, year: int) -> str:
    if frequency == Frequency.MONTH:
        return f"Tháng {period:02d}/{year}"
    if frequency == Frequency.QUARTER:
        return f"Quý {['I', 'II', 'III', 'IV'][period - 1]}/{year}"
    if frequency == Frequency.HALF_YEAR:
        return f"6 tháng {'đầu' if period == 1 else 'cuối'} năm {year}"
    return f"Năm {year}"


def periods_due(year: int, frequency: str, today: date) -> list[int]:
    """The periods of `year` that have ended by `today` (a period is due the day after)."""
    count = 12 // FREQUENCY_MONTHS[Frequency(frequency)]
    return [p for p in range(1, count + 1) if period_end(year, frequency, p) < today]


def number_text(value: Decimal | float | None) -> str:
    """97,5 — the Vietnamese decimal comma, no trailing zeros."""
    if value is None:
        return "—"
    text = f"{Decimal(value).quantize(Decimal('0.01')).normalize():f}"
    return text.replace(".", ",")


def number_parse(text: str) -> Decimal:
    """A value typed as 97,5 or 97.5 (a percent sign is allowed); refused otherwise."""
    cleaned = (text or "").strip().rstrip("%").strip().replace(" ", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not cleaned:
        raise ValidationError(f"Kết quả «{text}» không phải là một số. Hãy nhập số, ví dụ 97,5.")
    if abs(value) >= Decimal("1e10"):
        raise ValidationError("Kết quả quá lớn.")
    return value.quantize(Decimal("0.01"))


# --- computed values -----------------------------------------------------------------------


def dossier_figures(*, agency_ids: list[int], year: int) -> dict[tuple[int, str, int], tuple]:
    """{(agency id, procedure code, month): (resolved, on time)} of `year`, in one query."""
    rows = (
        DossierStatistic.objects.filter(agency_id__in=agency_ids, year=year)
        .values("agency_id", "procedure_code", "month")
        .annotate(
            early=Sum("resolved_early"), on_time=Sum("resolved_on_time"), late=Sum("resolved_late")
        )
        .order_by()
    )
    return {
        (r["agency_id"], r["procedure_code"], r["month"]): (
            r["early"] + r["on_time"] + r["late"],
            r["early"] + r["on_time"],
        )
        for r in rows
    }


def computed_value(
    objective: QualityObjective, *, agency_id: int, year: int, period: int, figures: dict
) -> Decimal | None:
    """The on-time rate (%) of the period's months, or None without resolved dossiers."""
    first, last = period_months(objective.frequency, period)
    code = (objective.procedure_code or "").strip()
    resolved = on_time = 0
    for (agency, procedure_code, month), (res, ok) in figures.items():
        if agency != agency_id or not first <= month <= last:
            continue
        if objective.data_source == DataSource.DOSSIER_PROCEDURE and procedure_code != code:
            continue
        resolved += res
        on_time += ok
    if not resolved:
        return None
    return (Decimal(100 * on_time) / Decimal(resolved)).quantize(Decimal("0.01"))


# --- status --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectiveChart(LineChart):
    """The dashboard's line chart, with the target drawn across it."""

    target_y: float = 0.0
    target_text: str = ""


@dataclass
class PeriodStatus:
    period: int
    label: str
    end: date
    status: str
    value: Decimal | None = None
    measurement: ObjectiveMeasurement | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def value_text(self) -> str:
        return number_text(self.value)


@dataclass
class ObjectiveStatus:
    objective: QualityObjective
    periods: list[PeriodStatus]
    status: str
    actions: list[QualityAction] = field(default_factory=list)
    chart: ObjectiveChart | None = None

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def missing(self) -> list[PeriodStatus]:
        return [p for p in self.periods if p.status == Status.NOT_MEASURED]


def _overall(periods: list[PeriodStatus]) -> str:
    due = [p for p in periods if p.status != Status.NOT_DUE]
    if not due and not any(p.value is not None for p in periods):
        return Status.NOT_DUE
    if any(p.status == Status.NOT_ACHIEVED for p in periods):
        return Status.NOT_ACHIEVED
    if any(p.status == Status.NOT_MEASURED for p in periods):
        return Status.NOT_MEASURED
    return Status.ACHIEVED


def agencies_by_path() -> Callable[[str], int | None]:
    """A function from a page path to the id of the agency above it (one query for all)."""
    by_path = dict(AgencyPage.objects.values_list("path", "pk"))
    return agency_path_finder(by_path)


def objectives_progress(
    *, pages: list[QualityObjectivesPage], today: date | None = None, detail: bool = False
) -> dict[int, list[ObjectiveStatus]]:
    """{page id: its objectives with their periods' status} for many pages in a fixed number of
    queries (objectives, measurements, one-stop figures; actions and charts with `detail`)."""
    today = today or timezone.localdate()
    if not pages:
        return {}
    agency_of_path = agencies_by_path()
    page_info = {page.pk: (page.year, agency_of_path(page.path)) for page in pages}
    objectives = list(
        QualityObjective.objects.filter(page_id__in=list(page_info))
        .select_related("unit")
        .order_by("page_id", "sort_order", "pk")
    )
    measured = {
        (m.objective_id, m.period): m
        for m in ObjectiveMeasurement.objects.filter(objective__in=objectives).select_related(
            "measured_by"
        )
    }
    actions: dict[int, list] = {}
    if detail:
        for action in QualityAction.objects.filter(objective__in=objectives).select_related(
            "owner"
        ):
            actions.setdefault(action.objective_id, []).append(action)
    figures: dict = {}
    computed_pages = {o.page_id for o in objectives if o.is_computed}
    for year in {page_info[pk][0] for pk in computed_pages}:
        agency_ids = [page_info[pk][1] for pk in computed_pages if page_info[pk][0] == year]
        figures[year] = dossier_figures(agency_ids=agency_ids, year=year)
    result: dict[int, list[ObjectiveStatus]] = {pk: [] for pk in page_info}
    for objective in objectives:
        year, agency_id = page_info[objective.page_id]
        periods = []
        for period in range(1, objective.periods_per_year + 1):
            end = period_end(year, objective.frequency, period)
            measurement = measured.get((objective.pk, period))
            if objective.is_computed:
                # The current period's figures are partial: shown, judged once it has ended.
                value = computed_value(
                    objective,
                    agency_id=agency_id,
                    year=year,
                    period=period,
                    figures=figures.get(year, {}),
                )
            else:
                value = measurement.value if measurement else None
            if end >= today:
                status = Status.NOT_DUE
            elif value is None:
                status = Status.NOT_MEASURED
            else:
                status = Status.ACHIEVED if objective.is_met(value) else Status.NOT_ACHIEVED
            periods.append(
                PeriodStatus(
                    period=period,
                    label=period_label(objective.frequency, period, year),
                    end=end,
                    status=status,
                    value=value,
                    measurement=measurement,
                )
            )
        result[objective.page_id].append(
            ObjectiveStatus(
                objective=objective,
                periods=periods,
                status=_overall(periods),
                actions=actions.get(objective.pk, []),
                chart=objective_chart(objective, periods) if detail else None,
            )
        )
    return result


def objective_statuses(
    *, page: QualityObjectivesPage, today: date | None = None
) -> list[ObjectiveStatus]:
    """One page's objectives with their status, plan actions and charts."""
    return objectives_progress(pages=[page], today=today, detail=True)[page.pk]


def objectives_set_status(statuses: list[ObjectiveStatus]) -> str:
    """The year's set as a whole: not achieved if one objective is not, and so on."""
    if not statuses:
        return Status.NOT_DUE
    found = {s.status for s in statuses}
    for status in (Status.NOT_ACHIEVED, Status.NOT_MEASURED, Status.ACHIEVED):
        if status in found:
            return status
    return Status.NOT_DUE


def objective_chart(
    objective: QualityObjective, periods: list[PeriodStatus]
) -> ObjectiveChart | None:
    """The measured values by period against the target (the dashboard's line chart shape)."""
    left, top, plot_width, plot_height = 48, 12, 480, 150
    values = [p.value for p in periods if p.value is not None]
    scale_top = max(
        [Decimal(100) if objective.target_unit.strip() == "%" else Decimal(0)]
        + [objective.target_value * Decimal("1.2")]
        + values
    ) or Decimal(1)
    count = len(periods)

    def x_of(index: int) -> float:
        return round(left + (plot_width * (index + 0.5) / count), 1)

    def y_of(value: Decimal) -> float:
        return round(top + float((scale_top - value) / scale_top) * plot_height, 1)

    points = [
        Point(
            month=p.period,
            x=x_of(i),
            y=y_of(p.value),
            rate=float(p.value),
            title=f"{p.label}: {p.value_text} {objective.target_unit} — {p.status_label}",
        )
        for i, p in enumerate(periods)
        if p.value is not None
    ]
    steps = [scale_top * Decimal(k) / 4 for k in range(5)]
    if not count:
        return None
    return ObjectiveChart(
        width=left + plot_width + 24,
        height=top + plot_height + 32,
        left=left,
        top=top,
        plot_width=plot_width,
        plot_height=plot_height,
        points=points,
        months=[(p.period, x_of(i)) for i, p in enumerate(periods)],
        gridlines=[(number_text(step), y_of(step)) for step in steps],
        target_y=y_of(objective.target_value),
        target_text=objective.target_text(),
    )


# --- services ------------------------------------------------------------------------------


def _require_approved(page: QualityObjectivesPage) -> None:
    if not page.live:
        raise ValidationError(
            f"Mục tiêu chất lượng năm {page.year} chưa được lãnh đạo phê duyệt: chưa thể nhập kết "
            "quả đo."
        )


@transaction.atomic
def objective_measurement_record(
    *,
    objective: QualityObjective,
    period: int | str | None,
    value: str,
    evidence: str = "",
    evidence_file=None,
    user,
    today: date | None = None,
) -> ObjectiveMeasurement:
    """Record (or correct) a period's measured value of an objective measured by hand."""
    page = objective.page
    agency = agency_of(page)
    if agency is None:
        raise PermissionDenied
    quality_require(user, agency, Right.MANAGE)
    _require_approved(page)
    if objective.is_computed:
        raise ValidationError(
            "Mục tiêu này được tính tự động từ số liệu hồ sơ một cửa, không nhập kết quả bằng tay."
        )
    today = today or timezone.localdate()
    try:
        period = int(period)
    except (TypeError, ValueError):
        period = 0
    if not 1 <= period <= objective.periods_per_year:
        raise ValidationError(f"Kỳ đo không thuộc năm {page.year} của mục tiêu này.")
    if period_start(page.year, objective.frequency, period) > today:
        label = period_label(objective.frequency, period, page.year)
        raise ValidationError(f"{label} chưa bắt đầu: chưa thể nhập kết quả.")
    number = number_parse(value)
    evidence = (evidence or "").strip()
    if evidence_file:
        upload_check(evidence_file)
    existing = (
        ObjectiveMeasurement.objects.select_for_update()
        .filter(objective=objective, period=period)
        .first()
    )
    if not evidence and not evidence_file and not (existing and existing.evidence_file):
        raise ValidationError("Hãy ghi bằng chứng (nguồn số liệu, sổ theo dõi…) hoặc đính kèm tệp.")
    measurement = existing or ObjectiveMeasurement(
        objective=objective, period=period, agency=agency
    )
    measurement.value = number
    measurement.evidence = evidence
    if evidence_file:
        measurement.evidence_file = evidence_file
    measurement.measured_by = user
    measurement.save()
    return measurement


def objective_action_add(
    *,
    objective: QualityObjective,
    title: str,
    owner,
    due_date: date | None,
    user,
    description: str = "",
) -> QualityAction:
    """An action of the objective's implementation plan, in the agency's one action list."""
    agency = agency_of(objective.page)
    if agency is None:
        raise PermissionDenied
    quality_require(user, agency, Right.MANAGE)
    if not (title or "").strip():
        raise ValidationError("Hãy nhập nội dung hành động.")
    if owner is None or not is_agency_staff(agency, owner):
        raise ValidationError("Người thực hiện phải là cán bộ của cơ quan.")
    if due_date is None:
        raise ValidationError("Hãy chọn hạn hoàn thành.")
    if due_date < timezone.localdate():
        raise ValidationError("Hạn hoàn thành không được trước ngày hôm nay.")
    if due_date.year > objective.page.year + 1:
        raise ValidationError("Hạn hoàn thành quá xa năm của mục tiêu.")
    return QualityAction.objects.create(
        agency=agency,
        source=ActionSource.OBJECTIVE,
        objective=objective,
        title=title.strip(),
        description=(description or "").strip(),
        owner=owner,
        due_date=due_date,
        created_by=user,
    )


def measurement_due_date(year: int, frequency: str, period: int) -> date:
    """When a period's measurement is expected: the period's last day (reminded from then)."""
    return period_end(year, frequency, period)
