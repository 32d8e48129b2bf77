"""Applying online: kept aside until the emailed link is opened, then registered once like a paper application;
a private status link shows that one application alone; spam, expired links and files that are not PDF refused
with nothing kept nor sent."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from cooperation.outbox.models import OutboxMessage
from cooperation.refusals import refusal_codes
from programs.scholarships import selectors
from programs.scholarships.models import Application, ApplicationSource, Attachment, OnlineSubmission
from programs.scholarships.services import online
from programs.scholarships.services.refusals import ScholarshipRefusal
from programs.scholarships.tasks import expire_online_submissions
from tests.factories import country
from tests.programs.scholarships.factories import PDF_BYTES, CallFactory, days_ago, pdf, staff, submit

pytestmark = pytest.mark.django_db

QUESTIONS = ["Do you hold a bachelor's degree?", "Can you start in September?"]


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()


@pytest.fixture
def call(db):
    return CallFactory(online_applications=True, eligibility_questions=QUESTIONS)


def values(**overrides) -> dict:
    return {
        "applicant_name": "Maria da Costa",
        "email": "maria@mail.example",
        "nationality": country("TL"),
        "gender": "female",
        "date_of_birth": datetime.date(1999, 2, 3),
        "current_institution": "Universidade Nacional Timor Lorosa'e",
        "degree": "BSc Civil Engineering",
        "field_of_study": "Water engineering",
        "motivation": "Clean water for rural Timor.",
    } | overrides


def send(call, *, language="en", client_ip="203.0.113.7", seconds_taken=60, now=None, **overrides):
    now = now or timezone.now()
    arguments = {
        "call": call,
        "language": language,
        "answers": [True, False],
        "attachments": [pdf("cv.pdf")],
        "started": online.form_started(now - datetime.timedelta(seconds=seconds_taken)),
        "client_ip": client_ip,
        "now": now,
        **values(),
    } | overrides
    return online.online_application_send(**arguments)


def codes(error: ValidationError) -> set[str]:
    return set(refusal_codes(error))


def link_in(message, name: str) -> str:
    return re.search(rf"http\S+/apply/{name}/(\S+)/", message.body).group(1)


def test_sending_registers_nothing_and_emails_a_confirmation_link(call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submission, key = send(call)
    assert Application.objects.count() == 0
    assert submission.confirm_digest != key and key not in str(submission.__dict__)
    [email] = mail.outbox
    assert email.to == ["maria@mail.example"]
    assert email.subject == f"Confirm your application to {call.title}"
    assert link_in(email, "confirm") == key
    # The link is a secret: the outbox row's body is erased once it was sent.
    assert OutboxMessage.objects.get().body == ""


def test_the_email_speaks_the_language_the_applicant_used(call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send(call, language="id")
    [email] = mail.outbox
    assert email.extra_headers["Content-Language"] == "id"
    assert "/apply/confirm/" in email.body


def test_confirming_registers_the_application_once_as_an_online_one(call):
    _submission, key = send(call)
    application, status_key = online.online_application_confirm(key=key)
    assert application.source == ApplicationSource.ONLINE
    assert application.submitted_by is None
    assert application.eligibility_answers == [
        {"question": QUESTIONS[0], "answer": True},
        {"question": QUESTIONS[1], "answer": False},
    ]
    [attachment] = application.attachments.all()
    assert (attachment.original_name, attachment.file.read()) == ("cv.pdf", PDF_BYTES)
    # Officers see it like any other application.
    assert list(selectors.application_list(user=staff())) == [application]
    with pytest.raises(ValidationError) as again:
        online.online_application_confirm(key=key)
    assert codes(again.value) == {ScholarshipRefusal.ALREADY_CONFIRMED}
    assert Application.objects.count() == 1 and Attachment.objects.count() == 1
    # What waited is erased once it moved into the application.
    waiting = OnlineSubmission.objects.get()
    assert (waiting.details, waiting.files) == ({}, [])
    assert waiting.status_digest != status_key


def test_the_status_link_shows_its_own_application_only(call):
    first, _ = online.online_application_confirm(key=send(call)[1])
    second, second_key = online.online_application_confirm(
        key=send(call, email="budi@mail.example", client_ip="203.0.113.8")[1]
    )
    assert selectors.online_status(second_key) == second != first
    assert selectors.online_status("not-a-key") is None
    assert selectors.online_status("") is None


def test_an_expired_link_registers_nothing_and_the_cleanup_deletes_it(call, settings):
    submission, key = send(call, attachments=[pdf("cv.pdf")])
    stored = settings.PRIVATE_MEDIA_ROOT / submission.files[0]["stored"]
    assert stored.exists()
    later = timezone.now() + datetime.timedelta(hours=49)
    with pytest.raises(ValidationError) as refused:
        online.online_application_confirm(key=key, now=later)
    assert codes(refused.value) == {ScholarshipRefusal.LINK_EXPIRED}
    assert Application.objects.count() == 0
    assert online.online_submissions_expire(now=later) == 1
    assert OnlineSubmission.objects.count() == 0
    with pytest.raises(ValidationError) as gone:
        online.online_application_confirm(key=key, now=later)
    assert codes(gone.value) == {ScholarshipRefusal.LINK_UNKNOWN}


def test_the_hourly_cleanup_keeps_what_still_waits_and_what_was_confirmed(call):
    send(call)
    online.online_application_confirm(key=send(call, email="budi@mail.example")[1])
    assert expire_online_submissions() == 0
    assert OnlineSubmission.objects.count() == 2


def test_the_expired_files_are_deleted_once_the_cleanup_commits(call, settings, django_capture_on_commit_callbacks):
    submission, _key = send(call)
    stored = settings.PRIVATE_MEDIA_ROOT / submission.files[0]["stored"]
    with django_capture_on_commit_callbacks(execute=True):
        online.online_submissions_expire(now=timezone.now() + datetime.timedelta(hours=49))
    assert not stored.exists()


def refused(call, **overrides) -> set[str]:
    with pytest.raises(ValidationError) as error:
        send(call, **overrides)
    assert OnlineSubmission.objects.count() == 0 and OutboxMessage.objects.count() == 0
    return codes(error.value)


def test_the_honeypot_refuses_with_a_clear_message_and_keeps_nothing(call):
    with pytest.raises(ValidationError) as error:
        send(call, honeypot="http://spam.example")
    assert "only automated programs do" in error.value.messages[0]
    assert codes(error.value) == {ScholarshipRefusal.SPAM_SUSPECTED}
    assert OnlineSubmission.objects.count() == 0 and OutboxMessage.objects.count() == 0


def test_a_form_sent_faster_than_a_person_fills_it_in(call):
    assert refused(call, seconds_taken=1) == {ScholarshipRefusal.SENT_TOO_FAST}


def test_a_forged_or_missing_timestamp(call):
    assert refused(call, started="1700000000:forged") == {ScholarshipRefusal.FORM_EXPIRED}
    assert refused(call, started="") == {ScholarshipRefusal.FORM_EXPIRED}


def test_too_many_from_one_address(call, settings):
    settings.ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR = 2
    send(call, email="a@mail.example")
    send(call, email="b@mail.example")
    with pytest.raises(ValidationError) as error:
        send(call, email="c@mail.example")
    assert codes(error.value) == {ScholarshipRefusal.TOO_MANY_SUBMISSIONS}
    assert "Too many applications" in error.value.messages[0]
    assert OnlineSubmission.objects.count() == 2
    # Another address is not held back.
    assert send(call, email="c@mail.example", client_ip="198.51.100.1")[0].pk


def test_too_many_for_one_email(call, settings):
    settings.ONLINE_APPLICATIONS_PER_EMAIL_PER_DAY = 1
    send(call, client_ip="203.0.113.1")
    with pytest.raises(ValidationError) as error:
        send(call, email=" MARIA@mail.example", client_ip="203.0.113.2")
    assert codes(error.value) == {ScholarshipRefusal.TOO_MANY_SUBMISSIONS}
    assert OnlineSubmission.objects.count() == 1


def test_only_pdf_files(call):
    with pytest.raises(ValidationError) as error:
        send(call, attachments=[pdf("cv.pdf", b"GIF89a not a pdf")])
    assert "is not a PDF file" in error.value.message_dict["attachments"][0]
    assert OnlineSubmission.objects.count() == 0 and OutboxMessage.objects.count() == 0


def test_every_eligibility_question_needs_an_answer(call):
    with pytest.raises(ValidationError) as error:
        send(call, answers=[True])
    assert error.value.message_dict["eligibility_answers"] == ["Answer every eligibility question with yes or no."]


def test_a_call_not_published_or_closed_takes_no_online_application():
    assert refused(CallFactory(online_applications=False)) == {ScholarshipRefusal.CALL_NOT_OPEN}
    closed = CallFactory(online_applications=True, opens_on=days_ago(60), closes_on=days_ago(1))
    assert refused(closed) == {ScholarshipRefusal.CALL_NOT_OPEN}


def test_what_a_paper_application_is_refused_for_is_refused_online_too(call):
    submit(call, email="maria@mail.example")
    with pytest.raises(ValidationError) as error:
        send(call)
    assert error.value.message_dict["email"] == ["Someone with this email has already applied to this call."]
    with pytest.raises(ValidationError) as error:
        send(call, email="x@mail.example", nationality=country("AU"))
    assert "nationality" in error.value.message_dict


def test_a_paper_application_in_between_makes_the_confirmation_a_duplicate(call):
    _submission, key = send(call)
    submit(call, email="Maria@mail.example")
    with pytest.raises(ValidationError) as error:
        online.online_application_confirm(key=key)
    assert "email" in error.value.message_dict
    assert Application.objects.count() == 1


def test_sent_on_the_closing_day_and_confirmed_the_day_after_is_in_time(call):
    call.closes_on = days_ago(1)
    call.save()
    _submission, key = send(call, now=timezone.now() - datetime.timedelta(days=1))
    application, _status = online.online_application_confirm(key=key)
    assert application.submitted_on == days_ago(1)


def test_the_cleanup_is_on_the_beat_schedule():
    from config.celery import app

    app.finalize()
    entry = app.conf.beat_schedule["online-applications-expiry"]
    assert entry["task"] == "programs.scholarships.tasks.expire_online_submissions"


def test_a_confirmation_no_longer_wanted_is_not_sent(call):
    submission, key = send(call)
    message = OutboxMessage.objects.get()
    assert online.confirmation_still_wanted(message)
    online.online_application_confirm(key=key)
    assert not online.confirmation_still_wanted(message)


def test_officers_tell_online_applications_from_paper_ones_in_the_api_and_the_list(call, client):
    _submission, key = send(call)
    online_application, _status_key = online.online_application_confirm(key=key)
    officer = staff()
    paper = submit(call, by=officer, email="paper@mail.example")
    api = APIClient()
    api.force_authenticate(officer)

    rows = {row["id"]: row for row in api.get("/api/v1/scholarship-applications/").json()["results"]}
    assert rows[online_application.pk]["source"] == "online"
    assert rows[online_application.pk]["submitted_by"] is None
    assert rows[online_application.pk]["eligibility_answers"] == [
        {"question": QUESTIONS[0], "answer": True},
        {"question": QUESTIONS[1], "answer": False},
    ]
    assert (rows[paper.pk]["source"], rows[paper.pk]["submitted_by"]) == ("paper", officer.pk)
    assert rows[paper.pk]["eligibility_answers"] == []

    only_online = api.get("/api/v1/scholarship-applications/", {"source": "online"}).json()["results"]
    assert [row["id"] for row in only_online] == [online_application.pk]
    refused = api.get("/api/v1/scholarship-applications/", {"source": "fax"})
    assert refused.status_code == 400
    assert [error["attr"] for error in refused.json()["errors"]] == ["source"]

    client.force_login(officer)
    page = client.get(reverse("scholarships:application_list"), {"source": "paper"}).content.decode()
    assert f'href="{reverse("scholarships:application_detail", args=[paper.pk])}"' in page
    assert reverse("scholarships:application_detail", args=[online_application.pk]) not in page
