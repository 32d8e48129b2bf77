"""The partner portal's shipment pages: a consignee sees the shipments addressed to them and confirms, item by
item and in as many goes as needed, what arrived; nothing of another organisation is ever shown or written."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.shipments.models import Receipt, ReceiptLine, ShipmentStatus
from tests.programs.shipments.factories import (
    add_item,
    arrived_shipment,
    confirm,
    days_ago,
    dispatched_shipment,
    draft_shipment,
    ready_shipment,
    today,
)

pytestmark = pytest.mark.django_db

S = ShipmentStatus


@pytest.fixture
def arrived(officer, partner_org, own_programme):
    """Arrived at the partner's organisation: 100 bags of rice and 40 tents, dispatched five days ago."""
    shipment = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme, items=0)
    add_item(shipment, officer, description="Rice, 25 kg bags", unit="bag", quantity=Decimal("100"))
    add_item(shipment, officer, description="Family tents", unit="piece", quantity=Decimal("40"))
    return arrived_shipment(shipment)


@pytest.fixture
def foreign(officer, other_org, foreign_programme):
    return arrived_shipment(draft_shipment(created_by=officer, consignee=other_org, programme=foreign_programme))


def _receive_url(shipment):
    return reverse("shipments_portal:receive", args=[shipment.pk])


