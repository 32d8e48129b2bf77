"""Failures are visible to officers: on the record's page with "Send again", and in the admin; partners see
neither the messages nor the button, and auditors read without sending."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.outbox.models import MessageStatus, OutboxMessage
from programs.models import ProgrammeUpdate
from tests.factories import OutboxMessageFactory, ProgrammeUpdateFactory

pytestmark = pytest.mark.django_db

ERROR = "SMTPRecipientsRefused: {'sari@kerjasama.example': (550, b'5.1.1 No such user')}"


@pytest.fixture
def failed_update_email(own_programme, partner_user) -> OutboxMessage:
    update = ProgrammeUpdateFactory(programme=own_programme, author=partner_user, title="Wells dug")
    return OutboxMessageFactory(
        about=update,
        kind="programs.update_posted",
        recipient="sari@kerjasama.example",
        status=MessageStatus.FAILED,
        attempts=10,
        last_error=ERROR,
    )


def updates_section(response) -> str:
    html = response.content.decode()
    return html[html.index('id="updates"') :]


def test_an_officer_sees_the_failed_email_with_its_error_and_sends_it_again(
    client, officer, failed_update_email, own_programme, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    page = reverse("programs:detail", args=[own_programme.pk])
    section = updates_section(client.get(page))
    assert "Wells dug" in section and "sari@kerjasama.example" in section
    assert 'data-message-state="failed"' in section and "Failed" in section
    assert "No such user" in section and "gave up after 10 attempts" in section
    resend = reverse("outbox:resend", args=[failed_update_email.pk])
    assert f'action="{resend}"' in section and "Send again" in section

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend, {"next": f"{page}#updates"})
    assert response.status_code == 302 and response["Location"] == f"{page}#updates"
    failed_update_email.refresh_from_db()
    assert failed_update_email.status == MessageStatus.SENT
    assert [m.to for m in mail.outbox] == [["sari@kerjasama.example"]]
    section = updates_section(client.get(page))
    assert 'data-message-state="sent"' in section and "Send again" not in section


def test_an_auditor_reads_the_state_but_has_no_button_and_cannot_post(client, auditor, failed_update_email):
    client.force_login(auditor)
    programme = failed_update_email.about.programme
    section = updates_section(client.get(reverse("programs:detail", args=[programme.pk])))
    assert 'data-message-state="failed"' in section and "No such user" in section
    assert "Send again" not in section
    assert client.post(reverse("outbox:resend", args=[failed_update_email.pk])).status_code == 403
    failed_update_email.refresh_from_db()
    assert failed_update_email.status == MessageStatus.FAILED


def test_a_partner_sees_neither_the_message_nor_the_button(client, partner_user, failed_update_email):
    client.force_login(partner_user)
    programme = failed_update_email.about.programme
    portal = client.get(reverse("portal:programme", args=[programme.pk])).content.decode()
    assert "Wells dug" in portal  # their own update is there...
    assert "sari@kerjasama.example" not in portal and "No such user" not in portal and "Send again" not in portal
    # ...and the workspace page and the button are not theirs: "does not exist", not "forbidden".
    assert client.get(reverse("programs:detail", args=[programme.pk])).status_code == 404
    assert client.post(reverse("outbox:resend", args=[failed_update_email.pk])).status_code == 404
    failed_update_email.refresh_from_db()
    assert failed_update_email.status == MessageStatus.FAILED


def test_send_again_refuses_a_message_that_did_not_fail_and_says_why(client, officer, own_programme):
    sent = OutboxMessageFactory(about=ProgrammeUpdateFactory(programme=own_programme), status=MessageStatus.SENT)
    client.force_login(officer)
    for elsewhere in ("https://evil.example/", "//evil.example/", "NaN", "home"):
        response = client.post(reverse("outbox:resend", args=[sent.pk]), {"next": elsewhere})
        assert response["Location"] == reverse("home"), elsewhere  # never to another site, nor a guess
    response = client.post(reverse("outbox:resend", args=[sent.pk]), follow=True)
    assert "Only a message that failed can be sent again" in response.content.decode()
    sent.refresh_from_db()
    assert sent.status == MessageStatus.SENT


def test_the_programme_page_reads_the_emails_of_all_its_updates_in_one_query(client, officer, own_programme):
    client.force_login(officer)
    page = reverse("programs:detail", args=[own_programme.pk])

    def queries_for(updates: int) -> int:
        for _ in range(updates):
            OutboxMessageFactory(about=ProgrammeUpdateFactory(programme=own_programme), status=MessageStatus.SENT)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200
        return len(queries)

    assert queries_for(1) == queries_for(5)


# --- the admin --------------------------------------------------------------------------------------------------------


@pytest.fixture
def messages(own_programme):
    update = ProgrammeUpdateFactory(programme=own_programme)
    return {
        "failed": OutboxMessageFactory(
            about=update, recipient="ayu@ktm.example", status=MessageStatus.FAILED, last_error=ERROR
        ),
        "sent": OutboxMessageFactory(
            kind="finance.overdue_digest", recipient="sri@kerjasama.example", status=MessageStatus.SENT
        ),
        "secret": OutboxMessageFactory(
            kind="accounts.password_reset", body="https://k.example/reset/MQ/abc/", sensitive=True
        ),
    }


def test_the_admin_lists_filters_and_searches_messages_read_only(client, officer, messages):
    client.force_login(officer)
    changelist = reverse("admin:core_outboxmessage_changelist")

    def listed(**query) -> set[str]:
        response = client.get(changelist, query)
        assert response.status_code == 200
        return {message.recipient for message in response.context["cl"].result_list}

    assert listed() == {m.recipient for m in messages.values()}
    assert listed(status="failed") == {"ayu@ktm.example"}
    assert listed(kind="finance.overdue_digest") == {"sri@kerjasama.example"}
    assert listed(q="ayu@") == {"ayu@ktm.example"}
    page = client.get(changelist).content.decode()
    assert "Overdue digest to managers" in page  # kinds by their names
    assert client.get(reverse("admin:core_outboxmessage_add")).status_code == 403
    change = reverse("admin:core_outboxmessage_change", args=[messages["failed"].pk])
    assert "No such user" in client.get(change).content.decode()
    assert client.post(change, {"recipient": "x@example.org"}).status_code == 403
    secret = client.get(reverse("admin:core_outboxmessage_change", args=[messages["secret"].pk])).content.decode()
    assert "reset/MQ" not in secret and "not shown" in secret


def test_send_again_from_the_admin_goes_through_the_same_service(
    client, officer, messages, django_capture_on_commit_callbacks
):
    client.force_login(officer)
    changelist = reverse("admin:core_outboxmessage_changelist")
    chosen = [messages["failed"].pk, messages["sent"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(changelist, {"action": "send_again", "_selected_action": chosen}, follow=True)
    page = response.content.decode()
    assert "1 message will be sent again." in page
    assert "Only a message that failed can be sent again" in page  # the sent one, refused with its reason
    messages["failed"].refresh_from_db()
    assert messages["failed"].status == MessageStatus.SENT and messages["failed"].resent_by == officer


def test_auditors_read_the_outbox_in_the_admin_without_the_send_again_action(client, auditor, messages):
    client.force_login(auditor)
    response = client.get(reverse("admin:core_outboxmessage_changelist"))
    assert response.status_code == 200
    assert "send_again" not in response.content.decode()
    with_action = client.post(
        reverse("admin:core_outboxmessage_changelist"),
        {"action": "send_again", "_selected_action": [messages["failed"].pk]},
    )
    assert with_action.status_code in (200, 302)
    messages["failed"].refresh_from_db()
    assert messages["failed"].status == MessageStatus.FAILED


def test_partners_have_no_outbox_in_the_admin(client, partner_user, messages):
    partner_user.is_staff = True  # even one wrongly made staff
    partner_user.save(update_fields=["is_staff"])
    client.force_login(partner_user)
    assert client.get(reverse("admin:core_outboxmessage_changelist")).status_code == 403


def test_a_message_names_the_record_it_is_about(messages):
    failed = messages["failed"]
    assert failed.content_type == ContentType.objects.get_for_model(ProgrammeUpdate)
    assert isinstance(failed.about, ProgrammeUpdate)
    assert messages["sent"].about is None
