"""What shipments say about a partner's risk: goods that arrived for it and were never confirmed.

A consignee who lets goods sit uncounted for weeks cannot vouch for them (spoiled, diverted, never unloaded),
so an officer about to send it more should know. The grace period is ``SHIPMENT_RECEIPT_GRACE_DAYS`` (14 days
by default), counted from the arrival date.
"""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import ngettext

from cooperation.risk import Level, RiskFlag
from programs.shipments.models import Receipt, Shipment, ShipmentStatus

DEFAULT_RECEIPT_GRACE_DAYS = 14
WAYBILLS_NAMED = 3


def receipt_grace_days() -> int:
    return int(getattr(settings, "SHIPMENT_RECEIPT_GRACE_DAYS", DEFAULT_RECEIPT_GRACE_DAYS))


def unconfirmed_shipments(organisation, today: datetime.date | None = None):
    """Shipments to ``organisation`` that arrived more than the grace period ago with no receipt at all, the
    longest waiting first."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=receipt_grace_days())
    return (
        Shipment.objects.filter(consignee=organisation, status=ShipmentStatus.ARRIVED, arrived_on__lt=cutoff)
        .filter(~Exists(Receipt.objects.filter(shipment=OuterRef("pk"))))
        .order_by("arrived_on", "pk")
    )


def partner_flags(organisation, today: datetime.date | None = None) -> list[RiskFlag]:
    today = today or timezone.localdate()
    shipments = unconfirmed_shipments(organisation, today)
    total = shipments.count()
    if not total:
        return []
    first = list(shipments.values_list("waybill", "arrived_on")[:WAYBILLS_NAMED])
    waybills = ", ".join(waybill for waybill, _arrived in first)
    if total > WAYBILLS_NAMED:
        waybills += ", …"
    message = ngettext(
        "%(count)d shipment arrived and not confirmed after %(days)d days: %(waybills)s",
        "%(count)d shipments arrived and not confirmed, the oldest after %(days)d days: %(waybills)s",
        total,
    ) % {"count": total, "days": (today - first[0][1]).days, "waybills": waybills}
    query = urlencode({"consignee": organisation.pk, "status": ShipmentStatus.ARRIVED.value})
    return [
        RiskFlag(
            code="shipments.unconfirmed",
            message=message,
            level=Level.WARNING,
            count=total,
            url=f"{reverse('shipments:list')}?{query}",
        )
    ]
