"""What other features read from the one-stop figures: on-time rates (the dashboard, objectives
whose data source is dossiers), procedures with late dossiers (audit sampling), yearly totals
(the management review). Their queries do not grow with the number of agencies."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Sum

from content_types.oversight import FIGURE_FIELDS, DossierStatistic


@dataclass(frozen=True)
class OnTimeRate:
    resolved: int
    on_time: int  # early + on time

    @property
    def rate(self) -> float | None:
        """Share resolved early or on time, 0–100; None when nothing was resolved."""
        return 100 * self.on_time / self.resolved if self.resolved else None


def dossier_on_time_rates(
    *, year: int, agency_ids: list[int] | None = None
) -> dict[tuple[int, int], OnTimeRate]:
    """{(agency id, month): on-time rate} for `year` (months without figures are absent)."""
    rows = DossierStatistic.objects.filter(year=year)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    rows = (
        rows.values("agency_id", "month")
        .annotate(
            early=Sum("resolved_early"), on_time=Sum("resolved_on_time"), late=Sum("resolved_late")
        )
        .order_by()
    )
    return {
        (r["agency_id"], r["month"]): OnTimeRate(
            resolved=r["early"] + r["on_time"] + r["late"], on_time=r["early"] + r["on_time"]
        )
        for r in rows
    }


@dataclass(frozen=True)
class LateProcedure:
    procedure_id: int | None
    procedure_code: str
    resolved_late: int
    pending_overdue: int

    @property
    def late(self) -> int:
        return self.resolved_late + self.pending_overdue


def dossier_procedures_late(
    *, agency_id: int, year: int, months: tuple[int, int] = (1, 12)
) -> list[LateProcedure]:
    """The agency's procedures with late dossiers (resolved late or still overdue) in the
    months of `year`, most late first: where an internal audit samples."""
    rows = (
        DossierStatistic.objects.filter(
            agency_id=agency_id, year=year, month__gte=months[0], month__lte=months[1]
        )
        .values("procedure_id", "procedure_code")
        .annotate(resolved_late=Sum("resolved_late"), pending_overdue=Sum("pending_overdue"))
        .annotate(late=F("resolved_late") + F("pending_overdue"))
        .filter(late__gt=0)
        .order_by("-late", "procedure_code")
    )
    return [
        LateProcedure(
            procedure_id=r["procedure_id"],
            procedure_code=r["procedure_code"],
            resolved_late=r["resolved_late"],
            pending_overdue=r["pending_overdue"],
        )
        for r in rows
    ]


def dossier_year_totals(*, year: int, agency_ids: list[int] | None = None) -> dict[int, dict]:
    """{agency id: {figure: sum over the year}} plus received/resolved sums and `on_time_rate`.

    The year's carried-over figure is January's (the stock at the start of the year), not the
    sum of twelve months' stocks; months are summed for everything that flows.
    """
    rows = DossierStatistic.objects.filter(year=year)
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=agency_ids)
    sums = rows.values("agency_id").annotate(**{f: Sum(f) for f in FIGURE_FIELDS}).order_by()
    january = dict(
        rows.filter(month=1)
        .values("agency_id")
        .annotate(carried=Sum("carried_over"))
        .order_by()
        .values_list("agency_id", "carried")
    )
    totals: dict[int, dict] = {}
    for row in sums:
        agency_id = row.pop("agency_id")
        row["carried_over"] = january.get(agency_id, 0)
        row["received"] = sum(row[f] for f in FIGURE_FIELDS[1:4])
        row["resolved"] = row["resolved_early"] + row["resolved_on_time"] + row["resolved_late"]
        on_time = row["resolved_early"] + row["resolved_on_time"]
        row["on_time_rate"] = 100 * on_time / row["resolved"] if row["resolved"] else None
        totals[agency_id] = row
    return totals
