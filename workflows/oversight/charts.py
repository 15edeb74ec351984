"""Chart geometry for the dashboard, drawn as inline SVG by the admin templates
(themes/templates/oversight/includes/): no chart library, no script, nothing from elsewhere,
readable without JavaScript and by screen readers (each chart has a title and a data table)."""

from __future__ import annotations

from dataclasses import dataclass

from .selectors import OnTimeRate

MONTHS = list(range(1, 13))


def percent(value: float | None) -> str:
    """96,5 % — Vietnamese decimal comma; a dash when there is nothing to measure."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + " %"


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: int
    width: float
    title: str


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    label_width: int
    bar_width: int
    row_height: int
    bars: list[Bar]


def completion_chart(rows: list[tuple[str, int, int]]) -> BarChart:
    """One horizontal bar per agency: (label, items done, items required)."""
    label_width, bar_width, row_height = 230, 340, 24
    bars = []
    for index, (label, done, total) in enumerate(rows):
        share = done / total if total else 0
        bars.append(
            Bar(
                label=label,
                value_text=f"{done}/{total}",
                y=index * row_height,
                width=round(bar_width * share, 1),
                title=f"{label}: {done}/{total} yêu cầu ({percent(100 * share)})",
            )
        )
    return BarChart(
        width=label_width + bar_width + 60,
        height=max(row_height, len(bars) * row_height),
        label_width=label_width,
        bar_width=bar_width,
        row_height=row_height,
        bars=bars,
    )


def rate_band(rate: float | None) -> str:
    """The colour band of an on-time rate (CSS class suffix); its legend is in the template."""
    if rate is None:
        return "none"
    if rate >= 95:
        return "high"
    if rate >= 80:
        return "mid"
    return "low"


@dataclass(frozen=True)
class HeatCell:
    x: int
    text: str
    band: str
    title: str


@dataclass(frozen=True)
class HeatRow:
    label: str
    y: int
    cells: list[HeatCell]


@dataclass(frozen=True)
class HeatMap:
    width: int
    height: int
    label_width: int
    cell_width: int
    row_height: int
    months: list[tuple[int, int]]  # (month, x)
    rows: list[HeatRow]


def on_time_heatmap(
    agencies: list[tuple[int, str]], rates: dict[tuple[int, int], OnTimeRate], year: int
) -> HeatMap:
    """Agencies × months, each cell the share of dossiers resolved early or on time."""
    label_width, cell_width, row_height, top = 230, 46, 24, 24
    rows = []
    for index, (agency_id, label) in enumerate(agencies):
        cells = []
        for month in MONTHS:
            rate = rates.get((agency_id, month))
            value = rate.rate if rate else None
            detail = f"{rate.on_time}/{rate.resolved} hồ sơ" if rate else "chưa có số liệu"
            cells.append(
                HeatCell(
                    x=label_width + (month - 1) * cell_width,
                    text="" if value is None else f"{value:.0f}",
                    band=rate_band(value),
                    title=f"{label}, tháng {month:02d}/{year}: {percent(value)} ({detail})",
                )
            )
        rows.append(HeatRow(label=label, y=top + index * row_height, cells=cells))
    return HeatMap(
        width=label_width + 12 * cell_width,
        height=top + max(1, len(rows)) * row_height,
        label_width=label_width,
        cell_width=cell_width,
        row_height=row_height,
        months=[(m, label_width + (m - 1) * cell_width) for m in MONTHS],
        rows=rows,
    )


@dataclass(frozen=True)
class Point:
    month: int
    x: float
    y: float
    rate: float
    title: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int
    points: list[Point]
    months: list[tuple[int, float]]
    gridlines: list[tuple[int, float]]  # (percent, y)

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x},{p.y}" for p in self.points)


def monthly_rate_chart(rates: dict[int, OnTimeRate], year: int, label: str) -> LineChart:
    """The on-time rate by month for one agency or the whole province ({month: rate})."""
    left, top, plot_width, plot_height = 48, 12, 560, 180

    def x_of(month: int) -> float:
        return round(left + (month - 1) * plot_width / 11, 1)

    def y_of(rate: float) -> float:
        return round(top + (100 - rate) * plot_height / 100, 1)

    points = []
    for month in MONTHS:
        rate = rates.get(month)
        if rate is None or rate.rate is None:
            continue
        points.append(
            Point(
                month=month,
                x=x_of(month),
                y=y_of(rate.rate),
                rate=rate.rate,
                title=f"{label}, tháng {month:02d}/{year}: {percent(rate.rate)} "
                f"({rate.on_time}/{rate.resolved} hồ sơ)",
            )
        )
    return LineChart(
        width=left + plot_width + 24,
        height=top + plot_height + 32,
        left=left,
        top=top,
        plot_width=plot_width,
        plot_height=plot_height,
        points=points,
        months=[(m, x_of(m)) for m in MONTHS],
        gridlines=[(p, y_of(p)) for p in (0, 25, 50, 75, 100)],
    )
