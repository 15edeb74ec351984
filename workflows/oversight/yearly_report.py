"""The yearly report to Sở KH&CN (báo cáo tình hình xây dựng, áp dụng, duy trì và cải tiến
HTQLCL): generated from the records, edited by the ISO officer, approved by leadership through
the agency's workflow (it is a page, content_types.announcement.YearlyReportPage), then
submitted («nộp») to the province.

Its structure is data: `yearly_report_forms.json` (or the file named by the setting
ISO_YEARLY_REPORT_FORMS) lists the legal forms with the date each takes effect; a form lists its
sections, their headings and the *provider* that fills each one with figures read from the
records. Other parts plug their own provider in by key:

    from workflows.oversight.yearly_report import SectionFill, report_provider_register

    def review_section(context):  # context: ReportContext (agency, year, scope)
        return SectionFill(text="…", rows=[("Ngày họp", "15/11/2026")], facts={"review_date": …})

    report_provider_register("management_review", review_section)

A built-in provider registered with `default=True` never replaces one registered by the part
that owns the records (workflows.quality.report_links: the management review, the objectives).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from content_types.agency import AgencyPage
from content_types.announcement import (
    AnnouncementPage,
    YearlyReportPage,
    YearlyReportSubmission,
)
from content_types.catalogue import CatalogueDecision, ProcedureUpdateTask, TaskStatus
from content_types.indexes import QualitySystemPage
from content_types.quality.report import AuditReportPage
from content_types.quality.rules import user_label
from themes.renderers import (
    AdministrativeDocument,
    Grid,
    Heading,
    Text,
    administrative_docx,
    administrative_pdf,
    letterhead_of,
    simple_xlsx,
)

from ..quality.policy import Right, quality_can
from .announcements import announcements_in_force, live_procedure_ids
from .registry import DashboardScope, ItemStatus, dashboard_items
from .selectors import dossier_year_totals

FIRST_YEAR = 2020
_FORMS_FILE = Path(__file__).with_name("yearly_report_forms.json")


# --- the legal form -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportSection:
    key: str
    heading: str
    provider: str = ""


@dataclass(frozen=True)
class ReportForm:
    key: str
    effective_from: date
    title: str
    sections: list[ReportSection]


def report_forms() -> list[ReportForm]:
    path = Path(getattr(settings, "ISO_YEARLY_REPORT_FORMS", "") or _FORMS_FILE)
    data = json.loads(path.read_text(encoding="utf-8"))
    forms = [
        ReportForm(
            key=entry["key"],
            effective_from=date.fromisoformat(entry["effective_from"]),
            title=entry["title"],
            sections=[ReportSection(**section) for section in entry["sections"]],
        )
        for entry in data["forms"]
    ]
    return sorted(forms, key=lambda form: form.effective_from)


def report_form_for(year: int) -> ReportForm:
    """The form in force on the year's last day (the earliest one for years before any)."""
    forms = report_forms()
    in_force = [form for form in forms if form.effective_from <= date(year, 12, 31)]
    return in_force[-1] if in_force else forms[0]


# --- providers ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionFill:
    text: str = ""  # the paragraph offered to the editor
    rows: list[tuple[str, str]] = field(default_factory=list)  # figures: label, value
    facts: dict = field(default_factory=dict)  # for the province summary (JSON values)
    links: list[tuple[str, str]] = field(default_factory=list)  # the records read: label, URL


@dataclass
class ReportContext:
    agency: AgencyPage
    year: int
    scope: DashboardScope

    def item_status(self, *, key: str = "", order: int | None = None) -> ItemStatus | None:
        """The agency's status on a dashboard item (by key or slot), when one is registered."""
        for item in dashboard_items():
            if (key and item.key == key) or (order is not None and item.order == order):
                found = self.scope.memo(f"item:{item.key}", lambda i=item: i.selector(self.scope))
                return found.get(self.agency.pk, ItemStatus(done=False))
        return None


ReportProvider = Callable[[ReportContext], SectionFill]
_PROVIDERS: dict[str, tuple[ReportProvider, bool]] = {}


def report_provider_register(key: str, provider: ReportProvider, *, default: bool = False):
    """Add the provider of a section key; a default never replaces a real one."""
    existing = _PROVIDERS.get(key)
    if default and existing is not None and not existing[1]:
        return provider
    _PROVIDERS[key] = (provider, default)
    return provider


def report_provider(key: str) -> ReportProvider | None:
    # The parts that own the records register their providers on import (as the dashboard's
    # items are): the management review and the objectives.
    from ..quality import report_links  # noqa: F401

    found = _PROVIDERS.get(key)
    return found[0] if found else None


def _d(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}".replace(".", ",") + " %" if whole else "—"


