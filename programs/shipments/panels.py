"""What this module shows on other pages, registered in ``apps.py``: the shipments of a programme, of a partner,
and of the partner user's own organisation on the portal's home."""

from django.urls import reverse
from django.utils.http import urlencode

from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.shipments.models import ShipmentStatus
from programs.shipments.selectors import partner_shipment_figures, programme_shipment_figures
from programs.shipments.templatetags.shipments_portal import COMING


def _list_url(name: str, **filters) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(filters)}" if filters else url


def _with_links(figures, name: str, **filters) -> dict:
    """``figures`` with the list filtered to them, to each status, and to those with discrepancies."""
    return {
        "figures": figures,
        "url": _list_url(name, **filters),
        "statuses": [(entry, _list_url(name, **filters, status=entry.status)) for entry in figures.by_status],
        "discrepancies_url": _list_url(name, **filters, has_discrepancy="true"),
    }


def programme_hub(request, programme) -> dict | None:
    """The programme page's Shipments section; None for those who may not see shipments, and on a programme
    without in-kind cooperation that never had a shipment."""
    user = request.user
    if not user.has_perm(Perm.VIEW_SHIPMENT):
        return None
    figures = programme_shipment_figures(user=user, programme=programme)
    if not figures.total and not programme.is_in_kind:
        return None
    return {
        "programme": programme,
        **_with_links(figures, "shipments:list", programme=programme.pk),
        "can_add": user.has_perm(Perm.ADD_SHIPMENT) and programme.is_in_kind,
        "new_url": reverse("shipments:create"),
    }


def partner_hub(request, organisation) -> dict | None:
    """The partner page's Shipments section: what it sent (as donor or consignor) and what it receives."""
    user = request.user
    if not user.has_perm(Perm.VIEW_SHIPMENT):
        return None
    figures = partner_shipment_figures(user=user, organisation_ids=[organisation.pk])
    return {
        "organisation": organisation,
        "sent": _with_links(figures.sent, "shipments:list", sender=organisation.pk),
        "received": _with_links(figures.received, "shipments:list", consignee=organisation.pk),
        "can_add": user.has_perm(Perm.ADD_SHIPMENT),
        "new_url": reverse("shipments:create"),
    }


def portal_home(request, record=None) -> dict | None:
    """The partner portal's home: the shipments to the user's organisation, by status and with discrepancies,
    and how many are on their way or waiting to be counted."""
    user = request.user
    if not user.has_perm(Perm.VIEW_SHIPMENT):
        return {"received": None, "coming": 0}
    received = partner_shipment_figures(user=user, organisation_ids=user_organisation_ids(user)).received
    coming = sum(entry.count for entry in received.by_status if entry.status in {status.value for status in COMING})
    return {
        "received": received,
        "coming": coming,
        "to_count": sum(
            entry.count
            for entry in received.by_status
            if entry.status in (ShipmentStatus.ARRIVED, ShipmentStatus.PARTIALLY_RECEIVED)
        ),
    }
