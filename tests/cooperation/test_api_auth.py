"""Token login for API clients, and what an API client without valid credentials gets."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.core.cache import cache
from rest_framework.test import APIClient

from cooperation.accounts.models import ApiToken, key_digest
from tests.api_errors import error_codes, error_fields
from tests.cooperation.accounts.helpers import enrol, fresh_code
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
PROGRAMMES = "/api/v1/programmes/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # The token throttle counts in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


def test_login_returns_a_token_that_opens_the_api(client, officer, own_programme):
    response = client.post(TOKEN_URL, {"username": "officer", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    token = response.json()["token"]
    stored = ApiToken.objects.get(user=officer)
    assert stored.key_digest == key_digest(token) and token not in str(stored.__dict__)
    assert response.json()["expires_at"]

    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listed = client.get(PROGRAMMES)
    assert listed.status_code == 200
    assert [p["code"] for p in listed.json()["results"]] == ["OWN-001"]


def test_each_login_gives_a_new_named_token_and_the_earlier_ones_keep_working(client, officer):
    first = client.post(TOKEN_URL, {"username": "officer", "password": PASSWORD}, format="json")
    second = client.post(TOKEN_URL, {"username": "officer", "password": PASSWORD, "name": "report"})  # a form post

    assert first.json()["token"] != second.json()["token"]
    assert sorted(ApiToken.objects.filter(user=officer).values_list("name", flat=True)) == ["API login", "report"]
    for token in (first.json()["token"], second.json()["token"]):
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        assert client.get(PROGRAMMES).status_code == 200


def test_a_partner_token_reaches_only_their_organisation(client, partner_user, own_programme, foreign_programme):
    token = client.post(TOKEN_URL, {"username": "partner", "password": PASSWORD}, format="json").json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert [p["code"] for p in client.get(PROGRAMMES).json()["results"]] == ["OWN-001"]
    assert client.get(f"{PROGRAMMES}{foreign_programme.pk}/").status_code == 404


def test_wrong_password_is_a_400_with_a_clear_message(client, officer):
    response = client.post(TOKEN_URL, {"username": "officer", "password": "wrong-password"}, format="json")

    assert response.status_code == 400
    assert error_fields(response) == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert error_codes(response) == {"non_field_errors": ["authorization"]}
    assert not ApiToken.objects.exists()


def test_inactive_user_gets_no_token(client):
    UserFactory(username="gone", is_active=False)

    response = client.post(TOKEN_URL, {"username": "gone", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    "body,content_type,field",
    [
        ('{"username": "officer"}', "application/json", "password"),
        ('{"password": "x"}', "application/json", "username"),
        ('{"username": "officer", "password": ', "application/json", ""),
        ("[]", "application/json", "non_field_errors"),
    ],
)
def test_incomplete_or_malformed_login_is_a_400(client, officer, body, content_type, field):
    response = client.generic("POST", TOKEN_URL, body, content_type=content_type)

    assert response.status_code == 400
    assert field in error_fields(response)


def test_token_requests_are_throttled(client, officer):
    statuses = [
        client.post(TOKEN_URL, {"username": "officer", "password": "wrong"}, format="json").status_code
        for _ in range(11)
    ]

    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429
    throttled = client.post(TOKEN_URL, {"username": "officer", "password": "wrong"}, format="json")
    assert error_codes(throttled) == {"": ["throttled"]}
    assert int(throttled["Retry-After"]) > 0
    # Even the right password waits until the window has passed.
    assert client.post(TOKEN_URL, {"username": "officer", "password": PASSWORD}).status_code == 429


def test_a_locked_out_username_gets_no_token(client, officer, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "officer", "password": "wrong"}, format="json")

    response = client.post(TOKEN_URL, {"username": "officer", "password": PASSWORD}, format="json")

    assert response.status_code == 429
    assert "locked" in error_fields(response)[""][0]
    # Its own code: waiting for the throttle window is not enough.
    assert error_codes(response) == {"": ["locked_out"]}
    assert not ApiToken.objects.exists()


def test_unknown_token_is_refused(client, own_programme):
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

    response = client.get(PROGRAMMES)

    assert response.status_code == 401
    assert error_codes(response) == {"": ["authentication_failed"]}


@pytest.mark.parametrize(
    "url", [PROGRAMMES, "/api/v1/partners/", "/api/v1/participations/", "/api/v1/programme-updates/", "/api/v1/"]
)
def test_anonymous_requests_are_refused(client, url):
    response = client.get(url)

    assert response.status_code == 401
    assert error_codes(response) == {"": ["not_authenticated"]}


def test_session_login_works_and_writes_need_the_csrf_token(officer):
    browser = APIClient(enforce_csrf_checks=True)
    browser.login(username="officer", password=PASSWORD)

    assert browser.get(PROGRAMMES).status_code == 200
    response = browser.post("/api/v1/partners/", {"name": "No CSRF", "kind": "22", "country": "ID"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in error_fields(response)[""][0]
    assert error_codes(response) == {"": ["permission_denied"]}


# --- two-factor login at the token endpoint ---------------------------------------------------------


def test_an_account_with_two_factor_needs_the_code_for_a_token(client, partner_user):
    device, _codes = enrol(partner_user)

    without = client.post(TOKEN_URL, {"username": "partner", "password": PASSWORD}, format="json")
    wrong = client.post(TOKEN_URL, {"username": "partner", "password": PASSWORD, "otp": "000000"}, format="json")

    assert without.status_code == 400 and "two-factor" in error_fields(without)["otp"][0]
    assert wrong.status_code == 400 and "not right" in error_fields(wrong)["otp"][0]
    assert not ApiToken.objects.exists()


def test_the_right_code_gives_a_token(client, partner_user):
    device, _codes = enrol(partner_user)

    response = client.post(
        TOKEN_URL, {"username": "partner", "password": PASSWORD, "otp": fresh_code(device)}, format="json"
    )

    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get(PROGRAMMES).status_code == 200


def test_a_recovery_code_gives_a_token_once(client, partner_user):
    _device, codes = enrol(partner_user)
    body = {"username": "partner", "password": PASSWORD, "otp": codes[0]}

    assert client.post(TOKEN_URL, body, format="json").status_code == 200
    assert client.post(TOKEN_URL, body, format="json").status_code == 400


def test_a_wrong_password_is_refused_before_any_code_is_asked_for(client, partner_user):
    device, _codes = enrol(partner_user)

    response = client.post(
        TOKEN_URL, {"username": "partner", "password": "wrong", "otp": fresh_code(device)}, format="json"
    )

    assert response.status_code == 400
    assert "otp" not in error_fields(response)


def test_wrong_codes_count_toward_the_lockout(client, partner_user, settings):
    settings.AXES_ENABLED = True
    body = {"username": "partner", "password": PASSWORD, "otp": "000000"}
    with time_machine.travel(datetime(2026, 5, 4, 9, 0, 5, tzinfo=UTC), tick=False) as clock:
        device, _codes = enrol(partner_user)
        statuses = []
        for _ in range(settings.AXES_FAILURE_LIMIT):
            clock.shift(20)  # past the device's own wait after a wrong code
            statuses.append(client.post(TOKEN_URL, body, format="json").status_code)
        clock.shift(20)
        right = client.post(TOKEN_URL, {**body, "otp": fresh_code(device)}, format="json")

    assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    assert right.status_code == 429
    assert not ApiToken.objects.exists()


def test_a_manager_who_must_enrol_gets_no_token_until_they_do(client, manager, settings):
    settings.KERJASAMA_2FA_ENFORCED = True

    response = client.post(TOKEN_URL, {"username": "manager", "password": PASSWORD}, format="json")

    assert response.status_code == 403
    assert "two-factor" in error_fields(response)[""][0]
    assert not ApiToken.objects.exists()