def _payload(shipment, counts: dict, *, received_on=None, note=""):
    """The receive form as a browser posts it: ``counts`` maps an item's position among the items still to
    count to its (good, damaged, lost, reason) as typed."""
    items = [item for item in shipment.items.order_by("pk") if _remaining(item) > 0]
    data = {
        "received_on": (received_on or today()).isoformat(),
        "note": note,
        "lines-TOTAL_FORMS": str(len(items)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": str(len(items)),
    }
    for index, item in enumerate(items):
        good, damaged, lost, reason = counts.get(index, ("", "", "", ""))
        data |= {
            f"lines-{index}-item": str(item.pk),
            f"lines-{index}-good": good,
            f"lines-{index}-damaged": damaged,
            f"lines-{index}-lost": lost,
            f"lines-{index}-reason": reason,
        }
    return data


def _remaining(item):
    counted = sum((line.good + line.damaged + line.lost for line in item.receipt_lines.all()), Decimal(0))
    return item.quantity - counted


def _field_errors(response, index, field):
    return response.context["formset"].forms[index].errors.get(field, [])


# --- the list -----------------------------------------------------------------------------------------------------


def test_list_shows_only_my_organisations_shipments_and_not_drafts(
    client, officer, partner_user, partner_org, own_programme, arrived, foreign
):
    draft = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme)
    ready = ready_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme))
    client.force_login(partner_user)

    response = client.get(reverse("shipments_portal:list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert arrived.waybill in html and ready.waybill in html
    assert draft.waybill not in html
    assert foreign.waybill not in html
    assert reverse("shipments_portal:detail", args=[arrived.pk]) in html


def test_list_says_when_nothing_is_addressed_to_us(client, other_partner_user, arrived):
    client.force_login(other_partner_user)
    response = client.get(reverse("shipments_portal:list"))
    assert response.status_code == 200
    assert "No shipments are addressed to your organisation yet." in response.content.decode()


def test_list_shows_how_late_a_shipment_is(client, officer, partner_user, partner_org, own_programme):
    late = dispatched_shipment(
        draft_shipment(
            created_by=officer,
            consignee=partner_org,
            programme=own_programme,
            planned_dispatch=days_ago(20),
            expected_arrival=days_ago(3),
        ),
        dispatched_on=days_ago(15),
    )
    client.force_login(partner_user)
    html = client.get(reverse("shipments_portal:list")).content.decode()
    assert late.waybill in html
    assert "3 days late" in html


@pytest.mark.parametrize("user_fixture", ["officer", "manager", "auditor", "admin_user"])
def test_staff_cannot_use_the_portal_pages(client, request, user_fixture, arrived):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse("shipments_portal:list")).status_code == 403
    assert client.get(reverse("shipments_portal:detail", args=[arrived.pk])).status_code == 403
    assert client.get(_receive_url(arrived)).status_code == 403
    assert client.post(_receive_url(arrived), _payload(arrived, {0: ("100", "", "", "")})).status_code == 403
    assert not Receipt.objects.exists()


def test_anonymous_is_sent_to_login(client, arrived):
    response = client.get(reverse("shipments_portal:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account:login"))


# --- the detail page ----------------------------------------------------------------------------------------------


def test_detail_shows_the_header_items_timeline_and_earlier_receipts(client, partner_user, arrived):
    rice, tents = arrived.items.order_by("pk")
    confirm(arrived, partner_user, {rice: (60, 5, 0)}, reason="Bags torn")
    client.force_login(partner_user)

    response = client.get(reverse("shipments_portal:detail", args=[arrived.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert arrived.waybill in html
    assert "Partially received" in html
    assert "Pacific Lines" in html
    assert "Dili" in html
    # Rice: 100 sent, 65 counted, 35 still to count; tents untouched.
    items = {item.description: item for item in response.context["items"]}
    assert (items["Rice, 25 kg bags"].accounted, items["Rice, 25 kg bags"].remaining) == (65, 35)
    assert items["Family tents"].remaining == 40
    assert '<td class="num" data-label="Still to count"><strong>35</strong></td>' in html
    assert '<td class="num" data-label="Counted so far">65</td>' in html
    # The timeline, oldest first, ends with the receipt.
    statuses = [event.status_after for event in response.context["events"] if event.status_after]
    assert {S.DISPATCHED, S.ARRIVED} <= set(statuses) and statuses[-1] == S.PARTIALLY_RECEIVED
    assert "Arrived" in html.split('id="timeline"', 1)[1]
    assert "Bags torn" in html
    assert _receive_url(arrived) in html


def test_detail_shows_days_late(client, officer, partner_user, partner_org, own_programme):
    late = dispatched_shipment(
        draft_shipment(
            created_by=officer,
            consignee=partner_org,
            programme=own_programme,
            planned_dispatch=days_ago(20),
            expected_arrival=days_ago(1),
        ),
        dispatched_on=days_ago(15),
    )
    client.force_login(partner_user)
    html = client.get(reverse("shipments_portal:detail", args=[late.pk])).content.decode()
    assert '<strong id="days-late">1 day late</strong>' in html


def test_another_organisations_shipment_is_404(client, partner_user, foreign):
    client.force_login(partner_user)
    assert client.get(reverse("shipments_portal:detail", args=[foreign.pk])).status_code == 404
    assert client.get(_receive_url(foreign)).status_code == 404
    response = client.post(_receive_url(foreign), _payload(foreign, {0: ("100", "", "", "")}))
    assert response.status_code == 404
    assert not Receipt.objects.exists()
    foreign.refresh_from_db()
    assert foreign.status == S.ARRIVED


def test_a_draft_addressed_to_us_is_404(client, officer, partner_user, partner_org, own_programme):
    draft = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme)
    client.force_login(partner_user)
    assert client.get(reverse("shipments_portal:detail", args=[draft.pk])).status_code == 404
    assert client.get(_receive_url(draft)).status_code == 404


# --- confirming receipt -------------------------------------------------------------------------------------------


def test_the_receive_page_has_one_block_per_item_to_count_for_a_phone(client, partner_user, arrived):
    client.force_login(partner_user)

    response = client.get(_receive_url(arrived))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<fieldset class="receipt-item') == 2
    assert "<legend>Rice, 25 kg bags</legend>" in html and "<legend>Family tents</legend>" in html
    assert html.count('inputmode="decimal"') == 6
    assert f'value="{today().isoformat()}"' in html  # the date received defaults to today
    assert 'name="lines-0-reason"' in html


def test_receipt_in_two_goes_partial_then_complete(client, partner_user, arrived):
    client.force_login(partner_user)

    # First go: the rice is counted (some damaged), the tents not yet.
    response = client.post(_receive_url(arrived), _payload(arrived, {0: ("90", "10", "", "Wet in the hold")}))

    assert response.status_code == 302
    assert response.url == reverse("shipments_portal:detail", args=[arrived.pk])
    arrived.refresh_from_db()
    assert arrived.status == S.PARTIALLY_RECEIVED
    line = ReceiptLine.objects.get()
    assert (line.good, line.damaged, line.lost, line.reason) == (90, 10, 0, "Wet in the hold")
    page = client.get(response.url).content.decode()
    assert "One item is still to be counted — Family tents: 40 piece." in page

    # Second go: only the tents are left on the form.
    response = client.get(_receive_url(arrived))
    assert [form.shipment_item.description for form in response.context["formset"]] == ["Family tents"]
    response = client.post(_receive_url(arrived), _payload(arrived, {0: ("38", "", "2", "Stolen at the port")}))

    assert response.status_code == 302
    arrived.refresh_from_db()
    assert arrived.status == S.RECEIVED
    assert Receipt.objects.filter(shipment=arrived).count() == 2
    page = client.get(response.url).content.decode()
    assert "every item of shipment" in page and "the shipment is received" in page

    # Nothing left: the page says so and shows no form.
    response = client.get(_receive_url(arrived))
    assert response.status_code == 200
    assert "there is nothing left to count" in response.content.decode()
    assert '<form method="post" class="receipt-form"' not in response.content.decode()


def test_decimal_quantities_in_either_language(client, officer, partner_user, partner_org, own_programme):
    shipment = draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme, items=0)
    add_item(shipment, officer, description="Chlorine", unit="litre", quantity=Decimal("12.5"))
    arrived_shipment(shipment)
    client.force_login(partner_user)

    response = client.post(
        _receive_url(shipment), _payload(shipment, {0: ("12,25", "0,25", "", "Leaking")}), HTTP_ACCEPT_LANGUAGE="id"
    )

    assert response.status_code == 302
    line = ReceiptLine.objects.get()
    assert (line.good, line.damaged) == (Decimal("12.25"), Decimal("0.25"))


def test_more_than_remaining_is_refused_on_that_item_and_nothing_is_saved(client, partner_user, arrived):
    rice = arrived.items.order_by("pk").first()
    confirm(arrived, partner_user, {rice: (50, 0, 0)})
    client.force_login(partner_user)

    # 50 bags of rice are left; 45 + 5 + 1 is one too many. The tents line is fine but is not saved either.
    response = client.post(
        _receive_url(arrived), _payload(arrived, {0: ("45", "5", "1", "Torn"), 1: ("40", "", "", "")})
    )

    assert response.status_code == 200
    [error] = _field_errors(response, 0, "good")
    assert "add up to 51, but only 50 bag are still to be accounted for" in error
    assert _field_errors(response, 1, "good") == []
    assert "add up to 51" in response.content.decode()
    assert ReceiptLine.objects.count() == 1
    arrived.refresh_from_db()
    assert arrived.status == S.PARTIALLY_RECEIVED


def test_damaged_without_a_reason_is_refused_on_the_reason(client, partner_user, arrived):
    client.force_login(partner_user)

    response = client.post(_receive_url(arrived), _payload(arrived, {1: ("30", "10", "", "")}))

    assert response.status_code == 200
    assert _field_errors(response, 1, "reason") == ["Give a reason for anything damaged or lost."]
    assert 'id="field-lines-1-reason"' in response.content.decode()
    assert not Receipt.objects.exists()


def test_a_date_before_the_dispatch_is_refused_on_the_date(client, partner_user, arrived):
    client.force_login(partner_user)

    response = client.post(_receive_url(arrived), _payload(arrived, {0: ("100", "", "", "")}, received_on=days_ago(6)))

    assert response.status_code == 200
    [error] = response.context["form"].errors["received_on"]
    assert error.startswith("The goods cannot be received before they were dispatched")
    assert not Receipt.objects.exists()


def test_a_date_in_the_future_is_refused(client, partner_user, arrived):
    client.force_login(partner_user)
    tomorrow = today() + datetime.timedelta(days=1)

    response = client.post(_receive_url(arrived), _payload(arrived, {0: ("100", "", "", "")}, received_on=tomorrow))

    assert response.status_code == 200
    assert response.context["form"].errors["received_on"] == ["This date is in the future."]
    assert not Receipt.objects.exists()


@pytest.mark.parametrize(
    ("typed", "message"),
    [("many", "Enter a number."), ("-3", "greater than or equal to 0"), ("1.2345", "3 decimal places")],
)
def test_input_that_is_not_a_quantity_is_a_field_error(client, partner_user, arrived, typed, message):
    client.force_login(partner_user)

    response = client.post(_receive_url(arrived), _payload(arrived, {0: ("90", typed, "", "Torn")}))

    assert response.status_code == 200
    [error] = _field_errors(response, 0, "damaged")
    assert message in error
    assert not Receipt.objects.exists()


def test_a_bad_date_or_a_broken_form_is_an_error_not_a_crash(client, partner_user, arrived):
    client.force_login(partner_user)

    not_a_date = _payload(arrived, {0: ("1", "", "", "")}) | {"received_on": "yesterday"}
    response = client.post(_receive_url(arrived), not_a_date)
    assert response.status_code == 200
    assert "received_on" in response.context["form"].errors

    broken = _payload(arrived, {0: ("1", "", "", "")}) | {"lines-TOTAL_FORMS": "many", "lines-99-good": "5"}
    response = client.post(_receive_url(arrived), broken)
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors()

    swapped = _payload(arrived, {0: ("1", "", "", "")}) | {"lines-0-item": "999999"}
    response = client.post(_receive_url(arrived), swapped)
    assert response.status_code == 200
    assert "The items still to count have changed" in response.content.decode()
    assert not Receipt.objects.exists()


def test_counting_nothing_is_refused(client, partner_user, arrived):
    client.force_login(partner_user)

    response = client.post(_receive_url(arrived), _payload(arrived, {}))

    assert response.status_code == 200
    assert "Count at least one item" in response.content.decode()
    assert not Receipt.objects.exists()


def test_a_shipment_not_yet_dispatched_cannot_be_received(client, officer, partner_user, partner_org, own_programme):
    ready = ready_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme))
    client.force_login(partner_user)

    response = client.get(_receive_url(ready))
    assert response.status_code == 200
    assert "has not been dispatched yet" in response.content.decode()
    assert "formset" not in response.context

    response = client.post(_receive_url(ready), {"received_on": today().isoformat()})
    assert response.status_code == 200
    assert not Receipt.objects.exists()
    detail = client.get(reverse("shipments_portal:detail", args=[ready.pk])).content.decode()
    assert _receive_url(ready) not in detail


