"""GET /healthz tells a load balancer whether the database and the broker answer."""

import socket

import pytest
from django.db import OperationalError
from django.urls import reverse

from config import health

pytestmark = pytest.mark.django_db


def closed_local_port() -> int:
    """A loopback port nothing listens on: bound once to learn a free number, then released."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_healthy_when_database_and_broker_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["status"] == "ok"


def test_needs_no_login(client):
    # A load balancer has no session: the check must not redirect to the login page.
    assert client.get("/healthz").status_code == 200


def test_unreachable_broker_gives_503(client, settings, monkeypatch):
    from config.celery import app

    url = f"redis://127.0.0.1:{closed_local_port()}/0"
    # An environment variable outranks the app's configuration in Celery, so point both at the dead port.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    monkeypatch.setitem(app.conf, "broker_url", url)
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["broker"] != "ok"
    assert body["database"] == "ok"
    assert body["status"] != "ok"


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("could not connect to server")


def test_failing_database_gives_503(client, monkeypatch):
    monkeypatch.setattr(health, "connection", _BrokenConnection())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["database"] != "ok"
    assert body["broker"] == "ok"


def test_only_get_is_allowed(client):
    assert client.post(reverse("healthz")).status_code == 405
