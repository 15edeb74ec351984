"""The province summary report: one row per agency for a year, from the submitted yearly
reports and the dashboard's items. A fixed number of queries whatever the number of agencies
(the dashboard's, one for the submissions, three for the announcements)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from content_types.announcement import YearlyReportSubmission
from content_types.portal import PortalHomePage
from themes.renderers import (
    AdministrativeDocument,
    Grid,
    Heading,
    Letterhead,
    Text,
    administrative_docx,
    administrative_pdf,
    simple_xlsx,
)

from .announcements import announcements_in_force, live_procedure_ids
from .dashboard import Dashboard, dashboard_build
from .registry import DashboardScope


@dataclass
class SummaryRow:
    agency: object
    submission: YearlyReportSubmission | None
    scope: str  # «12/15»
    announcement: str
    audit: str
    review: str
    objectives: str  # «Đạt 2/3 mục tiêu»
    done: int
    total: int
    missing: list[str]

    @property
    def submitted(self) -> str:
        if self.submission is None:
            return "Chưa nộp"
        return f"Đã nộp {timezone.localtime(self.submission.submitted_at):%d/%m/%Y}"


@dataclass
class ProvinceSummary:
    year: int
    dashboard: Dashboard
    rows: list[SummaryRow]

    @property
    def submitted_count(self) -> int:
        return sum(1 for row in self.rows if row.submission is not None)


HEADER = [
    "STT",
    "Cơ quan, đơn vị",
    "Báo cáo năm",
    "Phạm vi (TTHC áp dụng/tổng)",
    "Quyết định công bố",
    "Đánh giá nội bộ",
    "Xem xét của lãnh đạo",
    "Mục tiêu chất lượng",
    "Mục đạt",
    "Còn thiếu",
]


def province_summary_build(*, year: int, level: str | None = None) -> ProvinceSummary:
    dashboard = dashboard_build(year=year, level=level)
    agency_ids = [row.agency.pk for row in dashboard.rows]
    latest: dict[int, YearlyReportSubmission] = {}
    for submission in (
        YearlyReportSubmission.objects.filter(year=year, agency_id__in=agency_ids)
        .select_related("submitted_by")
        .order_by("submitted_at")
    ):
        latest[submission.agency_id] = submission  # the last one wins
    scope = DashboardScope(year=year, agencies=[row.agency for row in dashboard.rows])
    announcements = announcements_in_force(scope)
    live = live_procedure_ids(scope)
    slot = {item.order: index for index, item in enumerate(dashboard.items)}
    rows = []
    for row in dashboard.rows:
        submission = latest.get(row.agency.pk)
        facts = submission.facts if submission else {}
        found = announcements.get(row.agency.pk)
        total = len(live.get(row.agency.pk, set()))
        if "procedures_total" in facts:
            scope_text = f"{facts['procedures_covered']}/{facts['procedures_total']}"
        else:
            covered = len(found.covered & live.get(row.agency.pk, set())) if found else 0
            scope_text = f"{covered}/{total}"

        def status_text(order: int, fact: str, row=row, facts=facts) -> str:
            if facts.get(fact):
                return str(facts[fact])
            index = slot.get(order)
            if index is None:
                return ""
            status = row.statuses[index]
            return status.detail if status.done else "Chưa có"

        announcement = facts.get("announcement") or (
            f"Số {found.number} ngày {found.decision_date:%d/%m/%Y}" if found else ""
        )
        if not announcement:
            announcement = status_text(90, "announcement")
        if found and found.needs_reannouncement:
            announcement += " — cần công bố lại"
        rows.append(
            SummaryRow(
                agency=row.agency,
                submission=submission,
                scope=scope_text,
                announcement=announcement,
                audit=status_text(70, "audit"),
                review=status_text(80, "management_review"),
                objectives=status_text(45, "objectives"),
                done=row.done,
                total=row.total,
                missing=[
                    item.heading
                    for item, status in zip(dashboard.items, row.statuses, strict=True)
                    if not status.done
                ],
            )
        )
    return ProvinceSummary(year=year, dashboard=dashboard, rows=rows)


def _table(summary: ProvinceSummary) -> list[list[str]]:
    return [
        [
            str(number),
            row.agency.title,
            row.submitted,
            row.scope,
            row.announcement or "Chưa công bố",
            row.audit or "—",
            row.review or "—",
            row.objectives or "—",
            f"{row.done}/{row.total}",
            ", ".join(row.missing) or "Không",
        ]
        for number, row in enumerate(summary.rows, start=1)
    ]


def _title(summary: ProvinceSummary) -> str:
    return (
        "Tổng hợp tình hình xây dựng, áp dụng, duy trì và cải tiến hệ thống quản lý chất lượng "
        f"của các cơ quan, đơn vị năm {summary.year}"
    )


def province_summary_layout(summary: ProvinceSummary) -> AdministrativeDocument:
    home = PortalHomePage.objects.first()
    province = home.province_name if home else ""
    counts = ", ".join(
        f"{item.heading} {done}/{total}"
        for item, (done, total) in zip(
            summary.dashboard.items, summary.dashboard.counts, strict=True
        )
    )
    letterhead = Letterhead(
        governing_body=f"UBND {province}".strip(),
        agency_name="Sở Khoa học và Công nghệ",
        number="…/BC-SKHCN",
        place=province.replace("tỉnh ", "").replace("Tỉnh ", "") or "",
        issued_on=timezone.localdate(),
    )
    return AdministrativeDocument(
        letterhead=letterhead,
        kind="BÁO CÁO",
        title=_title(summary),
        blocks=[
            Heading("I. TÌNH HÌNH CHUNG"),
            Text(
                f"Số cơ quan, đơn vị: {len(summary.rows)}; đã nộp báo cáo năm "
                f"{summary.year}: {summary.submitted_count}/{len(summary.rows)}.\n"
                f"Số cơ quan đạt từng nội dung: {counts}."
            ),
            Heading("II. KẾT QUẢ CỦA TỪNG CƠ QUAN, ĐƠN VỊ"),
            Grid(
                [HEADER, *_table(summary)],
                widths_cm=[1.0, 4.2, 2.4, 2.0, 3.0, 2.4, 2.4, 2.4, 1.3, 3.6],
            ),
        ],
        recipients="- UBND tỉnh;\n- Lãnh đạo Sở;\n- Lưu: VT.",
        signer_title="GIÁM ĐỐC",
        landscape=True,
    )


def province_summary_docx(summary: ProvinceSummary) -> bytes:
    return administrative_docx(province_summary_layout(summary))


def province_summary_pdf(summary: ProvinceSummary) -> bytes:
    return administrative_pdf(province_summary_layout(summary))


def province_summary_xlsx(summary: ProvinceSummary) -> bytes:
    return simple_xlsx(
        sheet_title=f"Tổng hợp {summary.year}",
        title=_title(summary).upper(),
        header=HEADER,
        rows=[[int(r[0]), *r[1:]] for r in _table(summary)],
        widths=(6, 44, 22, 14, 28, 24, 24, 24, 10, 40),
    )