def _scope_section(context: ReportContext) -> SectionFill:
    live = live_procedure_ids(context.scope).get(context.agency.pk, set())
    found = announcements_in_force(context.scope).get(context.agency.pk)
    covered = len(found.covered & live) if found else 0
    text = (
        f"{context.agency.title} áp dụng hệ thống quản lý chất lượng cho {covered}/{len(live)} "
        "thủ tục hành chính đang thực hiện."
    )
    if found and found.needs_reannouncement:
        text += " " + found.warning + "."
    return SectionFill(
        text=text,
        rows=[
            ("Tổng số thủ tục hành chính đang thực hiện", str(len(live))),
            ("Số thủ tục thuộc phạm vi áp dụng HTQLCL", str(covered)),
            ("Tỷ lệ", _percent(covered, len(live))),
        ],
        facts={"procedures_total": len(live), "procedures_covered": covered},
    )


def _announcement_section(context: ReportContext) -> SectionFill:
    found = announcements_in_force(context.scope).get(context.agency.pk)
    if found is None:
        status = context.item_status(key="announcement")
        if status is not None and status.done:  # the older path: a controlled document
            return SectionFill(text=status.detail, facts={"announcement": status.detail})
        return SectionFill(
            text="Cơ quan chưa công bố hệ thống quản lý chất lượng.", facts={"announcement": ""}
        )
    page = AnnouncementPage.objects.get(pk=found.page_id)
    rows = [
        ("Số quyết định", page.number),
        ("Ngày ký", _d(page.decision_date)),
        ("Người ký", f"{page.signer_title.capitalize()} {page.signer_name}".strip()),
        ("Ngày hiệu lực", _d(page.effective_date)),
        ("Tiêu chuẩn áp dụng", page.standard),
    ]
    text = (
        f"Cơ quan đã công bố hệ thống quản lý chất lượng phù hợp {page.standard} tại Quyết "
        f"định số {page.number} ngày {_d(page.decision_date)}."
    )
    if found.needs_reannouncement:
        text += " " + found.warning + "."
    return SectionFill(
        text=text,
        rows=rows,
        facts={
            "announcement": f"Số {page.number} ngày {_d(page.decision_date)}",
            "announcement_number": page.number,
            "announcement_date": page.decision_date.isoformat(),
            "reannouncement_needed": found.needs_reannouncement,
        },
    )


def _audit_section(context: ReportContext) -> SectionFill:
    reports = list(
        AuditReportPage.objects.descendant_of(context.agency)
        .live()
        .filter(report_date__year=context.year)
        .order_by("report_date")
    )
    if not reports:
        return SectionFill(
            text=f"Trong năm {context.year} cơ quan chưa có báo cáo đánh giá nội bộ được phê "
            "duyệt.",
            facts={"audit": ""},
        )
    rows = []
    for report in reports:
        totals = (report.statistics or {}).get("totals", {})
        rows.append(
            (
                f"Báo cáo {report.number or report.title} ngày {_d(report.report_date)}",
                f"{totals.get('major', 0)} KPH nặng, {totals.get('minor', 0)} KPH nhẹ, "
                f"{totals.get('observation', 0)} lưu ý",
            )
        )
    last = reports[-1]
    return SectionFill(
        text=f"Cơ quan đã tổ chức {len(reports)} đợt đánh giá nội bộ. {last.conclusion}".strip(),
        rows=rows,
        facts={"audit": ", ".join(_d(r.report_date) for r in reports)},
    )


def _legal_updates_section(context: ReportContext) -> SectionFill:
    # The legal changes of the year: catalogue decisions taking effect in it that the agency
    # applied, and the procedure updates they asked for (the tasks carry the same date).
    decisions = list(
        CatalogueDecision.objects.filter(
            agency=context.agency,
            applied_at__isnull=False,
            effective_date__year=context.year,
        ).order_by("effective_date")
    )
    tasks = ProcedureUpdateTask.objects.filter(
        agency=context.agency, decision_effective__year=context.year
    )
    total = tasks.count()
    done = tasks.filter(status=TaskStatus.DONE).count()
    today = timezone.localdate()
    overdue = tasks.exclude(status=TaskStatus.DONE).filter(due_date__lt=today).count()
    text = (
        f"Trong năm {context.year} cơ quan đã cập nhật {len(decisions)} quyết định công bố danh "
        f"mục thủ tục hành chính; {done}/{total} thủ tục đã cập nhật quy trình nội bộ."
    )
    if overdue:
        text += f" Còn {overdue} thủ tục quá hạn cập nhật."
    return SectionFill(
        text=text,
        rows=[
            (
                "Quyết định công bố danh mục đã cập nhật",
                "; ".join(f"{d.number} ({_d(d.effective_date)})" for d in decisions) or "Không có",
            ),
            ("Thủ tục phải cập nhật quy trình nội bộ", str(total)),
            ("Đã cập nhật", str(done)),
            ("Quá hạn", str(overdue)),
        ],
        facts={"legal_decisions": len(decisions), "updates_done": done, "updates_total": total},
    )


