"""Audit trail of the project's own non-page models (django-simple-history), for superusers at
/django-admin/. Pages keep Wagtail's own history and revision compare."""

from django.contrib import admin

from simple_history.admin import SimpleHistoryAdmin

from .agency import AgencyGroup
from .procedure_fields import ProcedureField
from .versions import DocumentVersion


@admin.register(AgencyGroup)
class AgencyGroupAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "role", "group"]
    list_filter = ["role"]
    search_fields = ["agency__title", "agency__agency_code", "group__name"]


@admin.register(ProcedureField)
class ProcedureFieldAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "title", "issue_number", "effective_from", "approved_by"]
    search_fields = ["code", "title"]
    date_hierarchy = "effective_from"
    readonly_fields = [f.name for f in DocumentVersion._meta.fields]

    def has_add_permission(self, request):
        return False  # versions are issued by approval, never typed
