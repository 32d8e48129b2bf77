"""The printed waybill's QR code: it opens the shipment's receipt page in the partner portal, on the site's public
address, for the consignee's staff once signed in; anyone else finds no such shipment."""

import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import segno
from django.urls import reverse

from tests.programs.shipments.factories import add_item, arrived_shipment, dispatched_shipment, draft_shipment

pytestmark = pytest.mark.django_db

QR = re.compile(r"<svg[^>]*class=\"waybill-qr-code\".*?</svg>", re.S)


@pytest.fixture
def on_the_way(officer, partner_org, own_programme):
    shipment = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme, items=0)
    add_item(shipment, officer, description="Water purification tablets", unit="box", quantity=Decimal("60"))
    return dispatched_shipment(shipment)


def _waybill(client, user, shipment) -> str:
    client.force_login(user)
    response = client.get(reverse("shipments:waybill", args=[shipment.pk]))
    assert response.status_code == 200
    return response.content.decode()


def _modules(svg: str) -> list[str]:
    """The QR code's drawing (its paths: the light square and the dark modules), whatever its title."""
    return re.findall(r' d="([^"]+)"', svg)


def test_the_waybill_carries_a_qr_code_of_the_receipt_page_on_the_public_address(client, officer, on_the_way, settings):
    settings.SITE_URL = "https://kerjasama.example.org"

    html = _waybill(client, officer, on_the_way)

    link = f"https://kerjasama.example.org/portal/shipments/{on_the_way.pk}/receive/"
    assert urlsplit(link).path == reverse("shipments_portal:receive", args=[on_the_way.pk])
    [svg] = QR.findall(html)
    expected = segno.make(link, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")
    assert _modules(svg) == _modules(expected)
    assert link in html  # printed under the code for those who type it
    assert "style=" not in svg  # nothing the Content-Security-Policy refuses
    assert on_the_way.waybill in svg  # its title names the waybill


def test_a_draft_waybill_has_no_qr_code(client, officer, partner_org, own_programme):
    draft = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme)

    html = _waybill(client, officer, draft)

    assert QR.findall(html) == []
    assert "Draft — the packing list may still change" in html


def test_the_code_leads_the_consignee_through_sign_in_to_the_receipt_form(
    client, partner_user, officer, partner_org, own_programme
):
    shipment = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme, items=0)
    add_item(shipment, officer, description="Water purification tablets", unit="box", quantity=Decimal("60"))
    arrived = arrived_shipment(shipment)
    path = reverse("shipments_portal:receive", args=[arrived.pk])

    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login")) and "next=" in response["Location"]

    client.force_login(partner_user)
    page = client.get(path)
    assert page.status_code == 200
    assert "Water purification tablets" in page.content.decode()


def test_another_organisations_staff_scanning_it_find_nothing(client, other_partner_user, on_the_way):
    client.force_login(other_partner_user)

    response = client.get(reverse("shipments_portal:receive", args=[on_the_way.pk]))

    assert response.status_code == 404
    assert "Water purification tablets" not in response.content.decode()


def test_the_waybill_in_bahasa_indonesia_explains_the_code(client, officer, on_the_way):
    client.force_login(officer)

    html = client.get(reverse("shipments:waybill", args=[on_the_way.pk]), HTTP_ACCEPT_LANGUAGE="id").content.decode()

    assert "Penerima" in html and "pindai" in html
