"""The management review's inputs (ISO 9001:2015 clause 9.3.2): a registry of providers.

Each input of the minutes is filled from the agency's records of the year by its provider, so
parts built elsewhere (objectives, citizen feedback) add their own input without this module
knowing them:

    from workflows.quality.review_inputs import ReviewInputValue, review_input_register

    def objectives_met(*, agency, year) -> ReviewInputValue:
        return ReviewInputValue(text="8/10 mục tiêu đạt …", figures={"met": 8, "total": 10})

    review_input_register("objectives", "9.3.2 c2", "Mức độ đạt mục tiêu chất lượng", 40,
                          objectives_met)

Orders in use: 10 a (previous actions), 20 b (context), 30 c1 (satisfaction, feedback — free),
40 c2 (objectives — free), 50 c3 (dossiers), 60 c4 (nonconformities), 70 c6 (audits),
80 d (resources), 90 e (risk actions), 100 f (opportunities).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from content_types.agency import AgencyPage
from content_types.documents import ControlledDocumentPage, DocumentKind
from content_types.quality.action import (
    OPEN_ACTION_STATUSES,
    ActionSource,
    ActionStatus,
    Effectiveness,
    QualityAction,
)
from content_types.quality.nonconformity import OPEN_STAGES, Nonconformity, NonconformityStage
from content_types.quality.report import AuditReportPage
from content_types.quality.review import ManagementReviewPage
from content_types.quality.risk import RiskRegisterPage, risk_scale_for
from content_types.versions import DocumentVersion

from ..oversight.selectors import dossier_year_totals


@dataclass(frozen=True)
class ReviewInputValue:
    text: str
    figures: dict = field(default_factory=dict)


Provider = Callable[..., ReviewInputValue]  # keyword-only: agency, year


@dataclass(frozen=True)
class ReviewInputSource:
    key: str
    clause_ref: str
    label: str
    order: int
    provide: Provider


_SOURCES: dict[str, ReviewInputSource] = {}


def review_input_register(
    key: str, clause_ref: str, label: str, order: int, provide: Provider
) -> ReviewInputSource:
    """Add (or replace, by key) an input of the management review."""
    source = ReviewInputSource(key, clause_ref, label, order, provide)
    _SOURCES[key] = source
    return source


def review_input_unregister(key: str) -> None:
    _SOURCES.pop(key, None)


def review_input_sources() -> list[ReviewInputSource]:
    from . import review_links  # noqa: F401  (objectives, satisfaction: registered once)

    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.key))


def _free_text(hint: str) -> Provider:
    def provide(*, agency: AgencyPage, year: int) -> ReviewInputValue:
        return ReviewInputValue(text="", figures={"hint": hint})

    return provide


def _action_counts(actions) -> dict[str, int]:
    today = timezone.localdate()
    return actions.aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=ActionStatus.DONE)),
        open=Count("pk", filter=Q(status__in=OPEN_ACTION_STATUSES)),
        overdue=Count("pk", filter=Q(status__in=OPEN_ACTION_STATUSES, due_date__lt=today)),
        effective=Count("pk", filter=Q(effectiveness=Effectiveness.EFFECTIVE)),
    )


def previous_review_actions(*, agency: AgencyPage, year: int) -> ReviewInputValue:
    previous = (
        ManagementReviewPage.objects.descendant_of(agency)
        .live()
        .filter(year__lt=year)
        .order_by("-year", "-meeting_date")
        .first()
    )
    if previous is None:
        return ReviewInputValue(
            text="Đây là lần xem xét đầu tiên: chưa có hành động từ lần xem xét trước.",
            figures={"review": None, "total": 0, "done": 0, "open": 0, "overdue": 0},
        )
    actions = QualityAction.objects.filter(
        agency=agency, source=ActionSource.REVIEW, origin_page=previous
    )
    counts = _action_counts(actions)
    lines = [
        f"Lần xem xét ngày {previous.meeting_date:%d/%m/%Y} đề ra {counts['total']} hành động: "
        f"{counts['done']} đã hoàn thành, {counts['open']} đang thực hiện"
        f" ({counts['overdue']} quá hạn)."
    ]
    lines += [
        f"- {a.title}: {a.get_status_display().lower()} (hạn {a.due_date:%d/%m/%Y})"
        for a in actions.order_by("due_date", "pk")
    ]
    return ReviewInputValue(text="\n".join(lines), figures={"review": previous.pk, **counts})


def context_changes(*, agency: AgencyPage, year: int) -> ReviewInputValue:
    """The versions of the agency's context documents (bối cảnh tổ chức) issued in the year."""
    context_pages = ControlledDocumentPage.objects.descendant_of(agency).filter(
        kind=DocumentKind.CONTEXT
    )
    versions = list(
        DocumentVersion.objects.filter(
            page__in=context_pages.values("pk"), effective_from__year=year
        ).order_by("effective_from", "issue_number")
    )
    if not versions:
        text = (
            f"Trong năm {year} không ban hành tài liệu bối cảnh tổ chức mới; chưa ghi nhận "
            "thay đổi các vấn đề nội bộ, bên ngoài và yêu cầu của các bên quan tâm."
        )
    else:
        text = "\n".join(
            f"- {v.code} {v.title}, lần ban hành {v.issue_number:02d}, hiệu lực từ "
            f"{timezone.localtime(v.effective_from):%d/%m/%Y}."
            + (f" Nội dung thay đổi: {v.change_summary}" if v.change_summary else "")
            for v in versions
        )
    return ReviewInputValue(text=text, figures={"versions": [v.pk for v in versions]})


