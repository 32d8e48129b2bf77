"""API tokens end: after their lifetime, at logout, on a password change or reset; and each user manages their own."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.accounts import services
from cooperation.accounts.models import ApiToken, RevokeReason, SecurityEvent
from tests.api_errors import error_fields
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
LOGOUT_URL = "/api/v1/auth/logout/"
TOKENS_URL = "/api/v1/auth/tokens/"
PROGRAMMES = "/api/v1/programmes/"
NEW_PASSWORD = "tanjung-priok-harbour-42"


def api(key=None) -> APIClient:
    client = APIClient()
    if key:
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def opens_the_api(key) -> bool:
    return api(key).get(PROGRAMMES).status_code == 200


def token_for(user, name="script"):
    return services.api_token_issue(user=user, name=name)


# --- expiry ------------------------------------------------------------------------------------------------


def test_a_token_ends_after_its_lifetime(officer, clock, settings):
    settings.API_TOKEN_TTL_HOURS = 24
    _token, key = token_for(officer)

    clock.shift(24 * 3600 - 1)
    assert opens_the_api(key)
    clock.shift(2)
    response = api(key).get(PROGRAMMES)

    assert response.status_code == 401
    assert "expired" in error_fields(response)[""][0]


def test_the_lifetime_is_a_setting(officer, clock, settings):
    settings.API_TOKEN_TTL_HOURS = 1
    token, key = token_for(officer)

    assert token.expires_at == token.created_at + timedelta(hours=1)
    clock.shift(3601)
    assert not opens_the_api(key)


def test_using_a_token_stamps_it_at_most_once_a_minute(officer, clock):
    token, key = token_for(officer)
    client = api(key)
    client.get(PROGRAMMES)
    token.refresh_from_db()
    first_use = token.last_used_at
    assert first_use is not None

    clock.shift(30)
    client.get(PROGRAMMES)
    token.refresh_from_db()
    assert token.last_used_at == first_use
    clock.shift(31)
    client.get(PROGRAMMES)
    token.refresh_from_db()
    assert token.last_used_at > first_use


# --- revocation ------------------------------------------------------------------------------------------


def test_api_logout_ends_the_presenting_token_only(officer):
    _one, key = token_for(officer, "laptop")
    _other, other_key = token_for(officer, "server")

    response = api(key).post(LOGOUT_URL)

    assert response.status_code == 204
    assert not opens_the_api(key)
    assert error_fields(api(key).get(PROGRAMMES)) == {"": ["Invalid token."]}
    assert opens_the_api(other_key)
    assert ApiToken.objects.get(name="laptop").revoked_reason == RevokeReason.LOGOUT


def test_api_logout_needs_a_token_not_a_session(client, officer):
    client.force_login(officer)
    assert client.post(LOGOUT_URL).status_code in (401, 403)


def test_web_logout_ends_every_token_of_the_user_and_nobody_elses(client, officer, manager):
    _a, key_a = token_for(officer)
    _b, key_b = token_for(officer)
    _m, manager_key = token_for(manager)
    client.force_login(officer)

    client.post(reverse("account:logout"))

    assert not opens_the_api(key_a) and not opens_the_api(key_b)
    assert opens_the_api(manager_key)
    assert SecurityEvent.objects.filter(user=officer, kind=SecurityEvent.Kind.TOKENS_REVOKED).exists()


def test_a_password_change_ends_every_token(client, officer):
    _token, key = token_for(officer)
    client.force_login(officer)

    response = client.post(
        reverse("account:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert not opens_the_api(key)
    assert ApiToken.objects.get().revoked_reason == RevokeReason.PASSWORD
    # The browser that changed the password stays logged in.
    assert client.get(reverse("account:profile")).status_code == 200


def test_a_refused_password_change_ends_nothing(client, officer):
    _token, key = token_for(officer)
    client.force_login(officer)

    client.post(reverse("account:password_change"), {"old_password": "wrong", "new_password1": "x"})

    assert opens_the_api(key)


def test_a_password_reset_ends_every_token(client, officer, mailoutbox, django_capture_on_commit_callbacks):
    officer.email = "officer@kerjasama.example"
    officer.save(update_fields=["email"])
    _token, key = token_for(officer)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account:password_reset"), {"email": "officer@kerjasama.example"})
    link = re.search(r"https?://[^/\s]+(/\S+)", mailoutbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert get_user_model().objects.get(pk=officer.pk).check_password(NEW_PASSWORD)
    assert not opens_the_api(key)


def test_a_password_set_anywhere_else_ends_every_token_too(officer):
    _token, key = token_for(officer)

    officer.set_password(NEW_PASSWORD)  # the admin's form and manage.py changepassword do this
    officer.save()

    assert not opens_the_api(key)


def test_the_idle_limit_ends_the_browser_session_but_not_the_tokens(client, officer, clock):
    _token, key = token_for(officer)
    client.force_login(officer)

    clock.shift(31 * 60)
    assert client.get("/programmes/").status_code == 302

    assert opens_the_api(key)


def test_a_user_holds_at_most_twenty_live_tokens(officer):
    keys = [token_for(officer, f"t{n}")[1] for n in range(21)]

    assert ApiToken.objects.filter(user=officer).live().count() == 20
    assert not opens_the_api(keys[0])
    assert opens_the_api(keys[-1])


# --- one's own tokens, over the API -----------------------------------------------------------------------


def test_a_user_lists_only_their_own_live_tokens(officer, manager):
    mine, key = token_for(officer, "laptop")
    revoked, _ = token_for(officer, "old")
    services.api_token_revoke(token=revoked)
    token_for(manager, "theirs")

    response = api(key).get(TOKENS_URL)

    assert response.status_code == 200
    listed = response.json()["results"]
    assert [(t["name"], t["current"]) for t in listed] == [("laptop", True)]
    assert listed[0]["prefix"] == key[:8]
    assert "token" not in listed[0] and "key" not in listed[0]


def test_a_user_revokes_their_own_token(officer):
    _mine, key = token_for(officer, "laptop")
    other, other_key = token_for(officer, "server")

    response = api(key).delete(f"{TOKENS_URL}{other.pk}/")

    assert response.status_code == 204
    assert not opens_the_api(other_key)
    assert opens_the_api(key)


def test_another_users_token_is_a_404_and_stays_alive(officer, manager):
    _mine, key = token_for(officer)
    theirs, their_key = token_for(manager)

    assert api(key).get(f"{TOKENS_URL}{theirs.pk}/").status_code == 404
    assert api(key).delete(f"{TOKENS_URL}{theirs.pk}/").status_code == 404
    assert opens_the_api(their_key)


def test_an_anonymous_client_lists_nothing():
    assert api().get(TOKENS_URL).status_code == 401


# --- one's own tokens, on the web --------------------------------------------------------------------------


def test_the_tokens_page_makes_a_token_and_shows_its_key_once(client, officer):
    client.force_login(officer)

    made = client.post(reverse("account:api_tokens"), {"name": "nightly report"})

    key = re.search(r'id="new-token-key">([^<]+)<', made.content.decode()).group(1)
    assert opens_the_api(key)
    page = client.get(reverse("account:api_tokens")).content.decode()
    assert "nightly report" in page and key[:8] in page and key not in page


def test_the_tokens_page_refuses_a_nameless_token(client, officer):
    client.force_login(officer)
    response = client.post(reverse("account:api_tokens"), {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_tokens_page_revokes_one_and_never_another_users(client, officer, manager):
    mine, key = token_for(officer)
    theirs, their_key = token_for(manager)
    client.force_login(officer)

    assert client.post(reverse("account:api_token_revoke", args=[theirs.pk])).status_code == 404
    assert opens_the_api(their_key)
    assert client.post(reverse("account:api_token_revoke", args=[mine.pk])).status_code == 302
    assert not opens_the_api(key)


def test_the_tokens_page_revokes_them_all(client, officer):
    keys = [token_for(officer)[1] for _ in range(3)]
    client.force_login(officer)

    response = client.post(reverse("account:api_tokens_revoke_all"), follow=True)

    assert "3 tokens revoked" in response.content.decode()
    assert not any(opens_the_api(key) for key in keys)
