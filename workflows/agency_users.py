"""An agency administrator manages the agency's own users (DESIGN §1), and nothing beyond.

Wagtail's user admin is global: whoever may use it sees and edits every user of the province,
superusers included. These services give the agency's administrators (and province
administrators, for any agency) a narrower power:

- the members of an agency are the users in one of its four role groups;
- a member may be changed here only if the agency's role groups are all the groups they hold:
  never a superuser, a province administrator, an internal auditor or someone who also works for
  another agency (those belong to the province administrators);
- the only groups given or taken are the agency's role groups.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import QuerySet

from wagtail.log_actions import log

from accounts.lockout import account_is_locked, account_unlock
from content_types.agency import AgencyGroup, AgencyPage, AgencyRole

from .access import agencies_among, agency_ids_with_roles, any_agency_among, user_in_group
from .provisioning import PROVINCE_ADMINS


def _administered_ids(user) -> set[int] | None:
    if not user.is_active:
        return set()
    if user.is_superuser or user_in_group(user, PROVINCE_ADMINS):
        return None
    return agency_ids_with_roles(user, [AgencyRole.ADMINISTRATORS])


def agencies_administered_by(user) -> QuerySet[AgencyPage]:
    """The agencies whose users `user` may manage."""
    return agencies_among(_administered_ids(user))


def user_administers_any(user) -> bool:
    """Whether `agencies_administered_by(user)` has any (the menu's question, no query)."""
    return any_agency_among(user, _administered_ids(user))


def _role_groups(agency: AgencyPage) -> dict[str, Group]:
    return {link.role: link.group for link in AgencyGroup.objects.filter(agency=agency)}


@dataclass(frozen=True)
class Member:
    user: object
    roles: list[str]  # AgencyRole labels, in the order of AgencyRole
    manageable: bool  # whether this agency's administrators may change them
    locked_out: bool = False  # sign-in refused after too many wrong passwords (accounts.lockout)


def agency_members(agency: AgencyPage) -> list[Member]:
    groups = _role_groups(agency)
    role_of_group = {group.pk: role for role, group in groups.items()}
    users = (
        get_user_model()
        .objects.filter(groups__in=groups.values())
        .distinct()
        .prefetch_related("groups")
        .order_by("first_name", "username")
    )
    members = []
    for user in users:
        held = {group.pk for group in user.groups.all()}
        roles = [role for role in AgencyRole.values if groups.get(role) and groups[role].pk in held]
        manageable = not user.is_superuser and held <= set(role_of_group)
        labels = [AgencyRole(role).label for role in roles]
        locked = account_is_locked(username=user.get_username())
        members.append(Member(user, labels, manageable, locked))
    return members


def member_roles(agency: AgencyPage, user) -> list[str]:
    """The agency roles `user` holds (AgencyRole values)."""
    held = set(user.groups.values_list("pk", flat=True))
    return [role for role, group in _role_groups(agency).items() if group.pk in held]


def is_manageable_member(agency: AgencyPage, user) -> bool:
    """A member whose only groups are this agency's role groups, and not a superuser."""
    held = set(user.groups.values_list("pk", flat=True))
    agency_groups = {group.pk for group in _role_groups(agency).values()}
    return bool(held) and held <= agency_groups and not user.is_superuser


@transaction.atomic
def agency_user_create(
    agency: AgencyPage,
    *,
    username: str,
    full_name: str,
    email: str,
    password: str,
    roles,
    by=None,
):
    """A new member of `agency`; `by` (the administrator) is recorded in the site history."""
    user = get_user_model().objects.create_user(
        username=username, email=email, password=password, first_name=full_name
    )
    _set_roles(agency, user, roles)
    log(instance=user, action="wagtail.create", user=by, data=_log_data(agency, roles))
    return user


def _log_data(agency: AgencyPage, roles) -> dict:
    return {"agency": agency.agency_code, "roles": sorted(roles)}


@transaction.atomic
def agency_user_update(
    agency: AgencyPage,
    user,
    *,
    full_name: str,
    email: str,
    roles,
    is_active: bool,
    password: str = "",
    by=None,
) -> None:
    """Change a member; a non-empty `password` replaces theirs. Recorded in the site history
    with `by`, the administrator."""
    user.first_name = full_name
    user.last_name = ""
    user.email = email
    user.is_active = is_active
    fields = ["first_name", "last_name", "email", "is_active"]
    if password:
        user.set_password(password)
        fields.append("password")
    user.save(update_fields=fields)
    _set_roles(agency, user, roles)
    data = {**_log_data(agency, roles), "active": is_active, "password_changed": bool(password)}
    log(instance=user, action="wagtail.edit", user=by, data=data)


def _set_roles(agency: AgencyPage, user, roles) -> None:
    groups = _role_groups(agency)
    wanted = {groups[role] for role in roles if role in groups}
    user.groups.remove(*(set(groups.values()) - wanted))
    user.groups.add(*wanted)


def agency_user_unlock(agency: AgencyPage, user, *, by) -> None:
    """Let a member locked out by wrong passwords sign in again at once (recorded, with `by`)."""
    account_unlock(user=user, by=by)


def admin_may_manage(admin, agency: AgencyPage) -> bool:
    return agencies_administered_by(admin).filter(pk=agency.pk).exists()
