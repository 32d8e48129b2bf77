"""Saved views and scheduled reports in the admin: read-only, for support. Their owners change them on their page;
the scheduled run writes the deliveries."""

from django.contrib import admin

from cooperation.admin import ReadOnlyAdminMixin
from cooperation.exports.saved import ReportSchedule, SavedView, ScheduledDelivery


@admin.register(SavedView)
class SavedViewAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "source", "owner", "shared_with_role", "updated_at")
    list_filter = ("source", "shared_with_role")
    search_fields = ("name", "source")
    list_select_related = ("owner",)
    fields = ("name", "owner", "source", "list_path", "params", "shared_with_role", "created_at", "updated_at")


@admin.register(ReportSchedule)
class ReportScheduleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("saved_view", "frequency", "weekday", "day_of_month", "active", "starts_on")
    list_filter = ("frequency", "active")
    search_fields = ("saved_view__name",)
    list_select_related = ("saved_view",)
    fields = ("saved_view", "frequency", "weekday", "day_of_month", "recipients", "active", "starts_on")


@admin.register(ScheduledDelivery)
class ScheduledDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("schedule", "recipient", "period_key", "sent_at")
    search_fields = ("schedule__saved_view__name", "period_key")
    list_select_related = ("schedule__saved_view", "recipient")
    date_hierarchy = "sent_at"
    fields = ("schedule", "recipient", "period_key", "sent_at", "export_job")
