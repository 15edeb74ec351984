"""Who may do what with the oversight screens and the dossier figures."""

from __future__ import annotations

from django.db.models import QuerySet

from content_types.agency import AgencyGroup, AgencyPage, AgencyRole

from ..provisioning import PROVINCE_ADMINS

# The agency roles that may import their agency's one-stop figures and read its push log.
IMPORTING_ROLES = (AgencyRole.EDITORS, AgencyRole.ADMINISTRATORS)


def user_is_province_admin(user) -> bool:
    """Superusers and members of «Quản trị cấp tỉnh»: the only readers of the dashboard."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.groups.filter(name=PROVINCE_ADMINS).exists()


def agencies_importable_by(user) -> QuerySet[AgencyPage]:
    """The agencies whose dossier figures `user` may import (and whose batches they may read)."""
    if not (user.is_authenticated and user.is_active):
        return AgencyPage.objects.none()
    if user_is_province_admin(user):
        return AgencyPage.objects.order_by("title")
    own = AgencyGroup.objects.filter(role__in=IMPORTING_ROLES, group__user=user).values("agency_id")
    return AgencyPage.objects.filter(pk__in=own).order_by("title")


def agencies_token_managed_by(user) -> QuerySet[AgencyPage]:
    """The agencies whose push token `user` may rotate: their administrators, the province."""
    if not (user.is_authenticated and user.is_active):
        return AgencyPage.objects.none()
    if user_is_province_admin(user):
        return AgencyPage.objects.order_by("title")
    own = AgencyGroup.objects.filter(role=AgencyRole.ADMINISTRATORS, group__user=user).values(
        "agency_id"
    )
    return AgencyPage.objects.filter(pk__in=own).order_by("title")
