"""The shipments sections of the programme page, the partner page and the partner portal's home: the figures a
reader sees match what was sent and counted, each status links to the list filtered to it, values stay per
currency, and each section costs the same queries for 10 shipments as for 200."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.shipments.models import ShipmentStatus
from tests.factories import OrganisationFactory, currency
from tests.programs.shipments.factories import (
    InKindProgrammeFactory,
    ReceiptLineFactory,
    ShipmentFactory,
    ShipmentItemFactory,
    add_item,
    arrived_shipment,
    confirm,
    consignee_user,
    days_ago,
    dispatched_shipment,
    draft_shipment,
    ready_shipment,
)

pytestmark = pytest.mark.django_db

S = ShipmentStatus


@pytest.fixture
def programme(db):
    return InKindProgrammeFactory(code="INK-001", title="Relief for Sumba")


@pytest.fixture
def scenario(officer, manager, programme, partner_org, other_org):
    """By hand: to the partner, one arrived (2 × 100 bags at USD 20 = USD 4,000 dispatched, 10 bags damaged on
    receipt: partially received), one dispatched with an item of EUR 5 × 10 (EUR 50) and one of USD 20 × 100
    (USD 2,000), one ready (USD 2,000, not dispatched). Sent by the partner (as donor) to the other
    organisation: one draft. Items on the programme's packing lists: 2 + 2 + 1 + 1 = 6."""
    received = arrived_shipment(
        draft_shipment(created_by=officer, consignee=partner_org, programme=programme, items=2), approver=manager
    )
    confirm(received, consignee_user(partner_org), {received.items.order_by("pk").first(): (90, 10, 0)})
    on_the_way = draft_shipment(created_by=officer, consignee=partner_org, programme=programme)
    add_item(on_the_way, officer, quantity=Decimal(10), unit_value=Decimal(5), currency=currency("EUR"))
    dispatched_shipment(on_the_way, approver=manager)
    ready_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=programme))
    draft_shipment(created_by=officer, consignee=other_org, programme=programme, donor=partner_org)
    return received


def test_the_programme_page_shows_shipments_by_status_and_values_per_currency(client, officer, programme, scenario):
    client.force_login(officer)

    response = client.get(reverse("programs:detail", args=[programme.pk]))

    html = response.content.decode()
    assert 'id="shipments-heading"' in html
    assert "4 shipments" in html
    list_url = reverse("shipments:list")
    assert f'href="{list_url}?programme={programme.pk}&amp;status=partially_received"' in html
    assert f'href="{list_url}?programme={programme.pk}&amp;status=draft"' in html
    panel = next(panel for template, panel in response.context["panels"] if template == "shipments/_programme_hub.html")
    counts = {entry.status: entry.count for entry in panel["figures"].by_status}
    assert counts == {"draft": 1, "ready": 1, "dispatched": 1, "partially_received": 1}
    assert [(value.currency.code, value.amount) for value in panel["figures"].dispatched_values] == [
        ("EUR", Decimal("50.00")),
        ("USD", Decimal("6000.00")),
    ]
    assert "EUR 50.00" in html and "USD 6,000.00" in html
    assert panel["figures"].item_count == 6
    assert '<dd id="shipments-items">6</dd>' in html
    assert "1 shipment with goods damaged or lost" in html
    assert f"{list_url}?programme={programme.pk}&amp;has_discrepancy=true" in html
    assert f'href="{reverse("shipments:create")}"' in html


def test_the_programme_panel_is_hidden_from_who_may_not_see_shipments_and_offers_no_new_one_to_the_auditor(
    client, auditor, programme, scenario
):
    client.force_login(auditor)
    html = client.get(reverse("programs:detail", args=[programme.pk])).content.decode()
    assert 'id="shipments-heading"' in html
    assert f'href="{reverse("shipments:create")}"' not in html


def test_a_programme_without_in_kind_cooperation_and_no_shipment_has_no_shipments_section(client, officer):
    programme = InKindProgrammeFactory(is_in_kind=False, is_technical=True)
    client.force_login(officer)
    html = client.get(reverse("programs:detail", args=[programme.pk])).content.decode()
    assert 'id="shipments-heading"' not in html


