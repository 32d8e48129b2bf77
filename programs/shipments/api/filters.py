"""Filters of the shipment API's item, event and receipt lists; shipments use ``programs.shipments.filters``.

Rows are already scoped to the user by the selectors; the filters only narrow them.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from programs.shipments.models import EventKind, ItemCategory, Receipt, ShipmentItem, TrackingEvent


class ShipmentRowFilter(django_filters.FilterSet):
    """Rows of one shipment's record (its items, events, receipts), narrowed by the shipment's id."""

    shipment = IdFilter(field_name="shipment_id", label=_("Shipment id"))


class ItemFilter(ShipmentRowFilter):
    category = django_filters.MultipleChoiceFilter(choices=ItemCategory.choices, label=_("Category"))

    class Meta:
        model = ShipmentItem
        fields = ["shipment", "category"]


class EventFilter(ShipmentRowFilter):
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices, label=_("Kind"))

    class Meta:
        model = TrackingEvent
        fields = ["shipment", "kind"]


class ReceiptFilter(ShipmentRowFilter):
    class Meta:
        model = Receipt
        fields = ["shipment"]