def _number(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def dossier_performance(*, agency: AgencyPage, year: int) -> ReviewInputValue:
    totals = dossier_year_totals(year=year, agency_ids=[agency.pk]).get(agency.pk)
    if not totals:
        return ReviewInputValue(
            text=f"Chưa có số liệu giải quyết hồ sơ năm {year} của Bộ phận Một cửa.",
            figures={"received": 0, "resolved": 0, "on_time": 0, "late": 0, "on_time_rate": None},
        )
    on_time = totals["resolved_early"] + totals["resolved_on_time"]
    rate = totals["on_time_rate"]
    figures = {
        "received": totals["received"],
        "resolved": totals["resolved"],
        "on_time": on_time,
        "late": totals["resolved_late"],
        "pending_overdue": totals["pending_overdue"],
        "on_time_rate": rate,
    }
    text = (
        f"Năm {year} tiếp nhận {totals['received']} hồ sơ (trực tuyến "
        f"{totals['received_online']}); đã giải quyết {totals['resolved']}, trong đó đúng hạn "
        f"và trước hạn {on_time}, quá hạn {totals['resolved_late']}"
        + (f"; tỷ lệ đúng hạn {_number(rate)} %" if rate is not None else "")
        + f". Đang giải quyết quá hạn: {totals['pending_overdue']}."
    )
    return ReviewInputValue(text=text, figures=figures)


def nonconformities_and_actions(*, agency: AgencyPage, year: int) -> ReviewInputValue:
    ncs = Nonconformity.objects.filter(agency=agency, raised_on__year=year)
    counts = ncs.aggregate(
        raised=Count("pk"),
        closed=Count("pk", filter=Q(stage=NonconformityStage.CLOSED)),
        open=Count("pk", filter=Q(stage__in=OPEN_STAGES)),
    )
    actions = _action_counts(
        QualityAction.objects.filter(
            agency=agency, source=ActionSource.NONCONFORMITY, nonconformity__in=ncs
        )
    )
    text = (
        f"Năm {year} phát hiện {counts['raised']} sự không phù hợp: {counts['closed']} đã đóng, "
        f"{counts['open']} đang xử lý. Hành động khắc phục: {actions['total']}, đã hoàn thành "
        f"{actions['done']}, quá hạn {actions['overdue']}, có hiệu lực {actions['effective']}."
    )
    open_ncs = ncs.filter(stage__in=OPEN_STAGES).order_by("raised_on", "pk")
    text += "".join(
        f"\n- {nc.code} {nc.title} ({nc.get_stage_display().lower()})" for nc in open_ncs
    )
    return ReviewInputValue(text=text, figures={**counts, "actions": actions})


AUDIT_RESULTS = [
    ("major", "không phù hợp nặng"),
    ("minor", "không phù hợp nhẹ"),
    ("observation", "lưu ý"),
    ("improvement", "cơ hội cải tiến"),
    ("strong_point", "điểm mạnh"),
]


def audit_results(*, agency: AgencyPage, year: int) -> ReviewInputValue:
    reports = list(
        AuditReportPage.objects.descendant_of(agency)
        .live()
        .filter(report_date__year=year)
        .order_by("report_date")
    )
    totals = {code: 0 for code, _ in AUDIT_RESULTS}
    for report in reports:
        for code in totals:
            totals[code] += (report.statistics or {}).get("totals", {}).get(code, 0)
    if not reports:
        text = f"Năm {year} chưa có báo cáo đánh giá nội bộ được phê duyệt."
    else:
        text = (
            f"Năm {year} đã đánh giá nội bộ {len(reports)} đợt; phát hiện "
            + ", ".join(f"{totals[code]} {label}" for code, label in AUDIT_RESULTS)
            + "."
        )
        text += "".join(f"\n- {r.title} ({r.report_date:%d/%m/%Y})" for r in reports)
    return ReviewInputValue(text=text, figures={"reports": len(reports), **totals})


def risk_actions_effectiveness(*, agency: AgencyPage, year: int) -> ReviewInputValue:
    register = RiskRegisterPage.objects.descendant_of(agency).live().filter(year=year).first()
    if register is None:
        return ReviewInputValue(
            text=f"Chưa có sổ đăng ký rủi ro, cơ hội năm {year} được phê duyệt.",
            figures={"register": None, "risks": 0, "high": 0, "reduced": 0, "actions": {}},
        )
    scale = risk_scale_for(register)
    risks = list(register.risks.all())
    high = [
        r for r in risks if (level := scale.level(r.likelihood, r.impact)) and level.band == "high"
    ]
    reduced = [
        r
        for r in risks
        if r.residual_likelihood
        and r.residual_impact
        and r.residual_likelihood * r.residual_impact < r.likelihood * r.impact
    ]
    actions = _action_counts(
        QualityAction.objects.filter(agency=agency, source=ActionSource.RISK, origin_page=register)
    )
    text = (
        f"Sổ đăng ký năm {year} có {len(risks)} rủi ro, cơ hội ({len(high)} mức cao). Hành động "
        f"xử lý: {actions['total']}, đã hoàn thành {actions['done']}, quá hạn "
        f"{actions['overdue']}. Sau xử lý, {len(reduced)} rủi ro giảm mức."
    )
    return ReviewInputValue(
        text=text,
        figures={
            "register": register.pk,
            "risks": len(risks),
            "high": len(high),
            "reduced": len(reduced),
            "actions": actions,
        },
    )


review_input_register(
    "previous_actions",
    "9.3.2 a",
    "Tình trạng các hành động từ lần xem xét trước",
    10,
    previous_review_actions,
)
review_input_register(
    "context_changes",
    "9.3.2 b",
    "Thay đổi các vấn đề bên ngoài và nội bộ liên quan đến HTQLCL",
    20,
    context_changes,
)
review_input_register(
    "dossier_performance",
    "9.3.2 c3",
    "Kết quả thực hiện các quá trình: giải quyết hồ sơ thủ tục hành chính",
    50,
    dossier_performance,
)
review_input_register(
    "nonconformities",
    "9.3.2 c4",
    "Sự không phù hợp và hành động khắc phục",
    60,
    nonconformities_and_actions,
)
review_input_register("audit_results", "9.3.2 c6", "Kết quả đánh giá nội bộ", 70, audit_results)
review_input_register(
    "resources",
    "9.3.2 d",
    "Sự đầy đủ của nguồn lực",
    80,
    _free_text("Nhân lực, cơ sở vật chất, kinh phí cho việc duy trì HTQLCL."),
)
review_input_register(
    "risk_actions",
    "9.3.2 e",
    "Hiệu lực của các hành động giải quyết rủi ro và cơ hội",
    90,
    risk_actions_effectiveness,
)
review_input_register(
    "improvement_opportunities",
    "9.3.2 f",
    "Các cơ hội cải tiến",
    100,
    _free_text("Đề xuất cải tiến của các đơn vị."),
)
