"""The province dashboard: agencies × required items for a year, the counts («33/42»), the charts'
data, and its XLSX export. One query for the agencies, then a fixed number per item and for the
dossier rates: the count does not grow with the number of agencies."""

from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO

from django.utils import timezone

from content_types.agency import AgencyLevel, AgencyPage

from .charts import (
    BarChart,
    HeatMap,
    LineChart,
    completion_chart,
    monthly_rate_chart,
    on_time_heatmap,
    percent,
)
from .registry import DashboardItem, DashboardScope, ItemStatus, dashboard_items
from .selectors import OnTimeRate, dossier_on_time_rates


@dataclass
class DashboardRow:
    agency: AgencyPage
    statuses: list[ItemStatus]

    @property
    def done(self) -> int:
        return sum(1 for status in self.statuses if status.done)

    @property
    def total(self) -> int:
        return len(self.statuses)


@dataclass
class Dashboard:
    year: int
    level: str | None
    items: list[DashboardItem]
    rows: list[DashboardRow]
    rates: dict[tuple[int, int], OnTimeRate] = field(default_factory=dict)

    @property
    def counts(self) -> list[tuple[int, int]]:
        """Per item: (agencies that have done it, agencies shown) — the seeds' «33/42»."""
        total = len(self.rows)
        return [
            (sum(1 for row in self.rows if row.statuses[index].done), total)
            for index in range(len(self.items))
        ]

    @property
    def complete_agencies(self) -> int:
        return sum(1 for row in self.rows if row.done == row.total)

    def completion_chart(self) -> BarChart:
        return completion_chart([(r.agency.short_name, r.done, r.total) for r in self.rows])

    def on_time_heatmap(self) -> HeatMap:
        agencies = [(row.agency.pk, row.agency.short_name) for row in self.rows]
        return on_time_heatmap(agencies, self.rates, self.year)

    def province_rates(self) -> dict[int, OnTimeRate]:
        by_month: dict[int, list[int]] = {}
        for (_agency_id, month), rate in self.rates.items():
            tally = by_month.setdefault(month, [0, 0])
            tally[0] += rate.resolved
            tally[1] += rate.on_time
        return {m: OnTimeRate(resolved=r, on_time=o) for m, (r, o) in by_month.items()}

    def province_chart(self) -> LineChart:
        return monthly_rate_chart(self.province_rates(), self.year, "Các cơ quan đang xem")

    def agency_rate(self, agency_id: int) -> OnTimeRate | None:
        resolved = on_time = 0
        for (found, _month), rate in self.rates.items():
            if found == agency_id:
                resolved += rate.resolved
                on_time += rate.on_time
        return OnTimeRate(resolved=resolved, on_time=on_time) if resolved else None


MISSING = ItemStatus(done=False)


def dashboard_build(
    *, year: int, level: str | None = None, agency_ids: list[int] | None = None
) -> Dashboard:
    agencies = AgencyPage.objects.order_by("title").only(
        "pk", "title", "short_name", "agency_code", "level", "path", "depth"
    )
    if level in AgencyLevel.values:
        agencies = agencies.filter(level=level)
    else:
        level = None
    if agency_ids is not None:
        agencies = agencies.filter(pk__in=agency_ids)
    scope = DashboardScope(year=year, agencies=list(agencies))
    items = dashboard_items()
    found = [item.selector(scope) for item in items]
    rows = [
        DashboardRow(
            agency=agency, statuses=[statuses.get(agency.pk, MISSING) for statuses in found]
        )
        for agency in scope.agencies
    ]
    rates = dossier_on_time_rates(year=year, agency_ids=scope.agency_ids) if rows else {}
    return Dashboard(year=year, level=level, items=items, rows=rows, rates=rates)


def dashboard_xlsx(dashboard: Dashboard, *, province_name: str = "") -> bytes:
    """The matrix as Sở KH&CN files it: one row per agency, «x» where done, counts below."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Tổng hợp {dashboard.year}"
    title = f"TÌNH HÌNH XÂY DỰNG, ÁP DỤNG HTQLCL NĂM {dashboard.year}"
    if province_name:
        title += f" — {province_name.upper()}"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=13)
    level = dict(AgencyLevel.choices).get(dashboard.level or "", "Tất cả các cấp")
    sheet.append([f"Cấp: {level}. Ngày lập: {timezone.localtime().strftime('%d/%m/%Y %H:%M')}"])
    sheet.append([])
    header = [
        "STT", "Cơ quan, đơn vị", "Mã", "Cấp",
        *[item.label for item in dashboard.items],
        "Đạt", "Tỷ lệ hồ sơ đúng hạn",
    ]  # fmt: skip
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    missing_fill = PatternFill("solid", fgColor="FDE2E1")
    for number, row in enumerate(dashboard.rows, start=1):
        rate = dashboard.agency_rate(row.agency.pk)
        sheet.append(
            [
                number,
                row.agency.title,
                row.agency.agency_code,
                row.agency.get_level_display(),
                *["x" if status.done else "" for status in row.statuses],
                f"{row.done}/{row.total}",
                percent(rate.rate) if rate else "",
            ]
        )
        for index, status in enumerate(row.statuses):
            if not status.done:
                sheet.cell(row=sheet.max_row, column=5 + index).fill = missing_fill
    sheet.append(
        [
            "",
            "Tổng số cơ quan đạt",
            "",
            "",
            *[f"{done}/{total}" for done, total in dashboard.counts],
            f"{dashboard.complete_agencies}/{len(dashboard.rows)}",
            "",
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    widths = [6, 44, 12, 22, *[14] * len(dashboard.items), 8, 14]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
