"""Template helpers of the partner portal's shipment pages."""

from decimal import Decimal

from django import template
from django.utils import formats

from cooperation.pages import signed_in_count
from programs.shipments.models import ON_THE_WAY, ShipmentStatus
from programs.shipments.selectors import shipment_list

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


@register.simple_tag(takes_context=True)
def shipments_coming_count(context) -> int:
    """How many shipments to the signed-in user's organisation are on their way or not yet fully counted."""
    return signed_in_count(context, lambda user: shipment_list(user=user).filter(status__in=COMING).count())
