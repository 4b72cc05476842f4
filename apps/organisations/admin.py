"""Administrators manage the organisation here; professionals never need the admin."""

from django.contrib import admin

from .models import County, Membership, Team, Unit


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "municipality", "county")
    list_filter = ("county",)
    search_fields = ("name",)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ("user", "role", "started_on", "ended_on")
    autocomplete_fields = ("user",)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ("name", "unit", "kind", "county")
    list_filter = ("county", "kind")
    search_fields = ("name",)
    inlines = [MembershipInline]

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            obj.county_id = form.instance.county_id
            obj.save()
        for obj in formset.deleted_objects:
            obj.delete()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "team", "role", "started_on", "ended_on")
    list_filter = ("role", "team__county")
    search_fields = ("user__username", "user__last_name", "team__name")
    autocomplete_fields = ("user", "team")
    exclude = ("county",)

    def save_model(self, request, obj, form, change):
        obj.county_id = obj.team.county_id
        super().save_model(request, obj, form, change)
