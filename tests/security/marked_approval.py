"""Agency A's risk scale and A's draft awaiting its reviewers, for the admin walk (issue 17).

The scale screen (`iso_quality_risk_scale`) shows A's level names to A's staff and takes a change
from A's administrators only; a POST through B would change the scale. The review screen of
«Việc cần làm» (`iso_approval`) shows the submitted draft (marked in marked.py) to whoever may
take its step, A's reviewers."""

from __future__ import annotations

from content_types.quality.risk import AgencyRiskScale

from .marked import MARK, MarkedWorld, fingerprint_part, marked_builder
from .walk import walk_url

LIKELIHOOD = [f"{MARK} Hiếm khi", "Ít khi", "Có thể", "Thường xuyên", "Gần như chắc chắn"]


@marked_builder
def risk_scale(world: MarkedWorld) -> None:
    labels = "\n".join(LIKELIHOOD)
    AgencyRiskScale.objects.update_or_create(
        agency=world.agency_a, defaults={"scale_size": 5, "likelihood_labels": labels}
    )


@fingerprint_part
def risk_scale_part(world: MarkedWorld):
    return list(AgencyRiskScale.objects.order_by("pk").values_list())


walk_url(
    "iso_quality_risk_scale",
    {"agency_id": "content_types.agencypage"},
    posts=[{"scale_size": "5", "likelihood_labels": "", "impact_labels": "", "high_from": "20"}],
)
walk_url("iso_approval", {"page_id": "wagtailcore.page"})
