"""The user's roles per agency, read once per request: every source and view asks the same."""

from __future__ import annotations

from content_types.agency import AgencyRole

from ..access import user_memberships

EDITORS, REVIEWERS, APPROVERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS, AgencyRole.APPROVERS
ADMINISTRATORS, AUDITORS = AgencyRole.ADMINISTRATORS, AgencyRole.AUDITORS

# Who works the agency's records (reviews documents, answers citizens): not its auditors.
HANDLERS = frozenset({EDITORS, APPROVERS, ADMINISTRATORS})


def user_roles(user) -> dict[int, set[str]]:
    """{agency id: roles of `user` there}, read once for the request (workflows.access)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    return {agency_id: set(held) for agency_id, held in user_memberships(user).roles.items()}


def user_has_role(user, agency_id: int, roles) -> bool:
    return bool(user_roles(user).get(agency_id, set()) & set(roles))


def agencies_with_role(user, roles) -> set[int]:
    wanted = set(roles)
    return {agency_id for agency_id, held in user_roles(user).items() if held & wanted}
