"""Snippet admin of content_types, kept out of the models (STYLE: Models)."""

from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

import django_filters

from .catalogue import UpdateDeadlineRule
from .procedure_fields import ProcedureField


def _ministry_choices() -> list[tuple[str, str]]:
    ministries = (
        ProcedureField.objects.exclude(ministry="")
        .order_by("ministry")
        .values_list("ministry", flat=True)
        .distinct()
    )
    return [(ministry, ministry) for ministry in ministries]


class ProcedureFieldFilterSet(WagtailFilterSet):
    ministry = django_filters.ChoiceFilter(
        label="Bộ, ngành quản lý", choices=_ministry_choices, empty_label="Tất cả"
    )

    class Meta:
        model = ProcedureField
        fields = ["ministry"]


class ProcedureFieldViewSet(SnippetViewSet):
    model = ProcedureField
    menu_label = "Lĩnh vực thủ tục"
    menu_name = "procedure_fields"
    icon = "tag"
    add_to_admin_menu = True
    menu_order = 300
    list_display = ["name", "code", "ministry"]
    filterset_class = ProcedureFieldFilterSet
    # Plain database search: a short list, matched with icontains, needs no search index.
    search_fields = ["name", "code"]
    search_backend_name = None
    ordering = ["name"]


register_snippet(ProcedureFieldViewSet)


class UpdateDeadlineRuleViewSet(SnippetViewSet):
    """«Thời hạn cập nhật quy trình nội bộ»: the province's rules (default, per level, per
    agency), kept by province administrators (only they hold the model permissions); every
    change is in the snippet's history with who and when."""

    model = UpdateDeadlineRule
    menu_label = "Thời hạn cập nhật quy trình"
    menu_name = "update_deadline_rules"
    icon = "time"
    add_to_admin_menu = True
    menu_order = 333
    list_display = [
        "effective_from",
        Column("scope_label", label="Phạm vi áp dụng"),
        "months",
        "days",
        "legal_basis",
    ]
    list_filter = ["level"]
    search_fields = ["legal_basis"]
    search_backend_name = None
    ordering = ["-effective_from"]
    panels = [
        FieldPanel("effective_from"),
        FieldRowPanel([FieldPanel("level"), FieldPanel("agency")], heading="Phạm vi áp dụng"),
        FieldRowPanel([FieldPanel("months"), FieldPanel("days")], heading="Thời hạn"),
        FieldPanel("legal_basis"),
    ]


register_snippet(UpdateDeadlineRuleViewSet)
