"""Small pure rules the quality models and their forms need (the services in workflows.quality
use the same ones, so a form and a service never disagree)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from ..agency import AgencyPage, AgencyRole

# The province-wide auditors' group; the same name as workflows.provisioning.INTERNAL_AUDITORS
# (content_types may not import workflows; a test keeps the two equal).
PROVINCE_AUDITORS_GROUP = "Đánh giá viên nội bộ"


def agency_of(page) -> AgencyPage | None:
    """The agency a page (or a page about to be created under `page`) belongs to."""
    if page is None or not getattr(page, "path", None):
        return None
    return AgencyPage.objects.ancestor_of(page, inclusive=True).first()


def eligible_auditors(agency: AgencyPage) -> QuerySet:
    """Who may audit `agency`: its trained internal auditors and the province's auditors."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(
            Q(groups__agency_role__agency=agency, groups__agency_role__role=AgencyRole.AUDITORS)
            | Q(groups__name=PROVINCE_AUDITORS_GROUP)
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def user_label(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()


def impartiality_error(unit, auditor) -> str | None:
    """Why `auditor` may not audit `unit` (ISO 9001:2015 clause 9.2.2 c), or None."""
    if unit is None or auditor is None:
        return None
    if unit.members.filter(pk=auditor.pk).exists():
        return (
            f"{user_label(auditor)} thuộc đơn vị «{unit.name}» nên không được phân công đánh "
            "giá đơn vị của mình: đánh giá viên phải bảo đảm tính khách quan và vô tư "
            "(TCVN ISO 9001:2015, điều 9.2.2 c). Hãy chọn đánh giá viên của đơn vị khác."
        )
    return None


def agency_staff(agency: AgencyPage) -> QuerySet:
    """The agency's own staff (any role): who may own a risk treatment or a review decision."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__agency_role__agency=agency)
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
