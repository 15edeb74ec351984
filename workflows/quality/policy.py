"""The one place that decides who may do what with an agency's quality records.

Pages (programme, plan, report) are edited through Wagtail with its page permissions; these
rights cover everything else (units, records, nonconformities, actions) and every read view of
ours, pages included.

- read: the agency's staff (every role, its auditors included), province administrators and
  province internal auditors, superusers. Nobody else sees another agency's records.
- manage (units, nonconformities, action plans): the agency's ISO officers (editors) and
  administrators, superusers.
- verify (effectiveness): the agency's editors, approvers and administrators, superusers; never
  the owner of one of the actions verified (checked by the service).
- an audit record is written by its auditor.
"""

from __future__ import annotations

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from content_types.agency import AgencyPage, AgencyRole

from ..access import agencies_among, agency_ids_with_roles, any_agency_among, user_memberships
from ..provisioning import INTERNAL_AUDITORS, PROVINCE_ADMINS


class Right(StrEnum):
    READ = "read"
    MANAGE = "manage"
    VERIFY = "verify"


_ROLE_RIGHTS: dict[str, set[Right]] = {
    AgencyRole.EDITORS: {Right.READ, Right.MANAGE, Right.VERIFY},
    AgencyRole.REVIEWERS: {Right.READ},
    AgencyRole.APPROVERS: {Right.READ, Right.VERIFY},
    AgencyRole.ADMINISTRATORS: {Right.READ, Right.MANAGE, Right.VERIFY},
    AgencyRole.AUDITORS: {Right.READ},
}


def _province_groups(user) -> set[str]:
    return set(user_memberships(user).group_names & {PROVINCE_ADMINS, INTERNAL_AUDITORS})


def quality_rights(user, agency: AgencyPage) -> set[Right]:
    """The rights `user` holds on `agency`'s quality records."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return set(Right)
    rights: set[Right] = set()
    if _province_groups(user):
        rights.add(Right.READ)
    for role in user_memberships(user).roles.get(agency.pk, ()):
        rights |= _ROLE_RIGHTS.get(role, set())
    return rights


def quality_can(user, agency: AgencyPage, right: Right) -> bool:
    return right in quality_rights(user, agency)


def quality_require(user, agency: AgencyPage, right: Right) -> None:
    if not quality_can(user, agency, right):
        raise PermissionDenied


def _quality_agency_ids(user, right: Right) -> set[int] | None:
    """The agencies whose quality records `user` may read (or manage, verify); None: all."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser or (right == Right.READ and _province_groups(user)):
        return None
    roles = [role for role, rights in _ROLE_RIGHTS.items() if right in rights]
    return agency_ids_with_roles(user, roles)


def quality_agencies(user, right: Right = Right.READ) -> QuerySet[AgencyPage]:
    """The agencies whose quality records `user` may read (or manage, verify)."""
    return agencies_among(_quality_agency_ids(user, right))


def user_reads_any_quality(user) -> bool:
    """Whether `quality_agencies(user)` has any (the menu's question, no query)."""
    return any_agency_among(user, _quality_agency_ids(user, Right.READ))


def record_can_write(user, record) -> bool:
    """An audit record is written by its own auditor, while it is open."""
    from content_types.quality.record import RecordStatus

    return (
        user.is_authenticated
        and user.is_active
        and record.auditor_id == user.pk
        and record.status == RecordStatus.OPEN
    )


def action_can_report(user, action) -> bool:
    """The owner reports progress on their action; the agency's managers may too."""
    return action.owner_id == user.pk or quality_can(user, action.agency, Right.MANAGE)
