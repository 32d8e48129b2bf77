"""Filters of the shipment API's item, event and receipt lists; shipments use ``programs.shipments.filters``.

Rows are already scoped to the user by the selectors; the filters only narrow them.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from programs.shipments.models import EventKind, ItemCategory, Receipt, ShipmentItem, TrackingEvent


def _shipment_filter():
    return IdFilter(field_name="shipment_id", label=_("Shipment id"))


class ItemFilter(django_filters.FilterSet):
    shipment = _shipment_filter()
    category = django_filters.MultipleChoiceFilter(choices=ItemCategory.choices, label=_("Category"))

    class Meta:
        model = ShipmentItem
        fields = ["shipment", "category"]


class EventFilter(django_filters.FilterSet):
    shipment = _shipment_filter()
    kind = django_filters.MultipleChoiceFilter(choices=EventKind.choices, label=_("Kind"))

    class Meta:
        model = TrackingEvent
        fields = ["shipment", "kind"]


class ReceiptFilter(django_filters.FilterSet):
    shipment = _shipment_filter()

    class Meta:
        model = Receipt
        fields = ["shipment"]