# --- query counts -------------------------------------------------------------------------------------------------


def _shipments_to(partner_user, partner_org, programme, officer, count):
    """``count`` shipments with two items each, partly counted with a discrepancy."""
    for _ in range(count):
        shipment = arrived_shipment(
            draft_shipment(created_by=officer, consignee=partner_org, programme=programme, items=2)
        )
        confirm(shipment, partner_user, {shipment.items.first(): (3, 1, 0)})


def test_list_query_count_is_flat(client, officer, partner_user, partner_org, own_programme):
    client.force_login(partner_user)
    _shipments_to(partner_user, partner_org, own_programme, officer, 2)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(reverse("shipments_portal:list")).context["shipments"]) == 2
    _shipments_to(partner_user, partner_org, own_programme, officer, 8)
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(reverse("shipments_portal:list")).context["shipments"]) == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_detail_query_count_is_flat(client, officer, partner_user, partner_org, own_programme):
    small = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme))
    confirm(small, partner_user, {small.items.get(): (1, 0, 0)})
    large = arrived_shipment(
        draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme, items=12)
    )
    for item in large.items.all():
        confirm(large, partner_user, {item: (2, 1, 1)})
    client.force_login(partner_user)

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("shipments_portal:detail", args=[small.pk]))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("shipments_portal:detail", args=[large.pk]))

    assert len(response.context["items"]) == 12
    assert len(response.context["receipts"]) == 12
    assert len(many.captured_queries) == len(few.captured_queries)


def test_portal_home_counts_the_shipments_on_their_way(
    client, officer, partner_user, partner_org, own_programme, arrived
):
    dispatched_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme))
    received = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=own_programme))
    confirm(received, partner_user, {received.items.get(): (100, 0, 0)})
    client.force_login(partner_user)

    html = client.get(reverse("portal:home")).content.decode()

    assert '<span id="shipments-coming">2 shipments on their way to you or waiting to be counted</span>' in html
    assert reverse("shipments_portal:list") in html
