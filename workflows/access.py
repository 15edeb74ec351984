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
