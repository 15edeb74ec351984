"""Who may do what with the oversight screens and the dossier figures."""

from __future__ import annotations

from django.db.models import QuerySet

from content_types.agency import AgencyPage, AgencyRole

from ..access import agencies_among, agency_ids_with_roles, any_agency_among, user_in_group
from ..provisioning import PROVINCE_ADMINS

# The agency roles that may import their agency's one-stop figures and read its push log.
IMPORTING_ROLES = (AgencyRole.EDITORS, AgencyRole.ADMINISTRATORS)


def user_is_province_admin(user) -> bool:
    """Superusers and members of «Quản trị cấp tỉnh»: the only readers of the dashboard."""
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user_in_group(user, PROVINCE_ADMINS)


def _agency_ids_for(user, roles) -> set[int] | None:
    """The agencies where `user` holds one of `roles` (None: all, for the province)."""
    if not (user.is_authenticated and user.is_active):
        return set()
    if user_is_province_admin(user):
        return None
    return agency_ids_with_roles(user, roles)


def agencies_importable_by(user) -> QuerySet[AgencyPage]:
    """The agencies whose dossier figures `user` may import (and whose batches they may read)."""
    return agencies_among(_agency_ids_for(user, IMPORTING_ROLES))


def user_imports_any(user) -> bool:
    """Whether `agencies_importable_by(user)` has any (the menu's question, no query)."""
    return any_agency_among(user, _agency_ids_for(user, IMPORTING_ROLES))


def agencies_token_managed_by(user) -> QuerySet[AgencyPage]:
    """The agencies whose push token `user` may rotate: their administrators, the province."""
    return agencies_among(_agency_ids_for(user, [AgencyRole.ADMINISTRATORS]))


def user_manages_any_token(user) -> bool:
    return any_agency_among(user, _agency_ids_for(user, [AgencyRole.ADMINISTRATORS]))
