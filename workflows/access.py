"""Who may see which agency's private pages. Used by the admin guards in wagtail_hooks."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Substr

from content_types.agency import AgencyPage
from content_types.indexes import QualitySystemPage

from .provisioning import INTERNAL_AUDITORS, PROVINCE_ADMINS


def _memo(user, key: str, build):
    """Kept on the user object for the request (as Django keeps `_perm_cache` and Wagtail its
    group checks): every panel, hook and row of a view asks the same questions."""
    memo = getattr(user, "_iso_access_memo", None)
    if memo is None:
        memo = {}
        try:
            user._iso_access_memo = memo
        except AttributeError:  # an object that takes no attributes: ask every time
            return build()
    if key not in memo:
        memo[key] = build()
    return memo[key]


@dataclass(frozen=True)
class Memberships:
    """The user's groups by name and their roles per agency: one query, kept for the request.
    Every admin page asks a dozen of these questions (one per menu entry) for agency staff."""

    group_names: frozenset[str]
    roles: dict[int, frozenset[str]]  # agency id → roles held there

    def agencies_with(self, roles) -> set[int]:
        wanted = set(roles)
        return {agency_id for agency_id, held in self.roles.items() if held & wanted}


def _memberships_read(user) -> Memberships:
    names: set[str] = set()
    roles: dict[int, set[str]] = {}
    rows = user.groups.values_list("name", "agency_role__agency_id", "agency_role__role")
    for name, agency_id, role in rows:
        names.add(name)
        if agency_id is not None:
            roles.setdefault(agency_id, set()).add(role)
    return Memberships(
        frozenset(names), {agency_id: frozenset(held) for agency_id, held in roles.items()}
    )


def user_memberships(user) -> Memberships:
    if user is None or not user.is_authenticated:
        return Memberships(frozenset(), {})
    return _memo(user, "memberships", lambda: _memberships_read(user))


def user_in_group(user, name: str) -> bool:
    return name in user_memberships(user).group_names


def agency_ids_with_roles(user, roles) -> set[int]:
    """The agencies where `user` holds any of `roles` (no query after the first question)."""
    return user_memberships(user).agencies_with(roles)


def user_sees_every_agency(user) -> bool:
    return user.is_superuser or bool(
        user_memberships(user).group_names & {PROVINCE_ADMINS, INTERNAL_AUDITORS}
    )


def user_agency_ids(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(user_memberships(user).roles)


def any_agency_exists(user) -> bool:
    """Whether the province has an agency yet (for the menu entries of those who see all)."""
    return _memo(user, "any_agency", lambda: AgencyPage.objects.exists())


def agencies_among(ids: set[int] | None):
    """The agencies of `ids` (None: every agency), by title."""
    agencies = AgencyPage.objects.order_by("title")
    if ids is None:
        return agencies
    return agencies.filter(pk__in=sorted(ids)) if ids else agencies.none()


def any_agency_among(user, ids: set[int] | None) -> bool:
    """`agencies_among(ids).exists()` without a query: a role row always has its agency
    (AgencyGroup.agency cascades)."""
    return any_agency_exists(user) if ids is None else bool(ids)


def _own_agency_paths(user) -> list[str]:
    return _memo(
        user,
        "agency_paths",
        lambda: list(
            AgencyPage.objects.filter(pk__in=user_agency_ids(user)).values_list("path", flat=True)
        ),
    )


def _under_own_agencies(user) -> Q:
    """Pages in the user's own agencies (a path-prefix test on one or two paths)."""
    own = Q(pk__in=[])
    for path in _own_agency_paths(user):
        own |= Q(path__startswith=path)
    return own


def pages_in_own_agencies(user, pages):
    """`pages` narrowed to those in the user's agencies (every page for province users)."""
    return pages if user_sees_every_agency(user) else pages.filter(_under_own_agencies(user))


def _under_any_agency(user) -> Q:
    """Pages at or under any agency: the children of the pages agencies live under (the portal
    home, whose children are only agencies), so one path prefix whatever their number."""
    parents = _memo(
        user,
        "agency_parents",
        lambda: [
            (path[: -AgencyPage.steplen], depth - 1)
            for path, depth in AgencyPage.objects.values_list("path", "depth").order_by().distinct()
        ],
    )
    under = Q(pk__in=[])
    for path, depth in set(parents):
        under |= Q(path__startswith=path, depth__gt=depth)
    return under


def _private_page_ids(user):
    """A subquery of the pages in any agency's private quality-system section: those whose
    ancestor at the section's depth is a quality-system page (an indexed equality per page,
    where a `path LIKE` per agency grew every query with the province). Kept as `pk IN (…)` so
    that the admin's search backends can still apply it."""
    from wagtail.models import Page

    under = Q(pk__in=[])
    depths = _memo(
        user,
        "private_depths",
        lambda: set(QualitySystemPage.objects.values_list("depth", flat=True).distinct()),
    )
    for depth in sorted(depths):
        section = QualitySystemPage.objects.filter(
            path=Substr(OuterRef("path"), 1, depth * AgencyPage.steplen)
        )
        under |= Q(Exists(section), depth__gte=depth)
    return Page.objects.filter(under).values("pk")


def pages_visible_condition(user) -> Q | None:
    """A filter matching the pages `user` may see by title in the admin, or None for all.

    Another agency's pages are visible only once published (citizens see them too), and never
    in its private quality-system section; the user's own agencies' pages, and pages outside
    every agency (the province portal), are all visible.
    """
    if user_sees_every_agency(user):
        return None
    return (
        _under_own_agencies(user)
        | ~_under_any_agency(user)
        | (Q(live=True) & ~Q(pk__in=_private_page_ids(user)))
    )


def pages_visible_to(user, pages):
    """`pages` without those `user` may not see (see pages_visible_condition)."""
    visible = pages_visible_condition(user)
    return pages if visible is None else pages.filter(visible)


def hidden_page_ids(user) -> list[str] | None:
    """The ids (as strings, as generic relations store them) of the pages hidden from `user`."""
    from wagtail.models import Page

    visible = pages_visible_condition(user)
    if visible is None:
        return None
    return [str(pk) for pk in Page.objects.exclude(visible).values_list("pk", flat=True)]


def _other_agencies(user):
    return AgencyPage.objects.exclude(pk__in=user_agency_ids(user))


def tasks_hidden_from(user) -> Q | None:
    """Another agency's approval steps: its workflow is its own (names of steps included)."""
    from wagtail.models import WorkflowTask

    if user_sees_every_agency(user):
        return None
    tasks = WorkflowTask.objects.filter(
        workflow__workflow_pages__page__in=_other_agencies(user)
    ).values("task_id")
    return Q(pk__in=tasks)


def workflows_hidden_from(user) -> Q | None:
    if user_sees_every_agency(user):
        return None
    return Q(workflow_pages__page__in=_other_agencies(user))


def collection_items_visible_to(user, model):
    """Documents or images of the collections `user` holds any right on (their agency's)."""
    from wagtail.permissions import policy_registry

    policy = policy_registry.get_by_type(model)
    return policy.instances_user_has_any_permission_for(user, ["add", "change", "choose", "delete"])
