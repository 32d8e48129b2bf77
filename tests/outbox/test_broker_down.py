"""With the task broker unreachable, web and API writes still succeed; their emails wait in the outbox; once a
broker is reachable, a real worker's sweep delivers each of them exactly once."""

import time
from contextlib import contextmanager

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.outbox import services
from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.outbox.tasks import sweep_outbox
from cooperation.roles import Role
from programs.models import ProgrammeUpdate
from programs.shipments.models import ShipmentStatus
from tests.cooperation.test_celery import _forget_connection_pool, running_worker, wait_until
from tests.cooperation.test_health import closed_local_port
from tests.factories import ContactFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.programs.shipments.factories import InKindProgrammeFactory, approved_shipment, draft_shipment, today

pytestmark = pytest.mark.integration

SWEEP = "cooperation.outbox.tasks.sweep_outbox"


@contextmanager
def warnings_of_the_outbox(monkeypatch):
    """The warnings the outbox logs during the block (read at the source: other tests may reconfigure logging)."""
    lines: list[str] = []
    with monkeypatch.context() as patch:
        patch.setattr(services.logger, "warning", lambda text, *args: lines.append(text % args))
        yield lines


@contextmanager
def broker_unreachable(settings, monkeypatch):
    """Point Celery at a loopback port nothing listens on, with tasks sent to the broker (not run inline)."""
    from config.celery import app

    url = f"redis://127.0.0.1:{closed_local_port()}/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    with monkeypatch.context() as patch:
        # An environment variable outranks the app's configuration in Celery: point both at the dead port.
        patch.setenv("CELERY_BROKER_URL", url)
        patch.setitem(app.conf, "broker_url", url)
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
        _forget_connection_pool(app)
        try:
            yield
        finally:
            settings.CELERY_BROKER_TRANSPORT_OPTIONS = options
            _forget_connection_pool(app)


def test_writes_succeed_while_the_broker_is_down_and_their_emails_go_once_it_is_back(
    reference_data_db, settings, monkeypatch, tmp_path, client
):
    officer = UserFactory(username="sari", role=Role.OFFICER, email="sari@kerjasama.example")
    consignee = OrganisationFactory(name="Caritas Dili")
    ContactFactory(organisation=consignee, name="Ana", email="ana@caritas.example")
    programme = InKindProgrammeFactory(responsible_officer=officer)
    by_page = approved_shipment(draft_shipment(created_by=officer, consignee=consignee, programme=programme))
    by_api = approved_shipment(draft_shipment(created_by=officer, consignee=consignee, programme=programme))
    partner = MembershipFactory(organisation=consignee).user

    with broker_unreachable(settings, monkeypatch), warnings_of_the_outbox(monkeypatch) as warned:
        started = time.monotonic()
        client.force_login(officer)
        page = client.post(
            reverse("shipments:dispatch", args=[by_page.pk]),
            {"dispatch-dispatched_on": today(), "dispatch-carrier": "Pacific Lines"},
        )
        api = APIClient()
        api.force_authenticate(officer)
        answer = api.post(f"/api/v1/shipments/{by_api.pk}/dispatch/", {"dispatched_on": str(today())}, format="json")
        client.force_login(partner)
        update = client.post(
            reverse("portal:post_update", args=[programme.pk]),
            {"reported_on": today(), "title": "Tarpaulins handed out", "body": "All 300 families reached."},
        )
        seconds = time.monotonic() - started

    # Every write answered as usual (no 500) and was saved...
    assert page.status_code == 302 and page["Location"].startswith(reverse("shipments:detail", args=[by_page.pk]))
    assert answer.status_code == 200, answer.content
    assert update.status_code == 302
    by_page.refresh_from_db()
    by_api.refresh_from_db()
    assert by_page.status == by_api.status == ShipmentStatus.DISPATCHED
    assert ProgrammeUpdate.objects.filter(title="Tarpaulins handed out").exists()
    # ...without waiting on the broker: a refused connection is given up at once, not retried.
    assert seconds < 20
    assert len(warned) == 3 and all("The task broker did not take 1" in line for line in warned)
    # The emails wait in the outbox, not one lost, none sent yet.
    waiting = OutboxMessage.objects.order_by("pk")
    assert [(m.kind, m.recipient, m.status, m.attempts) for m in waiting] == [
        ("shipments.dispatch_notice", "ana@caritas.example", MessageStatus.PENDING, 0),
        ("shipments.dispatch_notice", "ana@caritas.example", MessageStatus.PENDING, 0),
        ("programs.update_posted", "sari@kerjasama.example", MessageStatus.PENDING, 0),
    ]
    assert mail.outbox == []

    with running_worker(settings, tmp_path) as worker:
        sweep_outbox.delay()  # what Celery beat sends every OUTBOX_SWEEP_SECONDS
        wait_until(lambda: worker.finished.count(SWEEP) == 1, message="the worker did not run the sweep")
        sweep_outbox.delay()
        wait_until(lambda: worker.finished.count(SWEEP) == 2, message="the worker did not run the second sweep")

    assert worker.received.count(SWEEP) == 2  # through the broker
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    delivered = sorted((m.to[0], m.subject) for m in mail.outbox)
    assert delivered == sorted(
        [
            ("ana@caritas.example", f"Shipment {by_page.waybill} is on its way, expected on {date(by_page)}"),
            ("ana@caritas.example", f"Shipment {by_api.waybill} is on its way, expected on {date(by_api)}"),
            ("sari@kerjasama.example", f"New update on {programme.code}: Tarpaulins handed out"),
        ]
    )


def date(shipment) -> str:
    from django.utils import formats

    return formats.date_format(shipment.expected_arrival)
