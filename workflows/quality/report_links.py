"""Where the management review and the quality objectives meet the yearly report to Sở KH&CN
(workflows.oversight.yearly_report): the providers of its sections «Xem xét của lãnh đạo» and
«Kết quả thực hiện mục tiêu chất lượng», read from the approved records. Imported by
workflows.oversight.yearly_report.report_provider(), as the dashboard imports this package's
items: they replace the built-in defaults that only knew whether the dashboard item was done.
"""

from __future__ import annotations

from django.urls import reverse

from content_types.quality.action import ActionSource, ActionStatus, QualityAction
from content_types.quality.objectives import QualityObjectivesPage
from content_types.quality.review import ManagementReviewPage
from content_types.quality.rules import user_label

from ..oversight.yearly_report import ReportContext, SectionFill, report_provider_register
from .objective_items import _as_of
from .objectives import STATUS_LABELS, Status, number_text, objectives_progress

NO_REVIEW = "Chưa tổ chức xem xét của lãnh đạo trong năm."


def _d(day) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def management_review_section(context: ReportContext) -> SectionFill:
    """The year's approved minutes (the meetings the dashboard counts: held in the year), their
    chair, conclusion and decisions with owner, due date and how far the actions are done."""
    reviews = list(
        ManagementReviewPage.objects.live()
        .descendant_of(context.agency)
        .filter(meeting_date__year=context.year)
        .order_by("meeting_date", "pk")
        .prefetch_related("decisions__owner")
    )
    if not reviews:
        return SectionFill(
            text=NO_REVIEW,
            facts={
                "management_review": "",
                "management_review_dates": [],
                "review_decisions_total": 0,
                "review_decisions_done": 0,
            },
        )
    # The decisions' actions, by the row they came from (review_actions_sync keys them so).
    statuses = {
        (action.origin_page_id, action.origin_key): action.status
        for action in QualityAction.objects.filter(
            source=ActionSource.REVIEW, origin_page__in=reviews
        )
    }
    rows: list[tuple[str, str]] = []
    links: list[tuple[str, str]] = []
    total = done = 0
    for review in reviews:
        decisions = list(review.decisions.all())
        finished = sum(
            1 for d in decisions if statuses.get((review.pk, d.uid)) == ActionStatus.DONE
        )
        total += len(decisions)
        done += finished
        minutes = f"Biên bản số {review.number}" if review.number else "Biên bản"
        minutes += f" ngày {_d(review.meeting_date)}"
        rows += [
            ("Ngày họp", _d(review.meeting_date)),
            ("Chủ trì", review.chair),
            ("Biên bản", minutes),
        ]
        if review.conclusion.strip():
            rows.append(("Kết luận", review.conclusion.strip()))
        rows.append(("Số quyết định (đầu ra)", str(len(decisions))))
        rows.append(("Đã hoàn thành", f"{finished}/{len(decisions)}"))
        for decision in decisions:
            status = statuses.get((review.pk, decision.uid))
            rows.append(
                (
                    f"{decision.get_kind_display()}: {decision.decision}",
                    f"{user_label(decision.owner)}, hạn {_d(decision.due_date)} — "
                    f"{ActionStatus(status).label if status else 'Chưa giao'}",
                )
            )
        links.append((minutes, reverse("iso_quality_review", args=[review.pk])))
    dates = ", ".join(_d(r.meeting_date) for r in reviews)
    last = reviews[-1]
    text = (
        f"Trong năm {context.year} cơ quan đã tổ chức {len(reviews)} cuộc họp xem xét của lãnh "
        f"đạo (ngày {dates}), do {last.chair} chủ trì; đưa ra {total} quyết định, đã hoàn thành "
        f"{done}/{total}."
    )
    if last.conclusion.strip():
        text += f" Kết luận: {last.conclusion.strip()}"
    return SectionFill(
        text=text,
        rows=rows,
        links=links,
        facts={
            "management_review": f"Ngày {dates}",
            "management_review_dates": [r.meeting_date.isoformat() for r in reviews],
            "review_decisions_total": total,
            "review_decisions_done": done,
        },
    )


def objectives_section(context: ReportContext) -> SectionFill:
    """Each objective of the year's approved set: its target, latest measured value and status
    as workflows.quality.objectives judges them (the same as the objectives' own page and the
    dashboard's «Mục tiêu đã đo»)."""
    page = (
        QualityObjectivesPage.objects.live()
        .descendant_of(context.agency)
        .filter(year=context.year)
        .first()
    )
    if page is None:
        # An agency may keep its objectives as an uploaded document: issued, but not measured
        # here.
        document = context.item_status(order=40)
        text = (
            f"{document.detail}; chưa có kết quả đo lường mục tiêu trên hệ thống."
            if document is not None and document.done
            else f"Chưa ban hành mục tiêu chất lượng năm {context.year} được lãnh đạo phê duyệt."
        )
        return SectionFill(
            text=text, facts={"objectives": "", "objectives_total": 0, "objectives_achieved": 0}
        )
    statuses = objectives_progress(pages=[page], today=_as_of(context.scope))[page.pk]
    achieved = sum(1 for s in statuses if s.status == Status.ACHIEVED)
    not_achieved = sum(1 for s in statuses if s.status == Status.NOT_ACHIEVED)
    rows = []
    for entry in statuses:
        objective = entry.objective
        judged = [p for p in entry.periods if p.value is not None and p.status != Status.NOT_DUE]
        latest = judged[-1] if judged else None
        measured = (
            f"{number_text(latest.value)} {objective.target_unit}".strip() + f" ({latest.label})"
            if latest
            else "chưa có kết quả đo"
        )
        rows.append(
            (
                f"{objective.statement} (chỉ tiêu {objective.target_text()})",
                f"{measured} — {STATUS_LABELS[entry.status]}",
            )
        )
    summary = f"Đạt {achieved}/{len(statuses)} mục tiêu"
    rows.append(("Kết quả chung", summary))
    text = (
        f"Năm {context.year} cơ quan thực hiện {len(statuses)} mục tiêu chất lượng theo «"
        f"{page.title}»: đạt {achieved}/{len(statuses)} mục tiêu"
    )
    others = len(statuses) - achieved - not_achieved
    text += f", {not_achieved} không đạt" if not_achieved else ""
    text += f", {others} chưa đủ kết quả đo." if others else "."
    return SectionFill(
        text=text,
        rows=rows,
        links=[(page.title, reverse("iso_objectives", args=[page.pk]))],
        facts={
            "objectives": summary,
            "objectives_total": len(statuses),
            "objectives_achieved": achieved,
            "objectives_not_achieved": not_achieved,
        },
    )


report_provider_register("management_review", management_review_section)
report_provider_register("objectives", objectives_section)