def _dossiers_section(context: ReportContext) -> SectionFill:
    totals = dossier_year_totals(year=context.year, agency_ids=[context.agency.pk]).get(
        context.agency.pk
    )
    if not totals:
        return SectionFill(text="Chưa có số liệu hồ sơ từ hệ thống một cửa.", facts={})
    rate = totals["on_time_rate"]
    rate_text = f"{rate:.1f}".replace(".", ",") + " %" if rate is not None else "—"
    return SectionFill(
        text=f"Tỷ lệ hồ sơ giải quyết đúng và trước hạn: {rate_text}.",
        rows=[
            ("Hồ sơ tiếp nhận", str(totals["received"])),
            ("Hồ sơ đã giải quyết", str(totals["resolved"])),
            ("Giải quyết quá hạn", str(totals["resolved_late"])),
            ("Tỷ lệ đúng và trước hạn", rate_text),
        ],
        facts={"on_time_rate": rate},
    )


report_provider_register("scope", _scope_section, default=True)
report_provider_register("announcement", _announcement_section, default=True)
report_provider_register("internal_audit", _audit_section, default=True)
report_provider_register("legal_updates", _legal_updates_section, default=True)
report_provider_register("dossiers", _dossiers_section, default=True)


# --- services -----------------------------------------------------------------------------


def yearly_report_figures(*, agency: AgencyPage, year: int, form: ReportForm) -> tuple:
    """({section key: SectionFill}, the figures JSON) read from the records now."""
    scope = DashboardScope(year=year, agencies=[agency])
    context = ReportContext(agency=agency, year=year, scope=scope)
    fills: dict[str, SectionFill] = {}
    for section in form.sections:
        provider = report_provider(section.provider) if section.provider else None
        fills[section.key] = provider(context) if provider else SectionFill()
    facts: dict = {}
    for fill in fills.values():
        facts.update(fill.facts)
    figures = {
        "sections": {key: [list(row) for row in fill.rows] for key, fill in fills.items()},
        "links": {key: [list(link) for link in fill.links] for key, fill in fills.items()},
        "facts": facts,
        "read_at": timezone.now().isoformat(),
    }
    return fills, figures


def _quality_section(agency: AgencyPage) -> QualitySystemPage:
    section = agency.get_children().type(QualitySystemPage).first()
    if section is None:
        raise ValidationError("Cơ quan chưa có mục «Hệ thống quản lý chất lượng».")
    return section.specific


def _check_year(year) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise ValidationError("Năm báo cáo không hợp lệ.") from None
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        raise ValidationError(f"Năm báo cáo phải từ {FIRST_YEAR} đến {timezone.localdate().year}.")
    return year


@transaction.atomic
def yearly_report_generate(*, agency: AgencyPage, year, user) -> YearlyReportPage:
    """A draft report of `year` from the records, for the ISO officer to edit and submit."""
    year = _check_year(year)
    if not quality_can(user, agency, Right.MANAGE):
        raise PermissionDenied
    section = _quality_section(agency)
    if not section.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    if YearlyReportPage.objects.descendant_of(agency).filter(year=year).exists():
        raise ValidationError(
            f"Cơ quan đã có báo cáo năm {year}: hãy mở báo cáo đó để sửa hoặc cập nhật số liệu."
        )
    form = report_form_for(year)
    fills, figures = yearly_report_figures(agency=agency, year=year, form=form)
    report = YearlyReportPage(
        title=form.title.format(year=year),
        slug=f"bao-cao-htqlcl-nam-{year}",
        year=year,
        number=f"…/BC-{agency.agency_code}",
        report_date=timezone.localdate(),
        form_key=form.key,
        sections=[
            (
                "section",
                {"key": s.key, "heading": s.heading, "text": fills[s.key].text},
            )
            for s in form.sections
        ],
        figures=figures,
        live=False,
        owner=user,
    )
    section.add_child(instance=report)
    report.save_revision(user=user, log_action=True)
    return report


