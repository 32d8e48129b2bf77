"""A browser session ends after a while without activity, and in any case some hours after login; keeping the
time of the last activity writes the session at most once a minute."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

PAGE = "/programmes/"


def session_writes(client, url=PAGE) -> tuple[int, int]:
    """(status, how many statements wrote the session table) for one GET."""
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    writes = [
        q["sql"] for q in queries.captured_queries if "django_session" in q["sql"] and not q["sql"].startswith("SELECT")
    ]
    return status, len(writes)


def test_a_session_ends_after_the_idle_limit_and_says_why(client, officer, clock):
    client.post(reverse("account:login"), {"username": "officer", "password": PASSWORD})

    clock.shift(29 * 60)
    assert client.get(PAGE).status_code == 200
    clock.shift(31 * 60)  # 31 minutes after the last request
    response = client.get(PAGE, follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("account:login"))
    assert "after 30 minutes without activity" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_activity_keeps_the_session_open(client, officer, clock):
    client.force_login(officer)
    for _ in range(6):  # three hours, a request every 25 minutes
        clock.shift(25 * 60)
        assert client.get(PAGE).status_code == 200


def test_the_idle_limit_is_a_setting(client, officer, clock, settings):
    settings.SESSION_IDLE_MINUTES = 5
    client.force_login(officer)

    clock.shift(4 * 60)
    assert client.get(PAGE).status_code == 200
    clock.shift(5 * 60 + 1)
    assert client.get(PAGE).status_code == 302


def test_a_session_ends_at_its_maximum_length_however_active(client, officer, clock, settings):
    settings.SESSION_MAX_HOURS = 2
    client.force_login(officer)
    for _ in range(4):  # two hours of steady work
        clock.shift(29 * 60)
        assert client.get(PAGE).status_code == 200

    clock.shift(5 * 60)
    response = client.get(PAGE, follow=True)

    assert "maximum length of 2 hours" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_session_store_keeps_an_idle_session_only_a_little_past_the_limit(client, officer):
    client.force_login(officer)
    assert 30 * 60 < client.session.get_expiry_age() <= 35 * 60


def test_the_last_activity_is_written_at_most_once_a_minute(client, officer, clock):
    client.force_login(officer)

    assert session_writes(client) == (200, 0)
    clock.shift(30)
    assert session_writes(client) == (200, 0)
    clock.shift(31)  # a minute since login
    assert session_writes(client) == (200, 1)
    clock.shift(10)
    assert session_writes(client) == (200, 0)


def test_anonymous_visitors_get_no_session_written(client, clock):
    assert session_writes(client, reverse("account:login")) == (200, 0)
