"""Connections kept open across requests (DATABASE_CONN_MAX_AGE) are checked before a request uses them.

Requests go through Django's WSGI application the way a server's worker thread sends them: one after another
in the same thread, with the request signals that close or keep that thread's connection. (The test client
switches those signals off, and the live test server closes its connections after every request, so neither
would show what a production worker does.)
"""

import json
import time
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.test import Client

from tests.cooperation.test_settings import run_manage

# Transactional: a request must commit, and a connection be closed, as in production.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data_db")]

PAGE = "/programmes/"  # a page that reads the database from its first line
SECONDS_FOR_THE_SERVER_TO_END_A_CONNECTION = 10


class Worker:
    """One worker thread of a WSGI server, signed in as one user."""

    def __init__(self, user):
        client = Client()
        client.force_login(user)
        self.cookie = f"sessionid={client.cookies['sessionid'].value}"
        self.application = WSGIHandler()

    def get(self, path) -> int:
        environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "HTTP_HOST": "testserver", "HTTP_COOKIE": self.cookie}
        setup_testing_defaults(environ)
        statuses = []
        body = self.application(environ, lambda status, headers, exc_info=None: statuses.append(status))
        try:
            b"".join(body)
        finally:
            body.close()  # the end of the request: where a server lets Django close or keep the connection
        return int(statuses[0].split()[0])


@pytest.fixture
def kept_connections(monkeypatch):
    """The project's database settings, with connections kept for ten minutes (DATABASE_CONN_MAX_AGE=600)."""
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    connection.close()  # the next connection is opened with the settings above
    yield
    connection.close()


@pytest.fixture
def health_checks_counted(monkeypatch):
    """How many times a kept connection was tested before use."""
    counted = []
    original = connection.is_usable
    # Patched on this thread's connection itself, not on the `connection` proxy that stands for it.

    def is_usable():
        counted.append(True)
        return original()

    monkeypatch.setattr(connections["default"], "is_usable", is_usable)
    return counted


def _turn_health_checks_off(monkeypatch):
    """CONN_HEALTH_CHECKS=False, for this connection and the next (an in-memory SQLite test database is never
    reopened, so the open connection takes the setting as a new one would)."""
    monkeypatch.setitem(connection.settings_dict, "CONN_HEALTH_CHECKS", False)
    monkeypatch.setattr(connections["default"], "health_check_enabled", False)


def _end_the_connection_from_the_server(backend_pid: int) -> None:
    """What a database restart does to every open connection: the server ends it."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
            deadline = time.monotonic() + SECONDS_FOR_THE_SERVER_TO_END_A_CONNECTION
            while True:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backend_pid])
                if cursor.fetchone()[0] == 0:
                    return
                assert time.monotonic() < deadline, "the server did not end the connection"
    finally:
        other.close()


def test_connections_are_kept_only_when_configured_and_always_checked():
    shown = "from django.conf import settings; import json; print(json.dumps(settings.DATABASES['default']))"
    kept = json.loads(run_manage("shell", "-c", shown, DATABASE_CONN_MAX_AGE="600").stdout.splitlines()[-1])
    default = json.loads(run_manage("shell", "-c", shown).stdout.splitlines()[-1])

    assert kept["CONN_MAX_AGE"] == 600
    assert kept["CONN_HEALTH_CHECKS"] is True
    assert default["CONN_MAX_AGE"] == 0  # closed after every request unless the deployment asks otherwise
    assert default["CONN_HEALTH_CHECKS"] is True


def test_a_kept_connection_is_checked_before_each_request_uses_it(officer, kept_connections, health_checks_counted):
    worker = Worker(officer)
    assert worker.get(PAGE) == 200
    kept = connection.connection
    checks_before = len(health_checks_counted)

    assert worker.get(PAGE) == 200
    assert worker.get(PAGE) == 200

    assert connection.connection is kept  # the same connection served every request
    assert connection.health_check_enabled is True
    assert len(health_checks_counted) - checks_before == 2  # once per request, before its first query


def test_without_health_checks_the_kept_connection_is_used_untested(
    officer, kept_connections, health_checks_counted, monkeypatch
):
    # The check above can fail: this is what the setting changes.
    _turn_health_checks_off(monkeypatch)
    worker = Worker(officer)
    assert worker.get(PAGE) == 200
    checks_before = len(health_checks_counted)

    assert worker.get(PAGE) == 200

    assert len(health_checks_counted) == checks_before


def test_a_database_restart_between_requests_costs_no_server_error(officer, kept_connections):
    worker = Worker(officer)
    assert worker.get(PAGE) == 200
    if connection.vendor != "postgresql":
        # A SQLite database is a file: there is no server to restart, and its connections never go stale.
        # What holds here is the setting the restart relies on: the kept connection is checked.
        assert connection.health_check_enabled is True
        assert worker.get(PAGE) == 200
        return
    backend = connection.connection.info.backend_pid

    _end_the_connection_from_the_server(backend)

    assert worker.get(PAGE) == 200
    assert connection.connection.info.backend_pid != backend  # a new connection served the request
    assert worker.get(PAGE) == 200


def test_without_health_checks_a_database_restart_costs_a_server_error(officer, kept_connections, monkeypatch):
    # The test above can fail: without the check, the first request after the restart fails on the dead connection.
    _turn_health_checks_off(monkeypatch)
    worker = Worker(officer)
    assert worker.get(PAGE) == 200
    if connection.vendor != "postgresql":
        assert connection.health_check_enabled is False
        return

    _end_the_connection_from_the_server(connection.connection.info.backend_pid)

    assert worker.get(PAGE) == 500
    assert worker.get(PAGE) == 200  # Django drops a connection that failed once; the next request reconnects


def test_the_apps_postgresql_connections_run_without_jit():
    # JIT compiles a plan for longer than the app's short queries run; it is off unless DATABASE_JIT=true.
    shown = "from django.conf import settings; import json; print(json.dumps(settings.DATABASES['default']))"
    postgres = {"DATABASE_URL": "postgres://kerjasama@db.example.org:5432/kerjasama"}
    off = json.loads(run_manage("shell", "-c", shown, **postgres).stdout.splitlines()[-1])
    left = json.loads(run_manage("shell", "-c", shown, DATABASE_JIT="true", **postgres).stdout.splitlines()[-1])

    assert off["OPTIONS"]["options"] == "-c jit=off"
    assert "options" not in left.get("OPTIONS", {})
    if connection.vendor == "postgresql":  # and the server applies it to the connection the app opened
        with connection.cursor() as cursor:
            cursor.execute("SHOW jit")
            assert cursor.fetchone()[0] == "off"
