"""Administrators see the counties' placement prices; a price is history, so it is added, never changed."""

from django.contrib import admin

from .models import PlacementCost


@admin.register(PlacementCost)
class PlacementCostAdmin(admin.ModelAdmin):
    list_display = ["county", "placement_type", "euros_per_day", "valid_from", "set_by", "set_at"]
    list_filter = ["county", "placement_type"]
    fields = ["county", "placement_type", "euros_per_day", "valid_from", "set_by"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
