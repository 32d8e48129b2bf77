"""Pre-numbered waybills: ``WB-<year>-<6 digits>``, from a counter row per year that only grows.

The counter row is locked (``select_for_update``) while a number is taken, so two officers creating a
shipment at once queue on it; a number is never handed out twice, not even after its shipment was
deleted. A number typed in by hand (a paper waybill book) is checked against every waybill ever
recorded, including deleted ones (the history table keeps them).
"""

import re

import segno
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from programs.shipments.models import Shipment, WaybillCounter

PREFIX = "WB"
WAYBILL_PATTERN = re.compile(rf"^{PREFIX}-(\d{{4}})-(\d{{6}})$")


def format_waybill(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:06d}"


def waybill_ever_used(waybill: str) -> bool:
    return Shipment.objects.filter(waybill=waybill).exists() or Shipment.history.filter(waybill=waybill).exists()


def _locked_counter(year: int) -> WaybillCounter:
    try:
        with transaction.atomic():
            WaybillCounter.objects.get_or_create(year=year)
    except IntegrityError:  # another transaction created this year's row first: it exists now
        pass
    return WaybillCounter.objects.select_for_update().get(year=year)


@transaction.atomic
def next_waybill(year: int | None = None) -> str:
    """Take the next unused number of ``year`` (this year by default); call it inside the creating transaction."""
    counter = _locked_counter(year or timezone.localdate().year)
    while True:
        counter.last_number += 1
        waybill = format_waybill(counter.year, counter.last_number)
        if not waybill_ever_used(waybill):  # skip numbers typed in by hand from a paper book
            break
    counter.save(update_fields=["last_number"])
    return waybill


def receipt_link(shipment: Shipment) -> str:
    """The address the printed waybill's QR code opens: the shipment's receipt page in the partner portal, on the
    site's public address (``SITE_URL``), whatever address the officer printed it from. The consignee's staff sign
    in first; anyone else finds no such shipment."""
    return settings.SITE_URL + reverse("shipments_portal:receive", args=[shipment.pk])


def receipt_qr_svg(shipment: Shipment, *, title: str) -> str:
    """``receipt_link`` as a QR code in inline SVG, drawn by the app (no image service, no style attributes);
    error correction "m" survives a crease or a smudge on a printed sheet."""
    return segno.make(receipt_link(shipment), error="m").svg_inline(
        scale=4, border=2, dark="#000", light="#fff", title=title, svgclass="waybill-qr-code"
    )
