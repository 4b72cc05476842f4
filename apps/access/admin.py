from django.contrib import admin

from .models import AccessGrant


@admin.register(AccessGrant)
class AccessGrantAdmin(admin.ModelAdmin):
    list_display = ("grantee", "family", "can_edit", "valid_from", "valid_until", "revoked_at")
    list_filter = ("county", "can_edit")
    raw_id_fields = ("family", "grantee", "granted_by")
    exclude = ("county",)

    def save_model(self, request, obj, form, change):
        obj.county_id = obj.family.county_id
        super().save_model(request, obj, form, change)
