"""The public pages of a call, in English and Bahasa Indonesia, without logging in: the form with the call's
eligibility questions, the refusals next to their fields, the closed call, the confirmation and status links."""

import datetime
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from programs.scholarships.models import Application, ApplicationSource, OnlineSubmission
from programs.scholarships.services import online
from tests.factories import country
from tests.programs.scholarships.factories import CallFactory, days_ago, pdf, send_online, staff

pytestmark = pytest.mark.django_db

QUESTIONS = ["Do you work at a community radio station?"]


@pytest.fixture(autouse=True)
def _fresh_counters():
    cache.clear()


@pytest.fixture
def call(db):
    return CallFactory(online_applications=True, eligibility_questions=QUESTIONS, title="Community radio course")


def text(response) -> str:
    return response.content.decode()


def page(call) -> str:
    return reverse("scholarships_public:call", args=[call.pk])


def form_data(**overrides) -> dict:
    started = online.form_started(timezone.now() - datetime.timedelta(minutes=2))
    return {
        "started": started,
        "applicant_name": "Maria da Costa",
        "email": "maria@mail.example",
        "nationality": country("TL").pk,
        "gender": "female",
        "date_of_birth": "1999-02-03",
        "current_institution": "UNTL",
        "degree": "BSc",
        "field_of_study": "Water engineering",
        "motivation": "Clean water.",
        "question_0": "yes",
        "website": "",
        "attachments": [pdf("cv.pdf")],
    } | overrides


def in_indonesian(client):
    client.cookies["django_language"] = "id"


def test_anyone_opens_the_call_and_its_form(client, call):
    response = client.get(page(call))
    assert response.status_code == 200
    body = text(response)
    assert "Community radio course" in body
    assert QUESTIONS[0] in body
    assert 'class="form-trap"' in body and "style=" not in body
    assert 'name="started"' in body


def test_the_page_speaks_indonesian_when_chosen(client, call):
    in_indonesian(client)
    response = client.get(page(call))
    assert response.status_code == 200
    assert '<html lang="id">' in text(response)


def test_the_list_shows_only_calls_open_online(client, call):
    CallFactory(title="Paper only")
    CallFactory(online_applications=True, title="Closed long ago", opens_on=days_ago(90), closes_on=days_ago(30))
    body = text(client.get(reverse("scholarships_public:calls")))
    assert "Community radio course" in body
    assert "Paper only" not in body and "Closed long ago" not in body


