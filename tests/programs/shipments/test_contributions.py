"""What shipments add to "waiting for me", the search box and the budgets' actuals: each user sees only what
they may act on or see, and the money is the packing-list value on its own date, per currency."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cooperation.inbox import waiting_for
from cooperation.money_flows import flows
from cooperation.roles import Role
from cooperation.search import search
from programs.shipments import services
from programs.shipments.inbox import dispatch_approvals
from programs.shipments.models import Shipment, ShipmentStatus
from tests.factories import OrganisationFactory, UserFactory, currency
from tests.programs.shipments.factories import (
    add_item,
    approved_shipment,
    arrived_shipment,
    confirm,
    consignee_user,
    days_ago,
    dispatched_shipment,
    draft_shipment,
    ready_shipment,
)

pytestmark = pytest.mark.django_db


def _groups(user) -> dict:
    return {group.key: group for group in waiting_for(user)}


def test_a_manager_sees_the_dispatches_to_approve_that_someone_else_prepared(officer, manager, partner_org):
    prepared_by_officer = ready_shipment(draft_shipment(created_by=officer, consignee=partner_org))
    prepared_by_manager = ready_shipment(draft_shipment(created_by=manager, consignee=partner_org))
    approver = UserFactory(role=Role.MANAGER)
    approved_shipment(draft_shipment(created_by=officer, consignee=partner_org), approver=approver)
    draft_shipment(created_by=officer, consignee=partner_org)

    group = _groups(manager)["shipments.dispatch_approvals"]

    assert group.total == 1
    assert [item.title for item in group.items] == [f"{prepared_by_officer.waybill} · {partner_org}"]
    assert group.items[0].url == reverse("shipments:detail", args=[prepared_by_officer.pk])
    assert "1 item, prepared by officer" in group.items[0].detail
    other_manager = UserFactory(role=Role.MANAGER)
    assert _groups(other_manager)["shipments.dispatch_approvals"].total == 2
    shown = {item.title.split(" · ")[0] for item in dispatch_approvals(other_manager).items}
    assert shown == {prepared_by_officer.waybill, prepared_by_manager.waybill}
    assert "shipments.dispatch_approvals" not in _groups(officer)


def test_the_approval_totals_agree_with_the_guard(officer, manager, partner_org):
    for creator in (officer, manager, officer):
        ready_shipment(draft_shipment(created_by=creator, consignee=partner_org))
    approver = UserFactory(role=Role.MANAGER)
    approved_shipment(draft_shipment(created_by=officer, consignee=partner_org), approver=approver)

    group = dispatch_approvals(manager)

    may_approve = [
        shipment
        for shipment in Shipment.objects.all()
        if services.shipment_move_refusal(shipment, manager, "approve_dispatch") is None
    ]
    assert group.total == len(may_approve) == len(group.items) == 2
    assert {item.url for item in group.items} == {
        reverse("shipments:detail", args=[shipment.pk]) for shipment in may_approve
    }


def test_officers_see_the_receipts_of_the_last_30_days_that_found_damage(officer, auditor, manager, partner_org):
    counter = consignee_user(partner_org)
    recent = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org), approver=manager)
    confirm(recent, counter, {recent.items.get(): (90, 10, 0)}, received_on=days_ago(3))
    old = arrived_shipment(
        draft_shipment(
            created_by=officer, consignee=partner_org, planned_dispatch=days_ago(50), expected_arrival=days_ago(45)
        ),
        approver=manager,
        dispatched_on=days_ago(50),
        arrived_on=days_ago(45),
    )
    confirm(old, counter, {old.items.get(): (90, 0, 10)}, received_on=days_ago(40))
    clean = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org), approver=manager)
    confirm(clean, counter, {clean.items.get(): (100, 0, 0)})

    group = _groups(officer)["shipments.discrepancies"]

    assert group.total == 1
    assert [item.title for item in group.items] == [f"{recent.waybill} · {partner_org}"]
    assert group.items[0].since == days_ago(3)
    assert group.url == reverse("shipments:discrepancies")
    assert "shipments.discrepancies" not in _groups(auditor)
    assert "shipments.discrepancies" not in _groups(counter)


def test_the_consignee_sees_the_goods_arrived_to_count(officer, manager, partner_user, other_partner_user, partner_org):
    arrived = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org, items=2), approver=manager)
    partly = arrived_shipment(draft_shipment(created_by=officer, consignee=partner_org, items=2), approver=manager)
    confirm(partly, partner_user, {partly.items.order_by("pk").first(): (100, 0, 0)})
    dispatched_shipment(draft_shipment(created_by=officer, consignee=partner_org), approver=manager)

    group = _groups(partner_user)["shipments.receipts_to_count"]

    assert group.total == 2
    assert [item.url for item in group.items] == [
        reverse("shipments_portal:receive", args=[shipment.pk]) for shipment in (arrived, partly)
    ]
    assert all(services.receipt_refusal(shipment, partner_user) is None for shipment in (arrived, partly))
    assert "shipments.receipts_to_count" not in _groups(other_partner_user)
    assert "shipments.receipts_to_count" not in _groups(officer)


@pytest.fixture
def searchable(officer, partner_org, other_org):
    to_partner = draft_shipment(
        created_by=officer, consignee=partner_org, destination_place="Waingapu", carrier="Flores Ferries"
    )
    ready_shipment(to_partner)
    to_other = draft_shipment(created_by=officer, consignee=other_org, destination_place="Suva")
    return to_partner, to_other


def _hits(user, query) -> list[str]:
    return [hit.title for group in search(user, query) if group.key == "shipments.shipments" for hit in group.hits]


def test_staff_find_shipments_by_waybill_consignee_and_destination(officer, auditor, searchable, partner_org):
    to_partner, to_other = searchable
    assert _hits(officer, to_partner.waybill) == [f"{to_partner.waybill} · {partner_org}"]
    assert _hits(officer, to_partner.waybill.lower()) == [f"{to_partner.waybill} · {partner_org}"]
    assert _hits(officer, "Air Bersih") == [f"{to_partner.waybill} · {partner_org}"]
    assert _hits(officer, "waingapu") == [f"{to_partner.waybill} · {partner_org}"]
    assert _hits(auditor, "Suva") == [f"{to_other.waybill} · {to_other.consignee}"]
    assert _hits(officer, "Nowhere") == []
    (group,) = [group for group in search(officer, "Waingapu") if group.key == "shipments.shipments"]
    assert group.hits[0].url == reverse("shipments:detail", args=[to_partner.pk])
    assert group.label == "Shipments" and group.total == 1


def test_partner_users_find_no_shipment_in_the_staff_search(partner_user, searchable):
    to_partner, _to_other = searchable
    assert _hits(partner_user, to_partner.waybill) == []
    assert _hits(partner_user, "Waingapu") == []


def test_money_flows_are_the_goods_dispatched_and_the_dispatches_approved(officer, manager, partner_org):
    """By hand: A dispatched 5 days ago, 100 bags at USD 20 (USD 2,000) + 10 kits at EUR 12.35 (EUR 123.50);
    B dispatched the same day, 100 bags at USD 20 + 2.5 units at USD 3.33 (USD 8.325): USD 4,008.325 that day,
    USD 4,008.32 to the cent (banker's rounding); C approved today, not dispatched: USD 2,000 committed; D ready
    and not approved, E a draft: nothing. F, on another programme, is left out."""
    a = draft_shipment(created_by=officer, consignee=partner_org)
    programme = a.programme
    add_item(a, officer, quantity=Decimal(10), unit_value=Decimal("12.35"), currency=currency("EUR"))
    dispatched_shipment(a, approver=manager, dispatched_on=days_ago(5))
    b = draft_shipment(created_by=officer, consignee=partner_org, programme=programme, items=1)
    add_item(b, officer, quantity=Decimal("2.5"), unit_value=Decimal("3.33"))
    dispatched_shipment(b, approver=manager, dispatched_on=days_ago(5))
    approved_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=programme), approver=manager)
    ready_shipment(draft_shipment(created_by=officer, consignee=partner_org, programme=programme))
    draft_shipment(created_by=officer, consignee=partner_org, programme=programme)
    dispatched_shipment(draft_shipment(created_by=officer, consignee=OrganisationFactory()), approver=manager)

    rows = sorted(
        (flow.stage, flow.on, flow.currency, flow.amount, flow.category)
        for flow in flows([programme.pk])
        if flow.category == "in_kind"
    )

    approved_on = timezone.localdate()
    assert rows == [
        ("committed", approved_on, "USD", Decimal("2000.00"), "in_kind"),
        ("spent", days_ago(5), "EUR", Decimal("123.50"), "in_kind"),
        ("spent", days_ago(5), "USD", Decimal("4008.32"), "in_kind"),
    ]
    assert all(flow.programme_id == programme.pk for flow in flows([programme.pk]) if flow.category == "in_kind")
    everything = [flow for flow in flows(None) if flow.category == "in_kind" and flow.stage == "spent"]
    assert len(everything) == 3


def test_a_dispatched_shipment_is_no_longer_committed(officer, manager, partner_org):
    shipment = approved_shipment(draft_shipment(created_by=officer, consignee=partner_org), approver=manager)
    assert {flow.stage for flow in flows([shipment.programme_id])} == {"committed"}
    services.shipment_dispatch(shipment=shipment, dispatched_by=officer, dispatched_on=timezone.localdate())
    assert [(flow.stage, flow.amount) for flow in flows([shipment.programme_id])] == [("spent", Decimal("2000.00"))]
    assert Shipment.objects.get().status == ShipmentStatus.DISPATCHED
