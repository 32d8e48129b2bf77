"""Goods near their expiry date while on the way (or arrived, not yet received): the officer and the consignee's
contacts are told once per shipment and expiry date, in their own language; caught up, never twice."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.roles import Role
from programs.shipments import expiry, tasks
from programs.shipments.models import ExpiryAlertLog, ShipmentStatus
from tests.concurrency import daily_job, run_together
from tests.factories import OrganisationFactory, UserFactory
from tests.programs.shipments.factories import (
    InKindProgrammeFactory,
    add_item,
    arrived_shipment,
    confirm,
    consignee_user,
    days_ago,
    dispatched_shipment,
    draft_shipment,
    today,
)
from tests.programs.shipments.mail_fixtures import consignee, emails_to, responsible_officer  # noqa: F401


def day(offset: int) -> datetime.date:
    return today() + datetime.timedelta(days=offset)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    return daily_job(django_capture_on_commit_callbacks, tasks.send_expiry_alerts)


@pytest.fixture
def officer(responsible_officer):
    return responsible_officer


def shipment_with(officer, consignee, *expiries, status="dispatched"):
    """A shipment of one item per expiry date (rice first, then milk powder, then more), dispatched or arrived."""
    programme = InKindProgrammeFactory(responsible_officer=officer)
    shipment = draft_shipment(created_by=officer, consignee=consignee, programme=programme, items=0)
    names = ["Rice, 25 kg bags", "Milk powder, 400 g tins", "Biscuits, cartons"]
    for name, expires in zip(names, expiries, strict=False):
        add_item(shipment, officer, description=name, quantity=Decimal("120"), expiry_date=expires)
    add_item(shipment, officer, description="Tarpaulins", category="shelter", unit="piece")  # never expires
    if status == "arrived":
        shipment = arrived_shipment(shipment)
    else:
        shipment = dispatched_shipment(shipment, dispatched_on=days_ago(3))
    mail.outbox.clear()
    return shipment


def test_goods_expiring_within_the_window_alert_the_officer_and_the_consignee_in_their_languages(
    officer, consignee, run
):
    shipment = shipment_with(officer, consignee, day(20))

    assert run(today()) == 1

    [to_officer] = emails_to("sari@kerjasama.example")
    assert shipment.waybill in to_officer.subject and "expire in 20 days" in to_officer.subject
    assert "Hello Sari" in to_officer.body
    assert "Rice, 25 kg bags: 120 bag" in to_officer.body
    assert "Tarpaulins" not in to_officer.body
    [to_ana] = emails_to("ana@caritas.example")
    assert "Dear Ana" in to_ana.body and "distribute these goods first" in to_ana.body
    assert to_ana.reply_to == ["sari@kerjasama.example"]
    [to_budi] = emails_to("budi@caritas.example")
    assert "kedaluwarsa" in to_budi.subject and "Rice, 25 kg bags" in to_budi.body
    assert emails_to("gone@caritas.example") == []


def test_goods_expiring_later_are_alerted_when_their_date_comes_near(officer, consignee, run, settings):
    settings.SHIPMENT_EXPIRY_WARNING_DAYS = 30
    shipment_with(officer, consignee, day(45))

    assert run(today()) == 0
    assert run(day(14)) == 0
    assert run(day(15)) == 1  # 30 days left
    assert [run(day(offset)) for offset in range(15, 20)] == [0] * 5
    assert len(emails_to("sari@kerjasama.example")) == 1


def test_each_expiry_date_of_a_shipment_is_its_own_alert_listing_its_own_goods(officer, consignee, run):
    shipment_with(officer, consignee, day(10), day(25), day(90))

    assert run(today()) == 2

    bodies = sorted(message.body for message in emails_to("sari@kerjasama.example"))
    assert ["Milk powder" in body for body in bodies].count(True) == 1
    assert all(("Rice" in body) != ("Milk powder" in body) for body in bodies)
    assert not any("Biscuits" in body for body in bodies)
    assert sorted(ExpiryAlertLog.objects.values_list("expiry_date", flat=True)) == [day(10), day(25)]


def test_a_day_the_job_did_not_run_is_caught_up_and_expired_goods_say_so(officer, consignee, run):
    shipment = shipment_with(officer, consignee, day(5))

    assert run(day(7)) == 1

    [message] = emails_to("sari@kerjasama.example")
    assert "expired before being received" in message.subject
    assert shipment.waybill in message.subject


def test_running_twice_sends_nothing_twice(officer, consignee, run):
    shipment_with(officer, consignee, day(20))

    assert (run(today()), run(today()), run(day(1))) == (1, 0, 0)
    assert len(emails_to("sari@kerjasama.example")) == 1


def test_arrived_goods_not_yet_received_are_watched_and_received_goods_are_not(officer, consignee, run):
    arrived = shipment_with(officer, consignee, day(20), status="arrived")
    received = shipment_with(officer, consignee, day(20), status="arrived")
    confirm(received, consignee_user(consignee), {item: (item.quantity, 0, 0) for item in received.items.all()})
    draft = draft_shipment(created_by=officer, consignee=consignee, items=0)
    add_item(draft, officer, expiry_date=day(20))

    assert run(today()) == 1

    assert list(ExpiryAlertLog.objects.values_list("shipment_id", flat=True)) == [arrived.pk]


def test_an_alert_claimed_before_the_goods_were_received_is_not_emailed(
    officer, consignee, django_capture_on_commit_callbacks
):
    shipment = shipment_with(officer, consignee, day(20), status="arrived")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tasks.send_expiry_alerts(today().isoformat())
    confirm(shipment, consignee_user(consignee), {item: (item.quantity, 0, 0) for item in shipment.items.all()})
    for callback in callbacks:
        callback()

    assert mail.outbox == []
    assert set(OutboxMessage.objects.filter(kind=expiry.EXPIRY_ALERT).values_list("status", flat=True)) == {
        MessageStatus.CANCELLED
    }
    assert shipment.__class__.objects.get(pk=shipment.pk).status == ShipmentStatus.RECEIVED


def test_without_a_responsible_officer_the_managers_hear_of_it(consignee, run):
    manager = UserFactory(role=Role.MANAGER, email="head@kerjasama.example")
    shipment = draft_shipment(consignee=consignee, items=0)
    add_item(shipment, shipment.created_by, expiry_date=day(9))
    shipment.programme.responsible_officer = None
    shipment.programme.save(update_fields=["responsible_officer"])
    dispatched_shipment(shipment, approver=manager)
    mail.outbox.clear()

    assert run(today()) == 1
    assert emails_to("head@kerjasama.example")


def test_finding_the_alerts_due_is_one_query_whatever_the_number_of_shipments(
    officer, consignee, django_assert_num_queries
):
    for offset in range(5):
        shipment_with(officer, consignee, day(10 + offset), day(50))

    with django_assert_num_queries(1):
        due = expiry.due_dates(today())

    assert len(due) == 5


def test_the_command_prints_each_alert_and_the_job_is_scheduled(officer, consignee, django_capture_on_commit_callbacks):
    shipment = shipment_with(officer, consignee, day(12))
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_expiry_alerts", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].split()[:2] == [shipment.waybill, day(12).isoformat()]
    assert "sari@kerjasama.example," in lines[0] and "budi@caritas.example" in lines[0]
    assert lines[-1] == "1 expiry alert(s) sent."

    from config.celery import app

    app.finalize()
    assert app.conf.beat_schedule["shipment-expiry-alerts"]["task"] == "programs.shipments.tasks.send_expiry_alerts"


def test_two_runs_at_the_same_time_send_each_alert_once(reference_data_db):
    officer = UserFactory(role=Role.OFFICER, email="sari@kerjasama.example")
    consignee = OrganisationFactory()
    for offset in (5, 10, 15):
        shipment_with(officer, consignee, day(offset))

    results = run_together(*(lambda: tasks.send_expiry_alerts(today().isoformat()) for _ in range(2)))

    assert sum(results) == 3
    assert ExpiryAlertLog.objects.count() == 3
    assert OutboxMessage.objects.filter(kind=expiry.EXPIRY_ALERT).count() == 3
