"""Each shipment's value per currency, which the managers' dashboard sums: after every change to the items or the
receipts it equals what the items and receipt lines give, the dashboard shows the new figures, a rebuild repairs a
wrong value, and keeping it costs the same queries however many shipments there are."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from programs.shipments import services
from programs.shipments.models import ReceiptLine, ShipmentValue
from programs.shipments.selectors import shipment_dashboard
from programs.shipments.values import rebuild, refresh_shipment_values
from tests.factories import country, currency
from tests.programs.shipments.factories import (
    ShipmentFactory,
    ShipmentItemFactory,
    add_item,
    arrived_shipment,
    confirm,
    consignee_user,
    dispatched_shipment,
    draft_shipment,
)

pytestmark = pytest.mark.django_db


def live(shipment) -> dict[str, tuple]:
    """(sent, good, not good) per currency, worked out item by item and line by line."""
    values: dict[str, list] = {}
    for item in shipment.items.all():
        row = values.setdefault(item.currency_id, [Decimal(0), None, None])
        row[0] += item.quantity * item.unit_value
    for line in ReceiptLine.objects.filter(receipt__shipment=shipment).select_related("item"):
        row = values[line.item.currency_id]
        row[1] = (row[1] or Decimal(0)) + line.good * line.item.unit_value
        row[2] = (row[2] or Decimal(0)) + (line.damaged + line.lost) * line.item.unit_value
    return {code: tuple(row) for code, row in values.items()}


def kept(shipment) -> dict[str, tuple]:
    return {
        row.currency_id: (row.sent, row.good, row.not_good) for row in ShipmentValue.objects.filter(shipment=shipment)
    }


def amounts(rows) -> dict[str, Decimal]:
    return {row.currency.code: row.amount for row in rows}


def test_items_added_edited_and_removed_move_the_value_and_the_dashboard_follows(officer, manager):
    shipment = draft_shipment(created_by=officer, items=0)
    rice = add_item(shipment, officer, quantity=Decimal("12.5"), unit_value=Decimal("19.99"))
    assert kept(shipment) == live(shipment) == {"USD": (Decimal("249.875"), None, None)}

    tents = add_item(shipment, officer, quantity=Decimal("3"), unit_value=Decimal("150000"), currency=currency("IDR"))
    spare = add_item(shipment, officer, quantity=Decimal("4"), unit_value=Decimal("10.00"))
    assert kept(shipment) == live(shipment)
    assert kept(shipment)["USD"][0] == Decimal("289.875")

    services.item_update(item=rice, updated_by=officer, quantity=Decimal("20"))
    services.item_update(item=tents, updated_by=officer, currency=currency("EUR"), unit_value=Decimal("90.00"))
    assert (
        kept(shipment)
        == live(shipment)
        == {
            "USD": (Decimal("439.80"), None, None),
            "EUR": (Decimal("270.00"), None, None),
        }
    )

    services.item_remove(item=spare, removed_by=officer)
    assert (
        kept(shipment)
        == live(shipment)
        == {
            "USD": (Decimal("399.80"), None, None),
            "EUR": (Decimal("270.00"), None, None),
        }
    )

    dispatched_shipment(shipment)
    figures = shipment_dashboard(user=manager)
    assert amounts(figures.in_transit_value) == {"EUR": Decimal("270.00"), "USD": Decimal("399.80")}


def test_the_packing_list_saved_in_one_go_moves_the_value(officer):
    shipment = draft_shipment(created_by=officer, items=2)
    first, second = shipment.items.order_by("pk")
    lines = [
        services.PackingListLine(item=first, values={"unit_value": Decimal("25.00")}),
        services.PackingListLine(item=second, values={}, remove=True),
        services.PackingListLine(
            item=None,
            values={
                "category": "food",
                "description": "Biscuits",
                "unit": "carton",
                "quantity": Decimal("7"),
                "currency": currency("JPY"),
                "unit_value": Decimal("300"),
            },
        ),
    ]
    services.packing_list_save(saved_by=officer, shipment=shipment, values={}, lines=lines)
    assert (
        kept(shipment)
        == live(shipment)
        == {
            "USD": (Decimal("2500.00"), None, None),
            "JPY": (Decimal("2100"), None, None),
        }
    )


def test_receipts_move_what_arrived_good_and_not_good_and_the_dashboard_follows(officer, manager):
    shipment = draft_shipment(created_by=officer, items=1, destination_country=country("ID"))
    add_item(shipment, officer, quantity=Decimal("10"), unit_value=Decimal("50000"), currency=currency("IDR"))
    shipment = arrived_shipment(shipment)
    rice, generators = shipment.items.order_by("pk")
    partner = consignee_user(shipment.consignee)
    assert kept(shipment) == live(shipment)

    confirm(shipment, partner, {rice: (60, 10, 0)})
    assert (
        kept(shipment)
        == live(shipment)
        == {
            "USD": (Decimal("2000.00"), Decimal("1200.00"), Decimal("200.00")),
            "IDR": (Decimal("500000"), None, None),
        }
    )
    figures = shipment_dashboard(user=manager)
    assert [(row.country.code, row.currency.code, row.amount) for row in figures.delivered_by_country] == [
        ("ID", "USD", Decimal("1200.00"))
    ]
    rates = {rate.currency.code: (rate.sent, rate.not_good, rate.percent) for rate in figures.discrepancy_rates}
    assert rates == {
        "IDR": (Decimal("500000.00"), Decimal("0.00"), Decimal("0.00")),
        "USD": (Decimal("2000.00"), Decimal("200.00"), Decimal("10.00")),
    }

    # The rest of it counted on a second receipt: the shipment is received.
    confirm(shipment, partner, {rice: (25, 0, 5), generators: (8, 2, 0)})
    assert (
        kept(shipment)
        == live(shipment)
        == {
            "USD": (Decimal("2000.00"), Decimal("1700.00"), Decimal("300.00")),
            "IDR": (Decimal("500000"), Decimal("400000"), Decimal("100000")),
        }
    )
    figures = shipment_dashboard(user=manager)
    assert [(row.country.code, row.currency.code, row.amount) for row in figures.delivered_by_country] == [
        ("ID", "IDR", Decimal("400000.00")),
        ("ID", "USD", Decimal("1700.00")),
    ]
    rates = {rate.currency.code: (rate.not_good, rate.percent) for rate in figures.discrepancy_rates}
    assert rates == {"IDR": (Decimal("100000.00"), Decimal("20.00")), "USD": (Decimal("300.00"), Decimal("15.00"))}
    assert amounts(shipment_dashboard(user=manager, currency="IDR").in_transit_value) == {}


def test_a_rebuild_repairs_values_written_around_the_services(officer, manager):
    received = arrived_shipment(draft_shipment(created_by=officer, items=2))
    first, second = received.items.order_by("pk")
    confirm(received, consignee_user(received.consignee), {first: (100, 0, 0), second: (90, 0, 10)})
    on_the_way = dispatched_shipment(draft_shipment(created_by=officer, items=1))
    right = shipment_dashboard(user=manager)

    ShipmentValue.objects.filter(shipment=received).update(sent=Decimal(1), good=None)
    ShipmentValue.objects.filter(shipment=on_the_way).delete()
    ShipmentValue.objects.create(shipment=on_the_way, currency=currency("EUR"), sent=Decimal(5))
    assert shipment_dashboard(user=manager) != right

    out = StringIO()
    call_command("refresh_shipment_values", stdout=out)
    assert "3 rows" not in out.getvalue() and "2 rows" in out.getvalue()
    assert kept(received) == live(received)
    assert kept(on_the_way) == live(on_the_way) == {"USD": (Decimal("2000.00"), None, None)}
    assert shipment_dashboard(user=manager) == right


def test_the_rebuild_gives_what_the_services_kept(officer):
    shipment = arrived_shipment(draft_shipment(created_by=officer, items=2))
    add_item(draft_shipment(created_by=officer, items=0), officer, currency=currency("EUR"))
    first, _second = shipment.items.order_by("pk")
    confirm(shipment, consignee_user(shipment.consignee), {first: (50, 0, 1)})
    before = {
        (row.shipment_id, row.currency_id, row.sent, row.good, row.not_good) for row in ShipmentValue.objects.all()
    }
    assert rebuild() == 2
    after = {
        (row.shipment_id, row.currency_id, row.sent, row.good, row.not_good) for row in ShipmentValue.objects.all()
    }
    assert after == before


def test_keeping_a_shipments_value_costs_the_same_queries_however_many_shipments_and_items():
    small = ShipmentFactory()
    ShipmentItemFactory(shipment=small)
    with CaptureQueriesContext(connection) as few:
        refresh_shipment_values(small.pk)
    large = ShipmentFactory()
    for index in range(20):
        ShipmentItemFactory(shipment=large, currency=currency(("USD", "IDR", "EUR")[index % 3]))
    ShipmentItemFactory.create_batch(10)
    with CaptureQueriesContext(connection) as many:
        refresh_shipment_values(large.pk)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(kept(large)) == 3


def test_the_currency_filter_costs_the_same_queries_for_3_and_30_shipments(manager):
    def shipments(count):
        for index in range(count):
            shipment = ShipmentFactory(status="dispatched", dispatched_on=ShipmentFactory.planned_dispatch.function())
            ShipmentItemFactory(shipment=shipment, currency=currency(("USD", "IDR")[index % 2]))

    shipments(3)
    shipment_dashboard(user=manager)  # the manager's permissions, read once
    with CaptureQueriesContext(connection) as few:
        figures = shipment_dashboard(user=manager, currency="USD")
    assert figures.in_transit_count == 2
    shipments(27)
    with CaptureQueriesContext(connection) as many:
        figures = shipment_dashboard(user=manager, currency="USD")
    assert figures.in_transit_count == 16
    assert amounts(figures.in_transit_value) == {"USD": Decimal("32000.00")}
    assert len(many.captured_queries) == len(few.captured_queries)