@transaction.atomic
def yearly_report_refresh(*, report: YearlyReportPage, user) -> YearlyReportPage:
    """Read the figures again (the texts written by the agency stay) as a new draft revision."""
    agency = AgencyPage.objects.ancestor_of(report).first()
    if not quality_can(user, agency, Right.MANAGE):
        raise PermissionDenied
    if not report.permissions_for_user(user).can_edit():
        raise PermissionDenied
    if report.locked or report.workflow_in_progress:
        raise ValidationError(
            "Báo cáo đang chờ duyệt: chỉ cập nhật số liệu khi báo cáo không ở bước duyệt."
        )
    draft = report.get_latest_revision_as_object()
    form = next((f for f in report_forms() if f.key == draft.form_key), report_form_for(draft.year))
    _fills, figures = yearly_report_figures(agency=agency, year=draft.year, form=form)
    draft.figures = figures
    draft.save_revision(user=user, log_action=True)
    return draft


@transaction.atomic
def yearly_report_submit(*, report: YearlyReportPage, user) -> YearlyReportSubmission:
    """«Nộp»: the approved version goes to the province. The approved revision is recorded with
    its figures; a later revision needs approval and a new submission."""
    agency = AgencyPage.objects.ancestor_of(report).first()
    if not (quality_can(user, agency, Right.MANAGE) or quality_can(user, agency, Right.VERIFY)):
        raise PermissionDenied
    report = YearlyReportPage.objects.select_for_update().get(pk=report.pk)
    if not report.live or report.live_revision_id is None:
        raise ValidationError("Báo cáo chưa được lãnh đạo phê duyệt: chưa thể nộp.")
    already = report.submissions.filter(revision_id=report.live_revision_id).first()
    if already is not None:
        raise ValidationError(
            f"Bản đã phê duyệt này đã được nộp lúc "
            f"{timezone.localtime(already.submitted_at):%H:%M %d/%m/%Y}."
        )
    submission = YearlyReportSubmission.objects.create(
        report=report,
        agency=agency,
        year=report.year,
        revision_id=report.live_revision_id,
        number=report.number,
        report_date=report.report_date,
        facts=(report.figures or {}).get("facts", {}),
        submitted_by=user,
        submitted_at=timezone.now(),
    )
    from wagtail.log_actions import log

    log(instance=report, action="iso.yearly_report.submit", user=user)
    return submission


# --- the printed report -------------------------------------------------------------------


def yearly_report_shown(report: YearlyReportPage) -> tuple[YearlyReportPage, bool]:
    """The approved version when there is one, else the draft being written (and «draft»)."""
    if report.live:
        return report, False
    return report.get_latest_revision_as_object(), True


def yearly_report_layout(
    report: YearlyReportPage, shown=None, draft=None
) -> AdministrativeDocument:
    if shown is None:
        shown, draft = yearly_report_shown(report)
    agency = AgencyPage.objects.ancestor_of(report).first()
    rows_of = (shown.figures or {}).get("sections", {})
    blocks: list = []
    for block in shown.sections:
        value = block.value
        blocks.append(Heading(value["heading"]))
        rows = rows_of.get(value.get("key") or "", [])
        if rows:
            blocks.append(Grid([["Nội dung", "Số liệu"], *rows], widths_cm=[9.5, 6.5]))
        if value.get("text"):
            blocks.append(Text(value["text"]))
    return AdministrativeDocument(
        letterhead=letterhead_of(
            agency, number=shown.number, place=shown.place, issued_on=shown.report_date
        ),
        kind="BÁO CÁO",
        title=shown.title,
        blocks=blocks,
        recipients=shown.recipients,
        signer_title=shown.signer_title,
        signer_name=shown.signer_name,
        draft=bool(draft),
    )


def yearly_report_docx(report: YearlyReportPage) -> bytes:
    return administrative_docx(yearly_report_layout(report))


def yearly_report_pdf(report: YearlyReportPage) -> bytes:
    return administrative_pdf(yearly_report_layout(report))


def yearly_report_xlsx(report: YearlyReportPage) -> bytes:
    shown, draft = yearly_report_shown(report)
    rows_of = (shown.figures or {}).get("sections", {})
    rows: list[list] = []
    for block in shown.sections:
        value = block.value
        for label, figure in rows_of.get(value.get("key") or "", []):
            rows.append([value["heading"], label, figure])
        if value.get("text"):
            rows.append([value["heading"], "Nội dung", value["text"]])
    title = shown.title + (" (DỰ THẢO)" if draft else "")
    agency = AgencyPage.objects.ancestor_of(report).first()
    return simple_xlsx(
        sheet_title=f"Báo cáo năm {shown.year}",
        title=f"{title} — {agency.title}",
        header=["Mục", "Nội dung", "Số liệu"],
        rows=rows,
        widths=(40, 45, 60),
    )


def submission_label(submission: YearlyReportSubmission | None) -> str:
    if submission is None:
        return "Chưa nộp"
    return (
        f"Đã nộp {timezone.localtime(submission.submitted_at):%d/%m/%Y}"
        f" (số {submission.number}, {user_label(submission.submitted_by)})"
    )
