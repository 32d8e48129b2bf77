"""Shipments in the one search box: by waybill (WB-…), consignee, destination, carrier, for staff only."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cooperation.roles import Perm
from cooperation.search import SearchGroup, SearchHit, group, matching
from programs.shipments import selectors


def search(user, query: str) -> list[SearchGroup]:
    if not user.has_perm(Perm.ACCESS_WORKSPACE):
        return []
    shipments = matching(
        selectors.shipment_list(user=user),
        query,
        text=("consignee__name", "destination_place", "destination_country__name", "carrier"),
        codes=("waybill", "transport_reference"),
    ).order_by("-created_at", "-pk")
    return [
        group(
            "shipments.shipments",
            _("Shipments"),
            shipments,
            lambda shipment: SearchHit(
                title=f"{shipment.waybill} · {shipment.consignee}",
                url=reverse("shipments:detail", args=[shipment.pk]),
                detail=f"{shipment.destination_place}, {shipment.destination_country} · "
                f"{shipment.get_status_display()}",
            ),
        )
    ]
