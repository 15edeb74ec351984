"""An agency's rating scale of risks: who may set it, and its change guarded so that no
register (approved or draft) is left with a rating outside the scale."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from content_types.agency import AgencyGroup, AgencyPage, AgencyRole
from content_types.quality.risk import AgencyRiskScale, RiskRegisterPage

from ..provisioning import PROVINCE_ADMINS

RATING_FIELDS = ("likelihood", "impact", "residual_likelihood", "residual_impact")


def risk_scale_can_manage(user, agency: AgencyPage) -> bool:
    """The agency's administrators, the province administrators and superusers."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or user.groups.filter(name=PROVINCE_ADMINS).exists():
        return True
    return AgencyGroup.objects.filter(
        agency=agency, role=AgencyRole.ADMINISTRATORS, group__user=user
    ).exists()


@dataclass(frozen=True)
class LevelInUse:
    register: RiskRegisterPage
    highest: int  # the highest likelihood or impact a version of the register uses
    draft: bool  # found in the unapproved draft, not in the version in force


def risk_scale_levels_in_use(*, agency: AgencyPage) -> list[LevelInUse]:
    """The highest level each of the agency's registers uses: its version in force and, when
    it has unpublished changes, its latest draft (a draft's rows live in its revision)."""
    found = []
    for register in RiskRegisterPage.objects.descendant_of(agency).order_by("year"):
        versions = [(register, False)]
        if register.has_unpublished_changes:
            versions.append((register.get_latest_revision_as_object(), True))
        for version, draft in versions:
            highest = max(
                (getattr(r, name) or 0 for r in version.risks.all() for name in RATING_FIELDS),
                default=0,
            )
            if highest:
                found.append(LevelInUse(register, highest, draft))
    return found


@transaction.atomic
def risk_scale_update(*, agency: AgencyPage, user, scale: AgencyRiskScale) -> AgencyRiskScale:
    """Store the agency's new scale (validated, not yet saved), refusing a scale smaller than a
    level some register uses: those rows must be re-rated first, so none is rated off-scale."""
    scale.agency = agency
    scale.full_clean()
    too_high = [
        use for use in risk_scale_levels_in_use(agency=agency) if use.highest > scale.scale_size
    ]
    if too_high:
        names = "; ".join(
            f"«{use.register.title}»{' (bản nháp)' if use.draft else ''} dùng mức {use.highest}"
            for use in too_high
        )
        raise ValidationError(
            {
                "scale_size": (
                    f"Không thể giảm thang đo còn {scale.scale_size} mức: {names}. Hãy sửa các "
                    f"rủi ro đó về mức từ 1 đến {scale.scale_size} (và trình duyệt lại sổ) "
                    "trước khi đổi thang đo."
                )
            }
        )
    scale.updated_by = user
    scale._change_reason = "Cập nhật thang đo rủi ro"
    scale.save()
    return scale


def risk_scale_of(agency: AgencyPage) -> AgencyRiskScale:
    """The agency's stored scale, or an unsaved default one to start from."""
    return AgencyRiskScale.objects.filter(agency=agency).first() or AgencyRiskScale(
        agency=agency, scale_size=5
    )