@pytest.mark.parametrize("language", ["en", "id"])
def test_applying_sends_the_email_in_the_language_used(client, call, language, django_capture_on_commit_callbacks):
    if language == "id":
        in_indonesian(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(call), form_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("scholarships_public:sent", args=[call.pk])
    assert Application.objects.count() == 0
    [email] = mail.outbox
    assert email.extra_headers["Content-Language"] == language
    assert OnlineSubmission.objects.get().language == language
    assert client.get(response["Location"]).status_code == 200


def test_a_wrong_field_is_shown_next_to_it_and_nothing_is_kept(client, call):
    response = client.post(page(call), form_data(nationality=country("AU").pk, question_0=""))
    assert response.status_code == 400
    body = text(response)
    assert "Nationals of Australia are not eligible" in body or "Answer yes or no." in body
    assert OnlineSubmission.objects.count() == 0 and mail.outbox == []


def test_a_file_that_is_not_a_pdf_is_refused_next_to_the_files(client, call):
    response = client.post(page(call), form_data(attachments=[pdf("photo.pdf", b"\x89PNG not a pdf")]))
    assert response.status_code == 400
    assert "is not a PDF file" in text(response)
    assert OnlineSubmission.objects.count() == 0


def test_the_honeypot_refuses_with_a_clear_message(client, call):
    response = client.post(page(call), form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert "only automated programs do" in text(response)
    assert OnlineSubmission.objects.count() == 0


def test_the_honeypot_message_in_indonesian(client, call):
    in_indonesian(client)
    response = client.post(page(call), form_data(website="http://spam.example"))
    assert response.status_code == 400
    with translation.override("id"):
        expected = str(online._spam_refused().messages[0])
    assert escape(expected) in text(response)


def test_a_form_sent_within_seconds_is_refused(client, call):
    response = client.post(page(call), form_data(started=online.form_started()))
    assert response.status_code == 400
    assert "too quickly" in text(response)


def test_the_rate_limit_per_address(client, call, settings):
    settings.ONLINE_APPLICATIONS_PER_ADDRESS_PER_HOUR = 1
    assert client.post(page(call), form_data()).status_code == 302
    response = client.post(page(call), form_data(email="other@mail.example"))
    assert response.status_code == 400
    assert "Too many applications" in text(response)
    assert OnlineSubmission.objects.count() == 1


@pytest.mark.parametrize(
    "dates", [(days_ago(60), days_ago(1)), (days_ago(-5), days_ago(-30))], ids=["closed", "not yet open"]
)
def test_a_closed_call_shows_no_form_and_refuses_a_post(client, dates):
    call = CallFactory(online_applications=True, opens_on=dates[0], closes_on=dates[1])
    response = client.get(page(call))
    assert response.status_code == 200
    assert "This call is closed" in text(response) and '<form method="post" enctype' not in text(response)
    assert client.post(page(call), form_data()).status_code == 403
    assert OnlineSubmission.objects.count() == 0


def test_a_call_not_published_says_closed_and_tells_nothing_of_it(client):
    call = CallFactory(title="Internal draft")
    body = text(client.get(page(call)))
    assert "This call is closed" in body and "Internal draft" not in body
    assert client.post(page(call), form_data()).status_code == 403


def test_the_confirmation_link_registers_and_shows_the_status_link(client, call):
    _submission, key = send_online(call, answers=[True])
    response = client.get(reverse("scholarships_public:confirm", args=[key]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    application = Application.objects.get()
    assert application.source == ApplicationSource.ONLINE
    status_url = re.search(r'href="(http[^"]+/apply/status/[^"]+/)"', text(response)).group(1)
    status = client.get(status_url)
    assert status.status_code == 200
    assert "Submitted" in text(status) and "Maria da Costa" in text(status)
    again = client.get(reverse("scholarships_public:confirm", args=[key]))
    assert again.status_code == 200
    assert "already registered" in text(again)
    assert Application.objects.count() == 1


def test_the_status_page_in_indonesian(client, call):
    _application, status_key = online.online_application_confirm(key=send_online(call, answers=[True])[1])
    in_indonesian(client)
    response = client.get(reverse("scholarships_public:status", args=[status_key]))
    with translation.override("id"):
        label = str(Application(status="submitted").get_status_display())
    assert response.status_code == 200 and label in text(response)


def test_an_unknown_link_is_not_found_and_an_expired_one_is_gone(client, call):
    assert client.get(reverse("scholarships_public:confirm", args=["nonsense"])).status_code == 404
    assert client.get(reverse("scholarships_public:status", args=["nonsense"])).status_code == 404
    submission, key = send_online(call, answers=[True])
    OnlineSubmission.objects.filter(pk=submission.pk).update(expires_at=timezone.now() - datetime.timedelta(hours=1))
    response = client.get(reverse("scholarships_public:confirm", args=[key]))
    assert response.status_code == 410
    assert "expired" in text(response)
    assert Application.objects.count() == 0


def test_officers_see_the_online_application_with_its_answers(client, call):
    online.online_application_confirm(key=send_online(call, answers=[False])[1])
    application = Application.objects.get()
    client.force_login(staff())
    body = text(client.get(reverse("scholarships:application_detail", args=[application.pk])))
    assert 'data-source="online"' in body
    assert QUESTIONS[0] in body
    listing = text(client.get(reverse("scholarships:application_list")))
    assert "Maria da Costa" in listing


def test_the_officer_publishes_a_call_from_its_form(client, call):
    client.force_login(staff())
    body = text(client.get(reverse("scholarships:call_detail", args=[call.pk])))
    assert reverse("scholarships_public:call", args=[call.pk]) in body
    edit = text(client.get(reverse("scholarships:call_edit", args=[call.pk])))
    assert 'name="online_applications"' in edit and QUESTIONS[0] in edit
