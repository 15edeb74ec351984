"""The user's roles per agency, read once per request: every source and view asks the same."""

from __future__ import annotations

from collections import defaultdict

from content_types.agency import AgencyGroup, AgencyRole

EDITORS, REVIEWERS, APPROVERS = AgencyRole.EDITORS, AgencyRole.REVIEWERS, AgencyRole.APPROVERS
ADMINISTRATORS, AUDITORS = AgencyRole.ADMINISTRATORS, AgencyRole.AUDITORS

# Who works the agency's records (reviews documents, answers citizens): not its auditors.
HANDLERS = frozenset({EDITORS, APPROVERS, ADMINISTRATORS})


def user_roles(user) -> dict[int, set[str]]:
    """{agency id: roles of `user` there}, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_workspace_roles", None)
    if cached is None:
        cached = defaultdict(set)
        for agency_id, role in AgencyGroup.objects.filter(group__user=user).values_list(
            "agency_id", "role"
        ):
            cached[agency_id].add(role)
        cached = dict(cached)
        user._workspace_roles = cached
    return cached


def user_has_role(user, agency_id: int, roles) -> bool:
    return bool(user_roles(user).get(agency_id, set()) & set(roles))


def agencies_with_role(user, roles) -> set[int]:
    wanted = set(roles)
    return {agency_id for agency_id, held in user_roles(user).items() if held & wanted}
