"""Where the objectives, the maintenance plan and citizen feedback meet the management review.

They were built beside each other; this module plugs the objectives (9.3.2 c2) and the citizens'
satisfaction and feedback (9.3.2 c1) into the review's inputs, and lets the maintenance plan say
in which month the review is due.
"""

from __future__ import annotations

from datetime import date

from content_types.agency import AgencyPage
from content_types.quality.maintenance import MaintenancePlanItem, PlanItemKind
from content_types.quality.objectives import QualityObjectivesPage

from ..workspace.feedback_stats import feedback_summary
from .objectives import STATUS_LABELS, Status, objectives_progress
from .review_inputs import ReviewInputValue, review_input_register
from .review_items import review_plan_months_register


def objectives_review_input(
    *, agency: AgencyPage, year: int, today: date | None = None
) -> ReviewInputValue:
    """How far the year's approved objectives are met, objective by objective."""
    page = QualityObjectivesPage.objects.live().descendant_of(agency).filter(year=year).first()
    if page is None:
        return ReviewInputValue(
            text=f"Chưa có bộ mục tiêu chất lượng năm {year} được phê duyệt.", figures={}
        )
    statuses = objectives_progress(pages=[page], today=today)[page.pk]
    counts = {status: 0 for status in (Status.ACHIEVED, Status.NOT_ACHIEVED, Status.NOT_MEASURED)}
    lines = []
    for entry in statuses:
        if entry.status in counts:
            counts[entry.status] += 1
        lines.append(
            f"- {entry.objective.statement} ({entry.objective.target_text()}): "
            f"{STATUS_LABELS[entry.status]}"
        )
    head = (
        f"{counts[Status.ACHIEVED]}/{len(statuses)} mục tiêu đạt; "
        f"{counts[Status.NOT_ACHIEVED]} không đạt; {counts[Status.NOT_MEASURED]} chưa đo."
    )
    return ReviewInputValue(
        text="\n".join([head, *lines]),
        figures={
            "total": len(statuses),
            "achieved": counts[Status.ACHIEVED],
            "not_achieved": counts[Status.NOT_ACHIEVED],
            "not_measured": counts[Status.NOT_MEASURED],
        },
    )


def review_months_from_plans(*, agency_ids, year: int) -> dict[int, int]:
    """{agency id: the month the approved maintenance plan schedules the review in}."""
    by_path = dict(AgencyPage.objects.filter(pk__in=list(agency_ids)).values_list("path", "pk"))
    months: dict[int, int] = {}
    rows = MaintenancePlanItem.objects.filter(
        kind=PlanItemKind.MANAGEMENT_REVIEW, page__live=True, page__year=year
    ).values_list("page__path", "due_month")
    for path, month in rows:
        for agency_path, agency_id in by_path.items():
            if path.startswith(agency_path):
                months[agency_id] = min(month, months.get(agency_id, 12))
    return months


def feedback_review_input(*, agency: AgencyPage, year: int) -> ReviewInputValue:
    """Citizens' ratings and feedback of the year, by status."""
    summary = feedback_summary(agency=agency, year=year)
    return ReviewInputValue(
        text=summary.text,
        figures={
            "total": summary.total,
            "rated": summary.rated,
            "average_rating": summary.average_rating,
            "by_status": dict(summary.by_status),
            "nonconformities": summary.nonconformities,
        },
    )


review_input_register(
    "satisfaction",
    "9.3.2 c1",
    "Sự hài lòng của người dân và phản hồi",
    30,
    feedback_review_input,
)
review_input_register(
    "objectives", "9.3.2 c2", "Mức độ đạt mục tiêu chất lượng", 40, objectives_review_input
)
review_plan_months_register(review_months_from_plans)
