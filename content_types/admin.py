"""Audit trail of the project's own non-page models (django-simple-history) in the admin."""

from django.contrib import admin

from simple_history.admin import SimpleHistoryAdmin

from .agency import AgencyGroup


@admin.register(AgencyGroup)
class AgencyGroupAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "role", "group"]
    list_filter = ["role"]
    search_fields = ["agency__title", "agency__agency_code", "group__name"]
