"""The consignee told of a dispatch, and the daily delay alert: once per delay, caught up, never twice."""

import datetime
from io import StringIO
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.urls import reverse
from django.utils import formats, timezone

from cooperation.outbox.delivery import sweep
from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.roles import Role
from partners.models import Language
from programs.shipments import reminders, selectors, services, tasks
from programs.shipments.models import DelayAlertLog, ShipmentStatus
from tests.concurrency import daily_job, run_together
from tests.factories import OrganisationFactory, UserFactory
from tests.programs.shipments.factories import (
    InKindProgrammeFactory,
    approved_shipment,
    consignee_user,
    days_ago,
    dispatched_shipment,
    draft_shipment,
    today,
)
from tests.programs.shipments.mail_fixtures import consignee, emails_to, responsible_officer  # noqa: F401

# --- dispatch notice ----------------------------------------------------------------------------------------------


def test_on_dispatch_the_consignees_contacts_get_the_waybill_and_expected_arrival_after_commit(
    consignee, responsible_officer, django_capture_on_commit_callbacks
):
    programme = InKindProgrammeFactory(responsible_officer=responsible_officer)
    shipment = approved_shipment(draft_shipment(consignee=consignee, programme=programme))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.shipment_dispatch(shipment=shipment, dispatched_by=shipment.created_by, dispatched_on=today())
    assert mail.outbox == []  # nothing leaves before the dispatch is committed
    for callback in callbacks:
        callback()
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "ana@caritas.example",
        "budi@caritas.example",
    ]
    (message,) = emails_to("ana@caritas.example")
    assert shipment.waybill in message.subject and "Dear Ana" in message.body
    assert shipment.expected_arrival.strftime("%Y") in message.body
    assert message.reply_to == ["sari@kerjasama.example"]
    assert emails_to("budi@caritas.example")[0].extra_headers["Content-Language"] == Language.INDONESIAN
    notice = OutboxMessage.objects.filter(kind="shipments.dispatch_notice", object_id=shipment.pk)
    assert set(notice.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_a_dispatch_rolled_back_sends_nothing(consignee, django_capture_on_commit_callbacks):
    shipment = approved_shipment(draft_shipment(consignee=consignee))
    with django_capture_on_commit_callbacks(execute=False) as callbacks, pytest.raises(Exception, match="future"):
        services.shipment_dispatch(shipment=shipment, dispatched_by=shipment.created_by, dispatched_on=days_ago(-1))
    assert callbacks == [] and mail.outbox == []
    assert not OutboxMessage.objects.exists()  # the notice was written in the dispatch's transaction, and went with it


def test_a_mail_failure_delays_only_the_contact_it_hit(consignee, monkeypatch, django_capture_on_commit_callbacks):
    shipment = approved_shipment(draft_shipment(consignee=consignee))
    original = EmailBackend.send_messages
    calls = {"n": 0}

    def fail_second(self, messages):
        calls["n"] += 1
        if calls["n"] == 2:
            raise SMTPServerDisconnected("gone")
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", fail_second)
    with django_capture_on_commit_callbacks(execute=True):
        services.shipment_dispatch(shipment=shipment, dispatched_by=shipment.created_by, dispatched_on=today())
    assert [m.to for m in mail.outbox] == [["ana@caritas.example"]]
    assert OutboxMessage.objects.get(recipient="budi@caritas.example").status == MessageStatus.PENDING

    sweep(now=timezone.now() + datetime.timedelta(minutes=2))
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@caritas.example", "budi@caritas.example"]
    sweep(now=timezone.now() + datetime.timedelta(hours=2))
    assert len(mail.outbox) == 2


# --- delay alerts -------------------------------------------------------------------------------------------------


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    return daily_job(django_capture_on_commit_callbacks, tasks.send_delay_alerts)


@pytest.fixture
def on_the_way(consignee, responsible_officer):
    """Dispatched 10 days ago, expected in 2 days' time."""
    programme = InKindProgrammeFactory(responsible_officer=responsible_officer)
    shipment = draft_shipment(
        consignee=consignee, programme=programme, planned_dispatch=days_ago(10), expected_arrival=days_ago(-2)
    )
    shipment = dispatched_shipment(shipment, dispatched_on=days_ago(10))
    mail.outbox.clear()
    return shipment


def day(offset: int) -> datetime.date:
    return today() + datetime.timedelta(days=offset)


def test_one_alert_to_the_responsible_officer_the_day_after_the_expected_arrival(on_the_way, run):
    assert run(day(2)) == 0  # due today is not late
    assert run(day(3)) == 1
    (message,) = emails_to("sari@kerjasama.example")
    assert on_the_way.waybill in message.subject and "1 day late" in message.subject
    assert "Hello Sari" in message.body
    for offset in range(3, 10):
        assert run(day(offset)) == 0
    assert len(mail.outbox) == 1


def test_running_twice_the_same_day_sends_nothing_twice(on_the_way, run):
    assert (run(day(4)), run(day(4))) == (1, 0)
    assert len(emails_to("sari@kerjasama.example")) == 1
    assert DelayAlertLog.objects.filter(shipment=on_the_way).count() == 1


def test_a_day_the_job_did_not_run_is_caught_up_on_the_next_run(on_the_way, run):
    assert run(day(1)) == 0
    # Days 3 and 4: no run. Day 5 catches up.
    assert run(day(5)) == 1
    assert "3 days late" in emails_to("sari@kerjasama.example")[0].subject


def test_a_new_expected_arrival_that_passes_is_a_new_delay(on_the_way, run):
    assert run(day(3)) == 1
    services.shipment_reschedule(shipment=on_the_way, updated_by=on_the_way.created_by, expected_arrival=day(6))
    assert run(day(5)) == 0  # on its new schedule
    assert run(day(7)) == 1
    assert run(day(8)) == 0
    assert list(DelayAlertLog.objects.order_by("pk").values_list("expected_arrival", flat=True)) == [day(2), day(6)]
    assert len(emails_to("sari@kerjasama.example")) == 2


def test_arrived_shipments_get_no_alert(on_the_way, run):
    services.shipment_arrive(shipment=on_the_way, updated_by=on_the_way.created_by, arrived_on=today())
    assert run(day(5)) == 0 and mail.outbox == []


def test_an_alert_claimed_before_the_goods_arrived_is_not_emailed(on_the_way, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tasks.send_delay_alerts(day(4).isoformat())
    services.shipment_arrive(shipment=on_the_way, updated_by=on_the_way.created_by, arrived_on=today())
    for callback in callbacks:
        callback()
    assert mail.outbox == []
    assert OutboxMessage.objects.get(kind="shipments.delay_alert").status == MessageStatus.CANCELLED


def test_without_a_responsible_officer_the_managers_are_alerted(consignee, run):
    manager = UserFactory(role=Role.MANAGER, email="head@kerjasama.example")
    shipment = draft_shipment(consignee=consignee, planned_dispatch=days_ago(10), expected_arrival=days_ago(1))
    dispatched_shipment(shipment, dispatched_on=days_ago(10), approver=manager)
    mail.outbox.clear()
    assert run(today()) == 1
    assert [message.to for message in mail.outbox] == [[manager.email]]


def test_finding_the_alerts_due_is_one_query_whatever_the_number_of_shipments(on_the_way, django_assert_num_queries):
    for _ in range(5):
        dispatched_shipment(
            draft_shipment(planned_dispatch=days_ago(10), expected_arrival=days_ago(3)), dispatched_on=days_ago(9)
        )
    with django_assert_num_queries(1):
        due = [(shipment.waybill, shipment.programme.responsible_officer) for shipment in reminders.due_alerts(day(4))]
    assert len(due) == 6


def test_the_command_prints_each_alert(on_the_way, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_delay_alerts", "--today", day(3).isoformat(), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == [on_the_way.waybill, day(2).isoformat(), "sari@kerjasama.example"]
    assert lines[-1] == "1 delay alert(s) sent."
    assert len(emails_to("sari@kerjasama.example")) == 1

    again = StringIO()
    call_command("send_delay_alerts", "--today", day(3).isoformat(), stdout=again)
    assert again.getvalue().splitlines() == ["0 delay alert(s) sent."]


def test_the_daily_job_is_scheduled():
    from config.celery import app

    app.finalize()
    assert app.conf.beat_schedule["shipment-delay-alerts"]["task"] == "programs.shipments.tasks.send_delay_alerts"


# --- two runs at once ---------------------------------------------------------------------------------------------


def test_two_runs_at_the_same_time_send_each_alert_once(reference_data_db, settings):
    officer = UserFactory(role=Role.OFFICER, email="sari@kerjasama.example")
    programme = InKindProgrammeFactory(responsible_officer=officer)
    consignee = OrganisationFactory()
    shipments = [
        dispatched_shipment(
            draft_shipment(
                consignee=consignee, programme=programme, planned_dispatch=days_ago(10), expected_arrival=days_ago(2)
            ),
            dispatched_on=days_ago(9),
        )
        for _ in range(3)
    ]
    mail.outbox.clear()
    results = run_together(*(lambda: tasks.send_delay_alerts(today().isoformat()) for _ in range(2)))
    # Truly concurrent runs may share the work between them, but each alert goes out exactly once.
    assert sum(results) == 3
    assert DelayAlertLog.objects.count() == 3
    assert sorted(message.subject for message in mail.outbox) == sorted(
        f"Shipment {shipment.waybill} is 2 days late" for shipment in shipments
    )
    assert all(shipment.status == ShipmentStatus.DISPATCHED for shipment in shipments)


# --- what officers see of them ------------------------------------------------------------------------------------


def test_officers_see_on_the_shipments_page_which_delay_alerts_went_to_whom(
    on_the_way, run, client, responsible_officer, django_capture_on_commit_callbacks
):
    detail = reverse("shipments:detail", args=[on_the_way.pk])
    client.force_login(responsible_officer)
    html = client.get(detail).content.decode()
    emails = html[html.index('id="notifications"') :]
    assert "Dispatch notice to the consignee" in emails and "ana@caritas.example" in emails
    assert "Delay alert" not in emails

    run(day(3))
    html = client.get(detail).content.decode()
    emails = html[html.index('id="notifications"') :]
    assert f"Delay alert: not arrived by {formats.date_format(day(2))}" in emails
    alert = emails[emails.index("Delay alert") :]
    assert 'data-message-state="sent"' in alert and "sari@kerjasama.example" in alert

    # Claimed, then the goods arrived before the email went: the officer is told it was not sent.
    services.shipment_reschedule(shipment=on_the_way, updated_by=on_the_way.created_by, expected_arrival=day(4))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tasks.send_delay_alerts(day(5).isoformat())
    services.shipment_arrive(shipment=on_the_way, updated_by=on_the_way.created_by, arrived_on=today())
    second = f"Delay alert: not arrived by {formats.date_format(day(4))}"
    html = client.get(detail).content.decode()
    assert 'data-message-state="pending"' in html[html.index(second) :]  # claimed, not delivered yet
    for callback in callbacks:
        callback()
    html = client.get(detail).content.decode()
    assert 'data-message-state="cancelled"' in html[html.index(second) :]
    assert "not sent: the goods arrived" in html


def test_the_alerts_sent_are_for_staff_only(on_the_way, run, responsible_officer):
    run(day(3))
    assert selectors.shipment_notifications(user=responsible_officer, shipment=on_the_way)
    partner = consignee_user(on_the_way.consignee)
    assert not selectors.shipment_notifications(user=partner, shipment=on_the_way)
