"""Which pages a searcher may see: the rule Wagtail applies when serving a private page.

A private section (the agency's QualitySystemPage) carries a PageViewRestriction listing the groups
that may read it: the agency's own groups plus the province administrators and internal auditors
(set up by workflows.provisioning). Search applies that same restriction, so it can never show a
page its reader could not open: anonymous visitors and the public search get `.public()`, staff
get the public pages plus the private sections whose restriction admits them.
"""

from __future__ import annotations

from django.db.models import Q

from wagtail.models import PageViewRestriction


def _admits(restriction: PageViewRestriction, user, group_ids: set[int]) -> bool:
    if restriction.restriction_type == PageViewRestriction.LOGIN:
        return True
    if restriction.restriction_type == PageViewRestriction.GROUPS:
        return any(group.pk in group_ids for group in restriction.groups.all())
    return False  # password-protected pages are opened one by one, never listed by search


def visible_to(queryset, user=None):
    """`queryset` narrowed to the live pages `user` may read (None: an anonymous visitor)."""
    queryset = queryset.live()
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.public()
    if user.is_superuser:
        return queryset
    group_ids = set(user.groups.values_list("pk", flat=True))
    hidden = Q()
    restrictions = PageViewRestriction.objects.select_related("page").prefetch_related("groups")
    for restriction in restrictions:
        if not _admits(restriction, user, group_ids):
            hidden |= Q(path__startswith=restriction.page.path)
    return queryset.exclude(hidden) if hidden else queryset
