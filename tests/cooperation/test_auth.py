"""Logging in, locking out after repeated failures, resetting a forgotten password, password rules."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.roles import Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "tanjung-priok-harbour-42"


@pytest.fixture
def user(db):
    return UserFactory(username="wulan", email="wulan@kerjasama.example", role=Role.OFFICER)


@pytest.fixture
def axes_on(settings):
    from axes.utils import reset

    settings.AXES_ENABLED = True
    reset()
    yield
    reset()


def log_in(client, username, password):
    return client.post(reverse("account:login"), {"username": username, "password": password})


def test_login_page_shows_the_form(client):
    page = client.get(reverse("account:login"))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'name="username"' in content and 'name="password"' in content


def test_right_password_logs_in(client, user):
    response = log_in(client, "wulan", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("account:profile")).status_code == 200
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_password_shows_an_error_and_does_not_log_in(client, user):
    response = log_in(client, "wulan", "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_five_wrong_passwords_lock_the_account(client, user, axes_on):
    for _ in range(4):
        assert log_in(client, "wulan", "guess").status_code == 200
    locked = log_in(client, "wulan", "guess")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()
    # Even the right password is refused while the lock lasts.
    assert log_in(client, "wulan", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_lock_is_per_username(client, user, axes_on):
    UserFactory(username="other", role=Role.OFFICER)
    for _ in range(5):
        log_in(client, "wulan", "guess")
    assert log_in(client, "other", PASSWORD).status_code == 302


def test_password_reset_email_link_sets_a_new_password(client, user, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account:password_reset"), {"email": "wulan@kerjasama.example"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["wulan@kerjasama.example"]
    link = re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)
    # It left through the outbox, which keeps no copy of the link once it is sent.
    row = OutboxMessage.objects.get(kind="accounts.password_reset")
    assert (row.recipient, row.status, row.sensitive, row.body) == (user.email, MessageStatus.SENT, True, "")

    # The link swaps the token for a session and redirects to the set-password form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    assert "new_password1" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]

    done = client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("account:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    client.logout()
    assert log_in(client, "wulan", NEW_PASSWORD).status_code == 302
    # The link works once.
    assert "new_password1" not in client.get(link, follow=True).content.decode()


def test_password_reset_for_unknown_email_sends_nothing_and_reveals_nothing(
    client, user, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account:password_reset"), {"email": "nobody@kerjasama.example"})
    assert response.status_code == 302
    assert mailoutbox == []
    assert not OutboxMessage.objects.exists()


def test_password_validators_reject_a_short_numeric_password(user):
    with pytest.raises(ValidationError) as error:
        validate_password("12345", user=user)
    assert len(error.value.messages) >= 2  # too short, entirely numeric (and common)


def test_weak_password_is_refused_on_the_change_form(client, user):
    client.force_login(user)
    response = client.post(
        reverse("account:password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert get_user_model().objects.get(pk=user.pk).check_password(PASSWORD)
