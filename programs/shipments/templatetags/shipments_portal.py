"""Template helpers of the partner portal's shipment pages."""

from decimal import Decimal

from django import template
from django.utils import formats

from programs.shipments.models import ON_THE_WAY, ShipmentStatus

register = template.Library()

# Goods the consignee should expect or is holding without having counted them all.
COMING = (*ON_THE_WAY, ShipmentStatus.ARRIVED, ShipmentStatus.PARTIALLY_RECEIVED)


@register.filter
def quantity(value) -> str:
    """A quantity as people write it, in the active language: 12, 12.5, 1,250 (never 12.500)."""
    if value is None or value == "":
        return "—"
    value = Decimal(value)
    plain = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return formats.number_format(plain, use_l10n=True, force_grouping=True)
