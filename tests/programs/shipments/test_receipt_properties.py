"""Whatever the consignee types, in however many receipts: what is counted (good + damaged + lost) never
exceeds what was sent, a refused receipt saves nothing, and the shipment is received exactly when every
unit is accounted for."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from programs.shipments import services
from programs.shipments.models import Receipt, ReceiptLine, ShipmentStatus
from tests.factories import OrganisationFactory
from tests.programs.shipments.factories import (
    add_item,
    consignee_user,
    dispatched_shipment,
    draft_shipment,
    today,
)

D = Decimal
HALVES = st.integers(min_value=0, max_value=60).map(lambda n: D(n) / 2)  # 0, 0.5, 1 … 30
SENT = st.lists(st.integers(min_value=1, max_value=40).map(lambda n: D(n) / 2), min_size=1, max_size=4)
ATTEMPTS = st.lists(
    st.lists(st.tuples(st.integers(min_value=0, max_value=3), HALVES, HALVES, HALVES), min_size=1, max_size=4),
    min_size=1,
    max_size=6,
)


class Rollback(Exception):
    pass


def counted_so_far(item) -> Decimal:
    totals = ReceiptLine.objects.filter(item=item).aggregate(g=Sum("good"), d=Sum("damaged"), l=Sum("lost"))
    return sum((value or D(0) for value in totals.values()), D(0))


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sent=SENT, attempts=ATTEMPTS)
def test_no_sequence_of_receipts_counts_more_than_was_sent(sent, attempts):
    try:
        with transaction.atomic():
            consignee = OrganisationFactory()
            receiver = consignee_user(consignee)
            shipment = draft_shipment(consignee=consignee, items=0)
            items = [add_item(shipment, shipment.created_by, quantity=quantity) for quantity in sent]
            dispatched_shipment(shipment)
            expected = {item.pk: D(0) for item in items}

            for attempt in attempts:
                lines, seen = [], set()
                for position, good, damaged, lost in attempt:
                    item = items[position % len(items)]
                    if item.pk in seen:
                        continue
                    seen.add(item.pk)
                    lines.append({"item": item, "good": good, "damaged": damaged, "lost": lost, "reason": "Rain"})
                fits = all(
                    expected[line["item"].pk] + line["good"] + line["damaged"] + line["lost"] <= line["item"].quantity
                    for line in lines
                )
                counts_something = any(line["good"] + line["damaged"] + line["lost"] > 0 for line in lines)
                open_for_receipt = shipment.status != ShipmentStatus.RECEIVED
                receipts_before = Receipt.objects.count()

                if fits and counts_something and open_for_receipt:
                    services.receipt_confirm(shipment=shipment, received_by=receiver, received_on=today(), lines=lines)
                    for line in lines:
                        expected[line["item"].pk] += line["good"] + line["damaged"] + line["lost"]
                else:
                    with pytest.raises(ValidationError):
                        services.receipt_confirm(
                            shipment=shipment, received_by=receiver, received_on=today(), lines=lines
                        )
                    assert Receipt.objects.count() == receipts_before

                shipment.refresh_from_db()
                for item in items:
                    assert counted_so_far(item) == expected[item.pk] <= item.quantity
                complete = all(expected[item.pk] == item.quantity for item in items)
                if any(expected.values()):
                    assert shipment.status == (
                        ShipmentStatus.RECEIVED if complete else ShipmentStatus.PARTIALLY_RECEIVED
                    )
                else:
                    assert shipment.status == ShipmentStatus.DISPATCHED
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damaged=HALVES, lost=HALVES)
def test_anything_not_good_needs_a_reason(damaged, lost):
    try:
        with transaction.atomic():
            consignee = OrganisationFactory()
            shipment = dispatched_shipment(draft_shipment(consignee=consignee))
            line = {"item": shipment.items.get(), "good": D(1), "damaged": damaged, "lost": lost, "reason": " "}
            call = lambda: services.receipt_confirm(  # noqa: E731
                shipment=shipment, received_by=consignee_user(consignee), received_on=today(), lines=[line]
            )
            if damaged or lost:
                with pytest.raises(services.ReceiptLinesInvalid) as refused:
                    call()
                assert "reason" in refused.value.line_errors[0]
            else:
                call()
            raise Rollback
    except Rollback:
        pass


@pytest.mark.django_db
@pytest.mark.parametrize(
    "counts",
    [
        {"good": D(-1)},
        {"good": D(0), "damaged": D(0), "lost": D(0)},
        {"good": D(1), "damaged": D(1), "reason": ""},
    ],
)
def test_the_database_refuses_a_bad_line_even_outside_the_service(counts):
    shipment = dispatched_shipment(draft_shipment())
    receipt = Receipt.objects.create(shipment=shipment, received_by=shipment.created_by, received_on=today())
    with pytest.raises(IntegrityError), transaction.atomic():
        ReceiptLine.objects.create(receipt=receipt, item=shipment.items.get(), **counts)
