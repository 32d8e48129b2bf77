"""Background jobs through a real Celery worker and the configured broker.

The filesystem broker by default (in a folder of its own, so a `make run` worker on
the same machine cannot take the test's messages), Redis when CELERY_BROKER_URL says so.
"""

import datetime
import threading
import time
from contextlib import contextmanager

import pytest
from celery.signals import task_postrun, task_received
from django.urls import reverse

from cooperation.roles import Role
from programs.services import programme_update_post
from programs.tasks import send_programme_updates_digest
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgrammeFactory,
    ProgrammeUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.integration

DELIVER = "cooperation.outbox.tasks.deliver_message"
DIGEST = "programs.tasks.send_programme_updates_digest"
REFRESH = "cooperation.tasks.refresh_kept"


def wait_until(condition, timeout: float = 30.0, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out after {timeout}s: {message}")


def _forget_connection_pool(app) -> None:
    # The app keeps the pool it made first; made under other broker settings, it must be looked up again.
    # (kombu keeps pools per broker URL and options, so the lookup finds the right one.)
    app._pool = None
    app.amqp._producer_pool = None


class TaskLog:
    """Task names the worker received from the broker, and those it finished."""

    def __init__(self):
        self.received: list[str] = []
        self.finished: list[str] = []
        self._lock = threading.Lock()

    def on_received(self, sender=None, request=None, **kwargs):
        with self._lock:
            self.received.append(request.name)

    def on_postrun(self, sender=None, **kwargs):
        with self._lock:
            self.finished.append(sender.name)


@contextmanager
def running_worker(settings, tmp_path):
    """A real Celery worker in this process, on the configured broker (the filesystem broker in a folder of
    the test's own); yields the TaskLog of what it received and finished."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    if app.conf.broker_url.startswith("filesystem"):
        queue, processed = tmp_path / "queue", tmp_path / "processed"
        queue.mkdir(exist_ok=True)
        processed.mkdir(exist_ok=True)
        settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
            "data_folder_in": str(queue),
            "data_folder_out": str(queue),
            "processed_folder": str(processed),
            "control_folder": str(tmp_path / "control"),
            "store_processed": False,
        }
    _forget_connection_pool(app)
    app.control.purge()  # messages left on a shared broker by an earlier run are not this test's

    log = TaskLog()
    task_received.connect(log.on_received, weak=False)
    task_postrun.connect(log.on_postrun, weak=False)
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30):
            yield log
    finally:
        task_received.disconnect(log.on_received)
        task_postrun.disconnect(log.on_postrun)
        _forget_connection_pool(app)


@pytest.fixture
def worker(reference_data_db, settings, tmp_path):
    with running_worker(settings, tmp_path) as log:
        yield log


def test_partner_update_reaches_the_responsible_officer_through_the_worker(worker, mailoutbox):
    officer = UserFactory(username="officer", role=Role.OFFICER, email="budi@kerjasama.example")
    organisation = OrganisationFactory(name="Yayasan Air Bersih")
    partner = MembershipFactory(organisation=organisation).user
    programme = ProgrammeFactory(code="KSM-2026-900", responsible_officer=officer)
    ParticipationFactory(programme=programme, organisation=organisation)

    programme_update_post(
        programme=programme,
        author=partner,
        reported_on=datetime.date(2026, 6, 1),
        title="Pumps installed",
        body="Four solar pumps run.",
    )

    wait_until(lambda: DELIVER in worker.finished, message="the worker did not deliver the email")
    assert DELIVER in worker.received  # it came through the broker, not inline
    to_officer = [m for m in mailoutbox if officer.email in m.to]
    assert len(to_officer) == 1
    assert "KSM-2026-900" in to_officer[0].subject + to_officer[0].body


def test_digest_run_twice_through_the_worker_sends_one_email(worker, mailoutbox):
    manager = UserFactory(username="manager", role=Role.MANAGER, email="sri@kerjasama.example")
    ProgrammeUpdateFactory(title="Wells dug")
    ProgrammeUpdateFactory(title="Roofs repaired")

    send_programme_updates_digest.delay()
    send_programme_updates_digest.delay()

    wait_until(lambda: worker.finished.count(DIGEST) == 2, message="the worker did not run both digests")
    wait_until(lambda: DELIVER in worker.finished, message="the worker did not deliver the digest")
    assert worker.received.count(DIGEST) == 2
    assert worker.received.count(DELIVER) == 1  # the second run found nothing to claim: no second email
    digests = [m for m in mailoutbox if manager.email in m.to]
    assert len(digests) == 1
    assert "Wells dug" in digests[0].body and "Roofs repaired" in digests[0].body


def test_the_dashboard_after_a_change_is_refreshed_by_the_worker(worker, client, settings, tmp_path):
    settings.CACHES = {  # shared by the web request and the worker, as Redis is
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "c")}
    }
    ProgrammeFactory(code="KSM-2026-901")
    client.force_login(UserFactory(username="manager", role=Role.MANAGER))
    url = reverse("reporting:dashboard")
    assert 'id="stat-total">1<' in client.get(url).content.decode()

    ProgrammeFactory(code="KSM-2026-902")
    stale = client.get(url).content.decode()
    assert 'id="stat-total">1<' in stale and "Changes made since then are being added" in stale

    wait_until(lambda: REFRESH in worker.finished, message="the worker did not refresh the dashboard")
    assert worker.received.count(REFRESH) == 1
    fresh = client.get(url).content.decode()
    assert 'id="stat-total">2<' in fresh and "being added" not in fresh


def test_a_list_and_an_api_list_after_someone_elses_change_are_refreshed_by_the_worker(
    worker, client, settings, tmp_path
):
    settings.CACHES = {  # shared by the web request and the worker, as Redis is
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path / "c")}
    }
    OrganisationFactory(name="Yayasan Air Bersih")
    client.force_login(UserFactory(username="officer", role=Role.OFFICER))
    page, api = reverse("partners:list"), "/api/v1/partners/"
    assert "Yayasan Air Bersih" in client.get(page).content.decode()
    assert [row["name"] for row in client.get(api).json()["results"]] == ["Yayasan Air Bersih"]

    OrganisationFactory(name="Palang Merah")  # by another officer
    stale = client.get(page).content.decode()
    assert "Palang Merah" not in stale and "Changes made since then are being added" in stale
    stale_api = client.get(api)
    assert [row["name"] for row in stale_api.json()["results"]] == ["Yayasan Air Bersih"]
    assert "Figures-As-Of" in stale_api

    wait_until(lambda: worker.finished.count(REFRESH) == 2, message="the worker did not refresh both lists")
    assert worker.received.count(REFRESH) == 2
    fresh = client.get(page).content.decode()
    assert "Palang Merah" in fresh and "being added" not in fresh
    fresh_api = client.get(api)
    assert sorted(row["name"] for row in fresh_api.json()["results"]) == ["Palang Merah", "Yayasan Air Bersih"]
    assert "Figures-As-Of" not in fresh_api
