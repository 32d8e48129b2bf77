"""Who sees which shipment, the totals derived from the packing list, discrepancies, delays and the dashboard."""

from decimal import Decimal

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from cooperation.roles import Role
from programs.shipments import selectors
from programs.shipments.models import ShipmentStatus
from tests.factories import OrganisationFactory, UserFactory, country, currency
from tests.programs.shipments.factories import (
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
)

pytestmark = pytest.mark.django_db

D = Decimal
S = ShipmentStatus


# --- who sees what ------------------------------------------------------------------------------------------------


@pytest.fixture
def ours(partner_org):
    return ShipmentFactory(consignee=partner_org, status=S.READY)


@pytest.fixture
def theirs(other_org):
    return ShipmentFactory(consignee=other_org, status=S.READY)


def test_a_partner_user_sees_only_the_shipments_addressed_to_their_organisation(partner_user, ours, theirs):
    assert list(selectors.shipment_list(user=partner_user)) == [ours]
    assert selectors.shipment_get(user=partner_user, pk=ours.pk) == ours
    with pytest.raises(Http404):
        selectors.shipment_get(user=partner_user, pk=theirs.pk)


def test_the_consignee_does_not_see_a_draft_until_its_packing_list_is_ready(partner_user, partner_org, officer):
    draft = ShipmentFactory(consignee=partner_org)
    with pytest.raises(Http404):
        selectors.shipment_get(user=partner_user, pk=draft.pk)
    assert selectors.shipment_get(user=officer, pk=draft.pk) == draft
    draft.status = S.READY
    draft.save(update_fields=["status"])
    assert selectors.shipment_get(user=partner_user, pk=draft.pk) == draft


def test_another_partners_items_events_and_receipts_read_as_nothing(partner_user, theirs):
    ShipmentItemFactory(shipment=theirs)
    assert not selectors.shipment_items(user=partner_user, shipment=theirs).exists()
    assert not selectors.shipment_events(user=partner_user, shipment=theirs).exists()
    assert not selectors.shipment_receipts(user=partner_user, shipment=theirs).exists()


def test_a_partner_sees_no_discrepancy_of_another_organisation(partner_user, other_partner_user, theirs):
    line = ReceiptLineFactory(receipt__shipment=theirs, good=D(1), damaged=D(2), reason="Wet")
    assert list(selectors.discrepancy_list(user=partner_user)) == []
    assert list(selectors.discrepancy_list(user=other_partner_user)) == [line]


@pytest.mark.parametrize("role", [Role.OFFICER, Role.MANAGER, Role.AUDITOR])
def test_staff_see_every_shipment(role, ours, theirs):
    user = UserFactory(role=role)
    assert set(selectors.shipment_list(user=user)) == {ours, theirs}


def test_a_user_without_a_role_or_a_partner_without_membership_sees_nothing(ours):
    assert not selectors.shipment_list(user=UserFactory()).exists()
    assert not selectors.shipment_list(user=UserFactory(role=Role.PARTNER)).exists()


# --- totals -------------------------------------------------------------------------------------------------------


def test_totals_give_the_weight_and_a_value_per_currency_never_mixed(officer):
    shipment = draft_shipment(created_by=officer, items=0)
    add_item(shipment, officer, quantity=D("100"), unit_weight_kg=D("25"), unit_value=D("20.00"))
    add_item(shipment, officer, quantity=D("2.5"), unit_weight_kg=D("1000"), unit_value=D("1.10"))
    add_item(
        shipment,
        officer,
        quantity=D("10"),
        unit_weight_kg=D("0.5"),
        unit_value=D("150000"),
        currency=currency("IDR"),
    )
    totals = selectors.shipment_totals(shipment=shipment)
    assert totals.weight_kg == D("5005.000")
    assert [(entry.currency.code, entry.amount) for entry in totals.values] == [
        ("IDR", D("1500000.00")),
        ("USD", D("2002.75")),
    ]
    assert totals.item_count == 3


def test_items_show_what_was_counted_and_what_remains(officer):
    consignee = OrganisationFactory()
    receiver = consignee_user(consignee)
    shipment = arrived_shipment(draft_shipment(created_by=officer, consignee=consignee, items=2))
    first, second = shipment.items.order_by("pk")
    confirm(shipment, receiver, {first: (90, 6, 4)})
    rows = list(selectors.shipment_items(user=officer, shipment=shipment))
    assert [(r.good, r.damaged, r.lost, r.remaining) for r in rows] == [(90, 6, 4, 0), (0, 0, 0, 100)]
    assert rows[0].total_value == D("2000.00") and rows[0].total_weight_kg == D("2500")


def test_discrepancies_list_damaged_and_lost_with_the_value_at_stake(officer):
    consignee = OrganisationFactory()
    receiver = consignee_user(consignee)
    shipment = arrived_shipment(draft_shipment(created_by=officer, consignee=consignee, items=2))
    first, second = shipment.items.order_by("pk")
    confirm(shipment, receiver, {first: (100, 0, 0), second: (95, 3, 2)})
    (line,) = selectors.discrepancy_list(user=officer)
    assert (line.item, line.not_good, line.value_at_stake) == (second, D(5), D("100.00"))
    assert selectors.shipment_get(user=officer, pk=shipment.pk).has_discrepancy


