"""Citizen satisfaction for the management review's input (clause 9.3.2 b, 9.1.2).

from workflows.workspace.feedback_stats import feedback_summary
summary = feedback_summary(agency=agency, year=2026)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Avg, Count

from content_types.workspace import CitizenFeedback, FeedbackKind, FeedbackStatus


@dataclass(frozen=True)
class FeedbackSummary:
    year: int
    total: int
    rated: int  # how many gave a rating
    average_rating: float | None  # 1–5, one decimal; None without any rating
    by_rating: dict[int, int] = field(default_factory=dict)  # {1: n, …, 5: n}
    by_status: dict[str, int] = field(default_factory=dict)  # every FeedbackStatus value
    by_kind: dict[str, int] = field(default_factory=dict)  # every FeedbackKind value
    nonconformities: int = 0  # raised from the year's feedback

    @property
    def text(self) -> str:
        """One line in Vietnamese for the review's minutes."""
        if not self.total:
            return f"Năm {self.year} chưa có ý kiến của người dân."
        average = (
            f"mức hài lòng trung bình {self.average_rating:.1f}/5 ({self.rated} lượt đánh giá)"
            if self.average_rating is not None
            else "chưa có lượt đánh giá mức hài lòng"
        ).replace(".", ",", 1)
        labels = dict(FeedbackStatus.choices)
        states = ", ".join(f"{labels[key].lower()} {n}" for key, n in self.by_status.items() if n)
        return f"Năm {self.year}: {self.total} ý kiến, {average}; {states}."


def feedback_summary(*, agency, year: int) -> FeedbackSummary:
    """The year's feedback of one agency, in three queries."""
    rows = CitizenFeedback.objects.filter(agency=agency, created_at__year=year)
    figures = rows.aggregate(total=Count("pk"), rated=Count("rating"), average=Avg("rating"))
    by_rating = {value: 0 for value in range(1, 6)}
    by_status = {value: 0 for value in FeedbackStatus.values}
    by_kind = {value: 0 for value in FeedbackKind.values}
    grouped = rows.order_by().values_list("rating", "status", "kind")
    for rating, status, kind, count in grouped.annotate(n=Count("pk")):
        if rating:
            by_rating[rating] += count
        by_status[status] += count
        by_kind[kind] += count
    average = figures["average"]
    return FeedbackSummary(
        year=year,
        total=figures["total"],
        rated=figures["rated"],
        average_rating=round(float(average), 1) if average is not None else None,
        by_rating=by_rating,
        by_status=by_status,
        by_kind=by_kind,
        nonconformities=rows.exclude(nonconformity=None).count(),
    )
