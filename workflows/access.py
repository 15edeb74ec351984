"""Who may see which agency's private pages. Used by the admin guards in wagtail_hooks."""

from __future__ import annotations

from django.db.models import Q

from content_types.agency import AgencyGroup, AgencyPage
from content_types.indexes import QualitySystemPage

from .provisioning import INTERNAL_AUDITORS, PROVINCE_ADMINS


def user_sees_every_agency(user) -> bool:
    return (
        user.is_superuser
        or user.groups.filter(name__in=[PROVINCE_ADMINS, INTERNAL_AUDITORS]).exists()
    )


def user_agency_ids(user) -> set[int]:
    return set(AgencyGroup.objects.filter(group__user=user).values_list("agency_id", flat=True))


def private_pages_hidden_from(user) -> Q | None:
    """A filter matching the private quality-system pages `user` may not see, or None."""
    if user_sees_every_agency(user):
        return None
    own_paths = set(
        AgencyPage.objects.filter(pk__in=user_agency_ids(user)).values_list("path", flat=True)
    )
    hidden = Q()
    for path in QualitySystemPage.objects.values_list("path", flat=True):
        if path[: -AgencyPage.steplen] not in own_paths:  # the parent's path is a prefix
            hidden |= Q(path__startswith=path)
    return hidden or None


def _other_agencies(user):
    return AgencyPage.objects.exclude(pk__in=user_agency_ids(user))


def pages_hidden_from(user) -> Q | None:
    """A filter matching the pages `user` may not even see by title in the admin, or None.

    Another agency's pages are visible only once published (citizens see them too), and never
    in its private quality-system section; the user's own agencies' pages, and pages outside
    every agency (the province portal), are all visible.
    """
    if user_sees_every_agency(user):
        return None
    hidden = Q()
    for path in _other_agencies(user).values_list("path", flat=True):
        hidden |= Q(path__startswith=path, live=False)
    private = private_pages_hidden_from(user)
    if private is not None:
        hidden |= private
    return hidden or None


def pages_visible_to(user, pages):
    """`pages` without those `user` may not see (see pages_hidden_from)."""
    hidden = pages_hidden_from(user)
    return pages if hidden is None else pages.exclude(hidden)


def hidden_page_ids(user) -> list[str] | None:
    """The ids (as strings, as generic relations store them) of the pages hidden from `user`."""
    from wagtail.models import Page

    hidden = pages_hidden_from(user)
    if hidden is None:
        return None
    return [str(pk) for pk in Page.objects.filter(hidden).values_list("pk", flat=True)]


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