def test_the_partner_page_shows_what_it_sent_and_what_it_receives(client, officer, partner_org, scenario):
    client.force_login(officer)

    response = client.get(reverse("partners:detail", args=[partner_org.pk]))

    html = response.content.decode()
    panel = next(panel for template, panel in response.context["panels"] if template == "shipments/_partner_hub.html")
    received = {entry.status: entry.count for entry in panel["received"]["figures"].by_status}
    sent = {entry.status: entry.count for entry in panel["sent"]["figures"].by_status}
    assert received == {"ready": 1, "dispatched": 1, "partially_received": 1}
    assert sent == {"draft": 1}
    assert panel["received"]["figures"].with_discrepancies == 1
    assert panel["sent"]["figures"].with_discrepancies == 0
    list_url = reverse("shipments:list")
    assert f'href="{list_url}?consignee={partner_org.pk}"' in html
    assert f'href="{list_url}?sender={partner_org.pk}&amp;status=draft"' in html
    assert "Received (as consignee)" in html and "Sent (as donor or consignor)" in html


def test_the_sender_filter_lists_what_the_partner_sent(client, officer, partner_org, scenario):
    client.force_login(officer)
    response = client.get(reverse("shipments:list"), {"sender": partner_org.pk})
    assert [shipment.consignee.name for shipment in response.context["page_obj"]] == ["Pacific Relief Network"]


def test_the_portal_home_shows_the_partners_shipments_by_status(client, partner_user, other_partner_user, scenario):
    client.force_login(partner_user)

    html = client.get(reverse("portal:home")).content.decode()

    assert 'id="portal-shipments-statuses"' in html
    assert "Partially received" in html and "Dispatched" in html and "Ready (packing list locked)" in html
    assert "1 shipment arrived: record what you received" in html
    assert "1 shipment with goods damaged or lost" in html
    assert '<span id="shipments-coming">2 shipments on their way to you or waiting to be counted</span>' in html

    client.force_login(other_partner_user)
    html = client.get(reverse("portal:home")).content.decode()
    # The other organisation's one shipment is still a draft: nothing of it shows in its portal.
    assert 'id="portal-shipments-statuses"' not in html
    assert "Partially received" not in html


def _shipments(count: int, programme, consignee, sender) -> None:
    """``count`` shipments of every status to ``consignee`` and from ``sender``, with items and discrepancies."""
    statuses = list(ShipmentStatus)
    for number in range(count):
        status = statuses[number % len(statuses)]
        shipment = ShipmentFactory(
            programme=programme,
            consignee=consignee,
            donor=sender,
            consignor=sender,
            status=status,
            dispatched_on=days_ago(5) if status not in (S.DRAFT, S.READY, S.CANCELLED) else None,
        )
        item = ShipmentItemFactory(shipment=shipment, currency=currency("EUR" if number % 2 else "USD"))
        if status in (S.RECEIVED, S.PARTIALLY_RECEIVED):
            ReceiptLineFactory(receipt__shipment=shipment, item=item, good=90, damaged=10, reason="Wet")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["programme", "partner", "portal"])
def test_each_hub_costs_as_many_queries_for_200_shipments_as_for_10(client, officer, partner_user, partner_org, page):
    programme, other_programme = InKindProgrammeFactory(), InKindProgrammeFactory()
    sender = OrganisationFactory()
    _shipments(10, programme, partner_org, sender)
    user, url = {
        "programme": (officer, reverse("programs:detail", args=[programme.pk])),
        "partner": (officer, reverse("partners:detail", args=[partner_org.pk])),
        "portal": (partner_user, reverse("portal:home")),
    }[page]
    client.force_login(user)
    few = _queries(client, url)

    _shipments(190, programme, partner_org, sender)
    _shipments(10, other_programme, OrganisationFactory(), partner_org)
    many = _queries(client, url)

    assert many == few
