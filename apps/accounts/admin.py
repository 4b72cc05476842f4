from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class SysteemiUserAdmin(UserAdmin):
    list_display = ("username", "first_name", "last_name", "county", "org_role", "is_active")
    list_filter = ("county", "org_role", "is_active", "is_staff")
    fieldsets = UserAdmin.fieldsets + ((_("Systeemi"), {"fields": ("county", "org_role", "managed_unit", "title", "organisation")}),)
    add_fieldsets = UserAdmin.add_fieldsets + (
        (_("Systeemi"), {"fields": ("county", "org_role", "managed_unit", "title", "organisation")}),
    )
