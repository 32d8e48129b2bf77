"""Admin for shipments, their packing lists, journeys, receipts, alerts and waybill counters.

Every screen here is read-only. A shipment moves only through its services (packing list locked once
ready, dispatch approved by a manager, events and receipts written as the goods travel), and those
services are used from the shipments pages; the admin is where staff and auditors look things up.
Lists come from the shipments selectors, so a user sees here what they see everywhere else.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cooperation.admin import ReadOnlyAdminMixin, ReadOnlyInline, ScopedHistoryAdmin, ordered
from programs.admin import money_display
from programs.shipments import selectors
from programs.shipments.models import (
    DelayAlertLog,
    ExpiryAlertLog,
    Receipt,
    ReceiptLine,
    ReceiptPhoto,
    Shipment,
    ShipmentItem,
    TrackingEvent,
    WaybillCounter,
)


def _visible_shipment_ids(request):
    return selectors.shipment_list(user=request.user).values("pk")


# --- shipments ----------------------------------------------------------------------------------------------------


class ShipmentItemInline(ReadOnlyInline):
    model = ShipmentItem
    fields = ("category", "description", "quantity", "unit", "unit_weight_kg", "unit_value", "currency", "expiry_date")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("currency")


class TrackingEventInline(ReadOnlyInline):
    model = TrackingEvent
    fields = ("occurred_at", "kind", "status_after", "place", "note", "user")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


@admin.register(Shipment)
class ShipmentAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    list_display = (
        "waybill",
        "programme",
        "consignee",
        "destination_country",
        "mode",
        "status",
        "planned_dispatch",
        "expected_arrival",
        "item_count_display",
        "delayed_display",
    )
    list_filter = (
        "status",
        "mode",
        ("consignee", admin.RelatedOnlyFieldListFilter),
        ("destination_country", admin.RelatedOnlyFieldListFilter),
        ("programme", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("waybill", "programme__code", "consignee__name", "consignee__acronym", "transport_reference")
    list_select_related = ("programme", "consignee", "destination_country")
    date_hierarchy = "planned_dispatch"
    inlines = (ShipmentItemInline, TrackingEventInline)

    list_selector = selectors.shipment_list

    @admin.display(description=_("items"), ordering="item_count")
    def item_count_display(self, shipment):
        return shipment.item_count

    @admin.display(description=_("delayed"), boolean=True, ordering="is_delayed")
    def delayed_display(self, shipment):
        return shipment.is_delayed


@admin.register(ShipmentItem)
class ShipmentItemAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    list_display = ("description", "shipment", "category", "quantity", "unit", "value_display", "expiry_date")
    list_filter = ("category", ("currency", admin.RelatedOnlyFieldListFilter), "expiry_date")
    search_fields = ("description", "shipment__waybill")
    list_select_related = ("shipment__consignee", "currency")

    def get_queryset(self, request):
        return ordered(self, request, ShipmentItem.objects.filter(shipment__in=_visible_shipment_ids(request)))

    @admin.display(description=_("value per unit"), ordering="unit_value")
    def value_display(self, item):
        return money_display(item.unit_value, item.currency)


@admin.register(TrackingEvent)
class TrackingEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "shipment", "kind", "status_after", "place", "user")
    list_filter = ("kind", "status_after")
    search_fields = ("shipment__waybill", "place", "note")
    list_select_related = ("shipment__consignee", "user")
    date_hierarchy = "occurred_at"

    def get_queryset(self, request):
        return ordered(self, request, TrackingEvent.objects.filter(shipment__in=_visible_shipment_ids(request)))


# --- receipts -----------------------------------------------------------------------------------------------------


class DiscrepancyFilter(admin.SimpleListFilter):
    title = _("discrepancy")
    parameter_name = "discrepancy"

    def lookups(self, request, model_admin):
        return [("yes", _("Damaged or lost")), ("no", _("All in good condition"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(selectors.DISCREPANCY)
        if self.value() == "no":
            return queryset.exclude(selectors.DISCREPANCY)
        return queryset


class ReceiptLineInline(ReadOnlyInline):
    model = ReceiptLine
    fields = ("item", "good", "damaged", "lost", "reason")
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item")


class ReceiptPhotoInline(ReadOnlyInline):
    model = ReceiptPhoto
    # The photo is streamed by the pages to those allowed, never linked from here.
    fields = ("original_name", "content_type", "size", "uploaded_at")
    show_change_link = False


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("received_on", "shipment", "received_by", "created_at")
    list_filter = ("received_on", ("shipment__consignee", admin.RelatedOnlyFieldListFilter))
    search_fields = ("shipment__waybill", "shipment__consignee__name", "note")
    list_select_related = ("shipment__consignee", "received_by")
    date_hierarchy = "received_on"
    inlines = (ReceiptLineInline, ReceiptPhotoInline)

    def get_queryset(self, request):
        return ordered(self, request, Receipt.objects.filter(shipment__in=_visible_shipment_ids(request)))


@admin.register(ReceiptLine)
class ReceiptLineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("item", "receipt", "good", "damaged", "lost")
    list_filter = (DiscrepancyFilter, ("item__category", admin.ChoicesFieldListFilter))
    search_fields = ("item__description", "receipt__shipment__waybill", "reason")
    list_select_related = ("item", "receipt__shipment")

    def get_queryset(self, request):
        lines = ReceiptLine.objects.filter(receipt__shipment__in=_visible_shipment_ids(request))
        return ordered(self, request, lines)


@admin.register(ReceiptPhoto)
class ReceiptPhotoAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("original_name", "receipt", "content_type", "size", "uploaded_at")
    search_fields = ("original_name", "receipt__shipment__waybill")
    list_select_related = ("receipt__shipment",)
    exclude = ("file",)  # the photo is streamed by the pages to those allowed, never linked from here

    def get_queryset(self, request):
        photos = ReceiptPhoto.objects.filter(receipt__shipment__in=_visible_shipment_ids(request))
        return ordered(self, request, photos)


# --- what the services log ----------------------------------------------------------------------------------------


@admin.register(DelayAlertLog)
class DelayAlertLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Its emails, their state and errors, are in the outbox ("outgoing messages").
    list_display = ("shipment", "expected_arrival", "created_at")
    list_filter = ("expected_arrival",)
    search_fields = ("shipment__waybill",)
    list_select_related = ("shipment__consignee",)

    def get_queryset(self, request):
        return ordered(self, request, DelayAlertLog.objects.filter(shipment__in=_visible_shipment_ids(request)))


@admin.register(ExpiryAlertLog)
class ExpiryAlertLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Its emails, their state and errors, are in the outbox ("outgoing messages").
    list_display = ("shipment", "expiry_date", "created_at")
    list_filter = ("expiry_date",)
    search_fields = ("shipment__waybill",)
    list_select_related = ("shipment__consignee",)

    def get_queryset(self, request):
        return ordered(self, request, ExpiryAlertLog.objects.filter(shipment__in=_visible_shipment_ids(request)))


@admin.register(WaybillCounter)
class WaybillCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Not tied to any organisation: only holders of its view permission (auditors, administrators) see it.
    list_display = ("year", "last_number")
    ordering = ("-year",)
