"""Which pages a searcher may see: the rule Wagtail applies when serving a private page.

A private section (the agency's QualitySystemPage) carries a PageViewRestriction listing the groups
that may read it: the agency's own groups plus the province administrators and internal auditors
(set up by workflows.provisioning). Search applies that same restriction, so it can never show a
page its reader could not open: anonymous visitors and the public search get `.public()`, staff
get the public pages plus the private sections whose restriction admits them.
"""

from __future__ import annotations

from django.db.models.expressions import RawSQL

from wagtail.models import Page, PageViewRestriction


def _public(queryset):
    """Wagtail's `.public()`: a restricted page and everything under it is hidden. Its query
    joined every restriction to its page (SQLite's planner then scanned the page table)."""
    restricted = PageViewRestriction.objects.values("page_id")
    return _outside(queryset, Page.objects.filter(pk__in=restricted).values_list("path", flat=True))


def _outside(queryset, section_paths):
    """`queryset` without the pages at or under any of `section_paths`.

    A province has a private section per agency. Tested as 150 `path LIKE 'x%'` on every
    matched page, they made a broad search three times slower. Instead the pages inside the
    sections are found once by ranges of the indexed path (a path under P sorts between P and
    P + "~": tree paths use only digits and capital letters, all below "~") and excluded by id.
    (On Elasticsearch and OpenSearch too: the engine lists matches, the database applies this.)
    The ranges are written out: joined to the sections instead, PostgreSQL could not estimate
    them (900,000 rows for 150 at 50,000 forms), compiled the query with JIT and rescanned the
    subquery per section, and a public search took 10 times as long."""
    paths = sorted(set(section_paths))
    if not paths:
        return queryset
    # Raw SQL because the same 150 ranges built as Q objects cost Django more to compile than
    # the database to run, once for every query of a search. A `pk IN` subquery because the
    # search backends accept only plain field lookups on the queryset they search.
    table = Page._meta.db_table
    ranges = " OR ".join(["(path >= %s AND path <= %s)"] * len(paths))
    params = [bound for path in paths for bound in (path, f"{path}~")]
    inside = RawSQL(f"SELECT id FROM {table} WHERE {ranges}", params)  # noqa: S611
    return queryset.exclude(pk__in=inside)


def reads_public_only(user) -> bool:
    """Whether `user` (None: an anonymous visitor) reads only what the public reads."""
    return user is None or not user.is_authenticated or not user.is_active


def hidden_paths(user) -> list[str]:
    """Tree paths of the restricted pages `user` may not read: they and everything under them
    are left out of `user`'s searches (signed-in staff; the public reads `_public`).

    Wagtail's own rule (PageViewRestriction.accept_request): a sign-in restriction admits
    every signed-in reader, a group restriction the members of its groups, and a password one
    nobody here (such pages are opened one by one, never listed by search). Asked of the
    database in one query: reading every agency's restriction with its groups to test them in
    Python cost an editor's search as much as the search itself at 150 agencies."""
    if user.is_superuser:
        return []
    return sorted(set(_hidden_from(user).values_list("page__path", flat=True)))


def _hidden_from(user):
    """The restrictions that do not admit `user` (see hidden_paths)."""
    admitting = PageViewRestriction.groups.through.objects.filter(group__user=user)
    return PageViewRestriction.objects.exclude(restriction_type=PageViewRestriction.LOGIN).exclude(
        restriction_type=PageViewRestriction.GROUPS,
        pk__in=admitting.values("pageviewrestriction_id"),
    )


def visible_to(queryset, user=None):
    """`queryset` narrowed to the live pages `user` may read (None: an anonymous visitor)."""
    queryset = queryset.live()
    if reads_public_only(user):
        return _public(queryset)
    return _outside(queryset, hidden_paths(user))
