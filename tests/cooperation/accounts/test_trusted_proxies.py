"""One setting says how many proxies stand in front of the app; the login lockout and the API throttle both key on
the client address it implies, so clients behind the proxy neither share one lock nor escape it by forging."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.network import client_ip
from tests.factories import PASSWORD

PROXY = "10.0.0.2"
ALICE = "203.0.113.5"
BOB = "198.51.100.7"
TOKEN_URL = "/api/v1/auth/token/"


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


# --- the one function ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "proxies,remote,forwarded,expected",
    [
        (0, ALICE, None, ALICE),
        (0, ALICE, "1.2.3.4", ALICE),  # without proxies the header is anyone's to write: ignored
        (1, PROXY, ALICE, ALICE),
        (1, PROXY, f"6.6.6.6, {ALICE}", ALICE),  # a forged entry to the left of what the proxy wrote
        (1, PROXY, f" 6.6.6.6 ,  {ALICE} ", ALICE),
        (2, PROXY, f"6.6.6.6, {ALICE}, 10.0.0.1", ALICE),  # the address the outer of two proxies saw
        (2, PROXY, ALICE, ALICE),  # fewer entries than proxies: the leftmost one a proxy wrote
        (1, PROXY, None, PROXY),  # came past the proxy without the header
        (1, PROXY, "", PROXY),
        (1, PROXY, "not-an-address", PROXY),
        (1, PROXY, "2001:DB8::0001", "2001:db8::1"),
    ],
)
def test_the_client_address(settings, proxies, remote, forwarded, expected):
    settings.KERJASAMA_TRUSTED_PROXIES = proxies
    assert client_ip(request_from(remote, forwarded)) == expected


def test_the_lockout_and_the_throttles_use_it(settings):
    from axes.helpers import get_client_ip_address

    from cooperation.api.throttling import ScopedClientRateThrottle

    settings.KERJASAMA_TRUSTED_PROXIES = 1
    request = request_from(PROXY, f"6.6.6.6, {ALICE}")
    assert get_client_ip_address(request) == ALICE
    assert ScopedClientRateThrottle().get_ident(request) == ALICE


# --- the login lockout -------------------------------------------------------------------------------------


@pytest.fixture
def lockout(axes_on, officer):
    return axes_on


def web_login(client, password, *, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("account:login"), {"username": "officer", "password": password}, **extra)


def lock_out(client, lockout, *, remote, forwarded=None):
    for _ in range(lockout.AXES_FAILURE_LIMIT):
        web_login(client, "guess", remote=remote, forwarded=forwarded)


@pytest.mark.django_db
def test_behind_one_proxy_two_clients_do_not_share_a_lock(client, lockout):
    lockout.KERJASAMA_TRUSTED_PROXIES = 1
    lock_out(client, lockout, remote=PROXY, forwarded=ALICE)

    assert web_login(client, PASSWORD, remote=PROXY, forwarded=ALICE).status_code == 429
    assert web_login(client, PASSWORD, remote=PROXY, forwarded=BOB).status_code == 302


@pytest.mark.django_db
def test_behind_one_proxy_forged_entries_do_not_escape_the_lock(client, lockout):
    lockout.KERJASAMA_TRUSTED_PROXIES = 1
    lock_out(client, lockout, remote=PROXY, forwarded=ALICE)

    for forged in ("9.9.9.9", "9.9.9.9, 8.8.8.8", "unknown"):
        # The proxy appends the address it saw, whatever the client sent before it.
        response = web_login(client, PASSWORD, remote=PROXY, forwarded=f"{forged}, {ALICE}")
        assert response.status_code == 429, forged


@pytest.mark.django_db
def test_without_proxies_a_forged_header_is_ignored(client, lockout):
    lockout.KERJASAMA_TRUSTED_PROXIES = 0
    lock_out(client, lockout, remote=ALICE, forwarded="9.9.9.1")

    assert web_login(client, PASSWORD, remote=ALICE, forwarded="9.9.9.2").status_code == 429
    assert web_login(client, PASSWORD, remote=ALICE).status_code == 429
    assert web_login(client, PASSWORD, remote=BOB).status_code == 302


# --- the API token throttle (10 a minute) ----------------------------------------------------------------


def token_attempts(count, *, remote, forwarded=None):
    client = APIClient()
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return [
        client.post(TOKEN_URL, {"username": "officer", "password": "wrong"}, format="json", **extra).status_code
        for _ in range(count)
    ]


@pytest.mark.django_db
def test_behind_one_proxy_two_clients_do_not_share_a_throttle(settings, officer):
    settings.KERJASAMA_TRUSTED_PROXIES = 1

    assert token_attempts(11, remote=PROXY, forwarded=ALICE)[-1] == 429
    assert token_attempts(1, remote=PROXY, forwarded=BOB) == [400]


@pytest.mark.django_db
def test_behind_one_proxy_forged_entries_do_not_escape_the_throttle(settings, officer):
    settings.KERJASAMA_TRUSTED_PROXIES = 1
    token_attempts(10, remote=PROXY, forwarded=ALICE)

    for n, forged in enumerate(("9.9.9.9", "9.9.9.9, 8.8.8.8", "nonsense")):
        assert token_attempts(1, remote=PROXY, forwarded=f"{forged}, {ALICE}") == [429], n


@pytest.mark.django_db
def test_without_proxies_the_throttle_ignores_a_forged_header(settings, officer):
    settings.KERJASAMA_TRUSTED_PROXIES = 0
    statuses = [token_attempts(1, remote=ALICE, forwarded=f"9.9.9.{n}")[0] for n in range(11)]

    assert statuses == [400] * 10 + [429]
    assert token_attempts(1, remote=BOB) == [400]
