"""Wagtail's page permission tester, answering the delete check of a leaf page without a query.

For a user holding "change" but not "publish" (every agency role: nobody in an agency publishes
outside the approval workflow) Wagtail asks the database, row by row in the explorer and
twice per row (delete, move), whether the page or a descendant is live. A page without children
is its only descendant, so its own `live` answers that; pages with children are still asked.
"""

from __future__ import annotations

from wagtail.models import pages as wagtail_pages

_WagtailTester = wagtail_pages.PagePermissionTester


class PagePermissionTester(_WagtailTester):
    def can_delete(self, ignore_bulk=False):
        page = self.page
        if (
            self.user.is_active
            and not self.user.is_superuser
            and not self.page_is_root
            and page.numchild == 0
            and "change" in self.permissions
            and "publish" not in self.permissions
        ):
            return not page.live
        return super().can_delete(ignore_bulk=ignore_bulk)


def page_permission_tester_install() -> None:
    """Page.permissions_for_user builds the tester named in wagtail.models.pages."""
    wagtail_pages.PagePermissionTester = PagePermissionTester