# --- delays -------------------------------------------------------------------------------------------------------


def test_delayed_means_past_the_expected_arrival_and_not_arrived(officer):
    late = ShipmentFactory(status=S.IN_TRANSIT, dispatched_on=days_ago(20), expected_arrival=days_ago(2))
    ShipmentFactory(status=S.DISPATCHED, dispatched_on=days_ago(20), expected_arrival=days_ago(0))  # due today
    ShipmentFactory(status=S.ARRIVED, dispatched_on=days_ago(20), arrived_on=days_ago(1), expected_arrival=days_ago(5))
    ShipmentFactory(status=S.READY, planned_dispatch=days_ago(20), expected_arrival=days_ago(5))  # not left yet
    assert list(selectors.delayed_shipments(user=officer)) == [late]
    assert selectors.days_late(late) == 2
    assert selectors.shipment_get(user=officer, pk=late.pk).is_delayed


# --- dashboard ----------------------------------------------------------------------------------------------------


def test_the_dashboard_numbers(manager):
    officer = UserFactory(role=Role.OFFICER)
    consignee = OrganisationFactory()
    receiver = consignee_user(consignee)
    # Delivered to Timor-Leste, on time, with 10 of 200 units damaged or lost.
    delivered = arrived_shipment(
        draft_shipment(created_by=officer, consignee=consignee, items=2, expected_arrival=days_ago(-3)),
    )
    first, second = delivered.items.order_by("pk")
    confirm(delivered, receiver, {first: (100, 0, 0), second: (90, 5, 5)})
    # Delivered late to the Philippines.
    late = draft_shipment(
        created_by=officer,
        consignee=consignee,
        destination_country=country("PH"),
        planned_dispatch=days_ago(30),
        expected_arrival=days_ago(20),
    )
    arrived_shipment(late, dispatched_on=days_ago(25), arrived_on=days_ago(2))
    confirm(late, receiver, {late.items.get(): (100, 0, 0)})
    # On its way (delayed) and a draft.
    on_the_way = dispatched_shipment(
        draft_shipment(created_by=officer, planned_dispatch=days_ago(30), expected_arrival=days_ago(3)),
        dispatched_on=days_ago(10),
    )
    draft_shipment(created_by=officer)

    dashboard = selectors.shipment_dashboard(user=manager)
    assert dashboard.by_status[S.RECEIVED] == 2 and dashboard.by_status[S.DRAFT] == 1
    assert dashboard.by_status[S.DISPATCHED] == 1
    assert dashboard.in_transit_count == 1
    assert [(v.currency.code, v.amount) for v in dashboard.in_transit_value] == [("USD", D("2000.00"))]
    assert sorted((e.country.code, e.amount) for e in dashboard.delivered_by_country) == [
        ("PH", D("2000.00")),
        ("TL", D("3800.00")),
    ]
    (rate,) = dashboard.discrepancy_rates
    assert (rate.sent, rate.not_good, rate.percent) == (D("6000.00"), D("200.00"), D("3.33"))
    assert (dashboard.arrived_count, dashboard.on_time_count, dashboard.on_time_rate) == (2, 1, D("50.00"))
    assert dashboard.delayed_count == 1
    assert on_the_way.status == S.DISPATCHED


def test_a_partners_dashboard_counts_only_their_shipments(partner_user, ours, theirs):
    assert sum(selectors.shipment_dashboard(user=partner_user).by_status.values()) == 1


# --- query counts -------------------------------------------------------------------------------------------------


def _make_shipments(count: int) -> None:
    for index in range(count):
        status = [S.DISPATCHED, S.RECEIVED, S.PARTIALLY_RECEIVED, S.ARRIVED][index % 4]
        shipment = ShipmentFactory(
            status=status,
            dispatched_on=days_ago(20),
            arrived_on=None if status == S.DISPATCHED else days_ago(1),
            expected_arrival=days_ago(index % 3),
        )
        item = ShipmentItemFactory(shipment=shipment)
        ShipmentItemFactory(shipment=shipment, currency=currency("EUR"))
        if status in (S.RECEIVED, S.PARTIALLY_RECEIVED):
            ReceiptLineFactory(receipt__shipment=shipment, item=item, good=D(90), damaged=D(10), reason="Wet")


def _queries(work) -> int:
    with CaptureQueriesContext(connection) as captured:
        work()
    return len(captured.captured_queries)


def _read_everything(user) -> list:
    """What the list, discrepancy and dashboard pages show."""
    seen = [
        (s.consignee.name, s.destination_country.name, s.programme.code, s.item_count, s.total_weight_kg)
        for s in selectors.shipment_list(user=user)
    ]
    seen += [
        (line.item.currency.code, line.receipt.shipment.consignee.name, line.value_at_stake)
        for line in selectors.discrepancy_list(user=user)
    ]
    seen += list(selectors.delayed_shipments(user=user))
    seen.append(selectors.shipment_dashboard(user=user))
    return seen


def test_lists_and_the_dashboard_cost_the_same_queries_for_few_or_many_shipments(manager):
    _read_everything(manager)  # warm the permission cache
    _make_shipments(4)
    few = _queries(lambda: _read_everything(manager))
    _make_shipments(24)
    assert _queries(lambda: _read_everything(manager)) == few
