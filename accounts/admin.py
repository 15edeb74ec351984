from django.contrib import admin

from .models import LockoutRecord


@admin.register(LockoutRecord)
class LockoutRecordAdmin(admin.ModelAdmin):
    """The lockout record, read-only, for superusers at /django-admin/."""

    list_display = ["locked_at", "username", "ip_address", "attempts_while_locked", "unlocked_at"]
    list_filter = ["locked_at", "unlocked_at"]
    search_fields = ["username", "ip_address"]
    readonly_fields = [field.name for field in LockoutRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
