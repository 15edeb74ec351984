"""Read-only editor panels."""

from wagtail.admin.panels import Panel

from .versions import version_periods


class VersionInfoPanel(Panel):
    """Shows the version in force and the issued versions: set by approval, never typed."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "content_types/panels/version_info.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            periods = version_periods(self.instance.pk) if self.instance.pk else []
            context["periods"] = periods
            context["page_id"] = self.instance.pk
            context["current"] = next((p for p in periods if p.status == "current"), None)
            context["scheduled"] = [p for p in periods if p.status == "scheduled"]
            context["withdrawn"] = next((p for p in periods if p.status == "withdrawn"), None)
            return context
