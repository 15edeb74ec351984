"""The base of the project's own admin screens."""

from __future__ import annotations

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


class TitledAdminMixin(WagtailAdminTemplateMixin):
    """Wagtail's admin page with the screen's own title as the last breadcrumb. Wagtail's base
    breadcrumbs are only «Trang chủ», and its slim header shows the breadcrumbs in place of the
    title (the h1 is for screen readers only): every one of these screens read «Trang chủ»."""

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]
