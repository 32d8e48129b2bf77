"""The officers' call pages: the list and its filters, the call's page, the call form with its rubric, and recording
an application received (every refusal next to its field, nothing saved, no file left on disk)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.scholarships.models import Application, Attachment, Call, Criterion, Level
from tests.factories import ProgrammeFactory, country
from tests.programs.scholarships.factories import (
    PDF_BYTES,
    ApplicationFactory,
    CallFactory,
    days_ago,
    eligible,
    pdf,
    submit,
    take_part,
)

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def url(name, *args) -> str:
    return reverse(f"scholarships:{name}", args=args)


def call_data(programme, host, **overrides) -> dict:
    data = {
        "programme": programme.pk,
        "title": "Doctoral fellowships in marine science",
        "description": "Three years at the host university.",
        "host": host.pk,
        "level": Level.DOCTORAL,
        "fields_of_study": "Marine science\nFisheries",
        "eligible_countries": ["TL", "PG"],
        "opens_on": days_ago(1).isoformat(),
        "closes_on": days_ago(-60).isoformat(),
        "awards_available": "3",
        "stipend_amount": "1500.00",
        "stipend_currency": "USD",
        "stipend_frequency": "monthly",
        "duration_months": "36",
        "responsible_officer": "",
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Research proposal",
        "criteria-0-weight": "2",
        "criteria-1-name": "Publications",
        "criteria-1-weight": "1.5",
        "criteria-2-name": "",
        "criteria-2-weight": "",
    }
    return data | overrides


@pytest.fixture
def programme(partner_org):
    programme = ProgrammeFactory(code="TC-001", title="Ocean science cooperation")
    take_part(programme, partner_org)
    return programme


@pytest.fixture
def call(partner_org):
    return CallFactory(host=partner_org, title="Water engineering masters")


# --- the list and the call's page ---------------------------------------------------------------------------------


def test_list_filters_by_state_level_host_and_programme(client, officer, partner_org, other_org):
    CallFactory(title="Open masters", host=partner_org)
    CallFactory(title="Closed doctorates", level=Level.DOCTORAL, opens_on=days_ago(90), closes_on=days_ago(10))
    CallFactory(title="Upcoming short course", level=Level.SHORT_COURSE, opens_on=days_ago(-5), closes_on=days_ago(-40))
    client.force_login(officer)

    def titles(**params) -> set[str]:
        body = text(client.get(url("call_list"), params))
        return {title for title in ("Open masters", "Closed doctorates", "Upcoming short course") if title in body}

    assert titles() == {"Open masters", "Closed doctorates", "Upcoming short course"}
    assert titles(state="open") == {"Open masters"}
    assert titles(state="closed") == {"Closed doctorates"}
    assert titles(state="upcoming") == {"Upcoming short course"}
    assert titles(level="doctoral") == {"Closed doctorates"}
    assert titles(host=partner_org.pk) == {"Open masters"}
    assert titles(q="short") == {"Upcoming short course"}
    assert client.get(url("call_list"), {"state": "bogus", "host": "x", "page": "9"}).status_code == 200


def test_the_list_sorts_by_a_column_header(client, officer):
    busy, quiet = CallFactory(title="Busy call", closes_on=days_ago(-60)), CallFactory(title="Quiet call")
    ApplicationFactory.create_batch(3, call=busy)
    ApplicationFactory(call=quiet)
    client.force_login(officer)

    def order(ordering) -> list[str]:
        body = text(client.get(url("call_list"), {"ordering": ordering}))
        return sorted(["Busy call", "Quiet call"], key=body.index)

    assert order("-applications") == ["Busy call", "Quiet call"]
    assert order("applications") == ["Quiet call", "Busy call"]
    assert order("-closes") == ["Busy call", "Quiet call"]
    assert 'aria-sort="descending"' in text(client.get(url("call_list"), {"ordering": "-applications"}))


def test_the_list_shows_each_calls_counts_in_its_default_order(client, officer):
    newer, older = CallFactory(title="Newer call", opens_on=days_ago(5)), CallFactory(title="Older call")
    ApplicationFactory.create_batch(3, call=newer)
    client.force_login(officer)
    body = text(client.get(url("call_list")))
    assert body.index("Newer call") < body.index("Older call")
    counts = re.findall(r'data-call="(\d+)".*?data-label="Applications">(\d+)</td>', body, re.S)
    assert counts == [(str(newer.pk), "3"), (str(older.pk), "0")]


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("call_list")).status_code == 200
    return len(queries)


def test_list_query_count_stays_flat(client, officer):
    client.force_login(officer)
    ApplicationFactory(call=CallFactory())
    few = _list_queries(client)
    for _ in range(6):
        ApplicationFactory.create_batch(2, call=CallFactory())
    assert _list_queries(client) == few


def test_the_call_page_shows_rubric_countries_and_applications_per_status(client, auditor, call):
    ApplicationFactory.create_batch(2, call=call)
    ApplicationFactory(call=call, status="eligible")
    client.force_login(auditor)
    body = text(client.get(url("call_detail", call.pk)))
    assert "Academic merit" in body and "Motivation" in body
    assert "Timor-Leste" in body
    assert 'data-count="submitted">2<' in body and 'data-count="eligible">1<' in body
    assert "Edit call" not in body and "Record an application" not in body
    assert url("call_reviewers", call.pk) not in body  # a link the auditor could only open to a 403
    assert url("call_ranking", call.pk) in body


def test_partners_cannot_open_officer_call_pages(client, partner_user, call):
    client.force_login(partner_user)
    assert client.get(url("call_list")).status_code == 403
    assert client.get(url("call_detail", call.pk)).status_code == 404


# --- creating and editing a call ----------------------------------------------------------------------------------


def test_officer_creates_a_call_with_its_rubric(client, officer, programme, partner_org):
    client.force_login(officer)
    response = client.post(url("call_create"), call_data(programme, partner_org))
    call = Call.objects.get(title="Doctoral fellowships in marine science")
    assert response.status_code == 302 and response["Location"] == url("call_detail", call.pk)
    assert [(c.name, str(c.weight)) for c in call.criteria.all()] == [
        ("Research proposal", "2.00"),
        ("Publications", "1.50"),
    ]
    assert call.fields_of_study == ["Marine science", "Fisheries"]
    assert set(call.eligible_countries.values_list("code", flat=True)) == {"TL", "PG"}


def test_a_bad_call_is_refused_field_by_field_and_nothing_is_saved(client, officer, programme, partner_org):
    client.force_login(officer)
    data = call_data(
        programme,
        partner_org,
        closes_on=days_ago(5).isoformat(),
        stipend_amount="1000.5",
        stipend_currency="JPY",
        **{"criteria-0-weight": "0", "criteria-1-name": ""},
    )
    response = client.post(url("call_create"), data)
    body = text(response)
    assert response.status_code == 200
    assert "nothing was saved" in body
    assert "The closing date cannot be before the opening date." in body
    assert "Give the criterion&#x27;s name, or clear the row." in body  # the rubric's errors at the same time
    assert Call.objects.count() == 0


def test_the_rubric_refusal_is_shown_on_the_rubric(client, officer, programme, partner_org):
    client.force_login(officer)
    data = call_data(programme, partner_org, **{"criteria-0-weight": "-1"})
    body = text(client.post(url("call_create"), data))
    assert "Research proposal: the weight must be a number more than zero." in body
    assert Call.objects.count() == 0


def test_a_number_of_awards_too_large_to_store_is_refused_next_to_the_field(client, officer, programme, partner_org):
    client.force_login(officer)
    response = client.post(url("call_create"), call_data(programme, partner_org, awards_available="99999999999"))
    assert response.status_code == 200
    assert text(response).count("Ensure this value is less than or equal to 32767.") == 1
    assert Call.objects.count() == 0


def test_garbage_never_fails(client, officer):
    client.force_login(officer)
    garbage = {
        "programme": "abc",
        "host": "999999",
        "eligible_countries": ["ZZ"],
        "opens_on": "yesterday",
        "stipend_amount": "a lot",
        "awards_available": "-4",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-weight": "heavy",
    }
    assert client.post(url("call_create"), garbage).status_code == 200
    assert client.post(url("call_create"), {}).status_code == 200
    assert Call.objects.count() == 0


def edit_data(call, host, **overrides) -> dict:
    """What the edit page posts: its rubric rows start from the call's criteria."""
    return call_data(call.programme, host, **{"criteria-INITIAL_FORMS": str(call.criteria.count())} | overrides)


def test_officer_edits_a_call_and_its_rubric_before_scoring(client, officer, call, partner_org):
    client.force_login(officer)
    page = client.get(url("call_edit", call.pk))
    assert 'value="Academic merit"' in text(page)
    data = edit_data(
        call,
        partner_org,
        title="Water engineering masters 2027",
        **{"criteria-0-name": "Academic merit", "criteria-0-weight": "4", "criteria-1-name": "Motivation"},
    )
    response = client.post(url("call_edit", call.pk), data)
    assert response.status_code == 302
    call.refresh_from_db()
    assert call.title == "Water engineering masters 2027"
    assert [(c.name, str(c.weight)) for c in call.criteria.all()] == [
        ("Academic merit", "4.00"),
        ("Motivation", "1.50"),
    ]


def test_once_scored_the_rubric_cannot_change_and_nothing_is_saved(client, officer, call, partner_org):
    eligible(submit(call))  # one completed review
    client.force_login(officer)
    data = edit_data(
        call,
        partner_org,
        title="Renamed",
        **{"criteria-0-name": "Academic merit", "criteria-0-weight": "5", "criteria-1-name": "Motivation"},
    )
    body = text(client.post(url("call_edit", call.pk), data))
    assert "Reviewers have already scored applications against this rubric: it can no longer change." in body
    call.refresh_from_db()
    assert call.title == "Water engineering masters"
    assert list(Criterion.objects.filter(call=call).values_list("weight", flat=True)) == [3, 1]

    # The same rubric with another title is fine: only a change of the rubric is refused.
    same = edit_data(
        call,
        partner_org,
        title="Renamed",
        **{
            "criteria-0-name": "Academic merit",
            "criteria-0-weight": "3",
            "criteria-1-name": "Motivation",
            "criteria-1-weight": "1",
        },
    )
    assert client.post(url("call_edit", call.pk), same).status_code == 302
    call.refresh_from_db()
    assert call.title == "Renamed"


def test_auditors_and_partners_cannot_create_or_edit(client, auditor, partner_user, call):
    client.force_login(auditor)
    assert client.get(url("call_create")).status_code == 403
    assert client.get(url("call_edit", call.pk)).status_code == 403
    client.force_login(partner_user)
    assert client.get(url("call_create")).status_code == 403
    assert client.get(url("call_edit", call.pk)).status_code == 404


# --- recording an application received ----------------------------------------------------------------------------


def application_data(**overrides) -> dict:
    return {
        "applicant_name": "Maria da Costa",
        "email": "maria@mail.example",
        "nationality": "TL",
        "gender": "female",
        "date_of_birth": "1999-02-03",
        "current_institution": "Universidade Nacional Timor Lorosa'e",
        "degree": "BSc Civil Engineering",
        "field_of_study": "Water engineering",
        "motivation": "Clean water for rural Timor.",
    } | overrides


def record(client, call, **overrides):
    return client.post(url("call_application_create", call.pk), application_data(**overrides))


def files_on_disk(settings) -> set[str]:
    return {path.name for path in settings.PRIVATE_MEDIA_ROOT.rglob("*") if path.is_file()}


def test_officer_records_an_application_with_its_files(client, officer, call, settings):
    client.force_login(officer)
    response = record(client, call, attachments=[pdf("cv.pdf"), pdf("transcript.pdf")])
    application = Application.objects.get(email="maria@mail.example")
    assert response.status_code == 302 and response["Location"] == url("application_detail", application.pk)
    assert sorted(application.attachments.values_list("original_name", flat=True)) == ["cv.pdf", "transcript.pdf"]
    assert len(files_on_disk(settings)) == 2
    assert application.submitted_by == officer


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"nationality": "FJ"}, "Nationals of Fiji are not eligible for this call."),
        ({"attachments": [pdf("photo.pdf", b"\x89PNG not a pdf")]}, "photo.pdf is not a PDF file"),
        ({"attachments": [pdf("cv.docx")]}, "cv.docx is not a PDF file: only PDF files are accepted."),
        ({"date_of_birth": "2999-01-01"}, "Enter a date between Jan. 1, 1900 and Dec. 31, 2199."),
        ({"date_of_birth": "soon"}, "Enter a valid date."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"attachments": [pdf(f"{n}.pdf") for n in range(4)]}, "An application carries at most 3 files."),
    ],
)
def test_refusals_are_shown_and_nothing_is_saved(client, officer, call, settings, overrides, message):
    client.force_login(officer)
    response = record(client, call, **overrides)
    assert response.status_code == 200
    assert message in text(response)
    assert Application.objects.count() == 0 and Attachment.objects.count() == 0
    assert files_on_disk(settings) == set()


def test_an_oversized_file_is_refused_and_not_even_written(client, officer, call, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    client.force_login(officer)
    response = record(client, call, attachments=[pdf("cv.pdf"), pdf("big.pdf", PDF_BYTES + b"0" * 200)])
    assert "big.pdf is larger than" in text(response)
    assert Application.objects.count() == 0 and files_on_disk(settings) == set()


def test_after_the_close_date_nothing_is_recorded(client, officer, partner_org, settings):
    closed = CallFactory(host=partner_org, opens_on=days_ago(60), closes_on=days_ago(1))
    client.force_login(officer)
    assert "This call is not open" in text(client.get(url("call_application_create", closed.pk)))
    response = record(client, closed, attachments=[pdf()])
    assert "applications are no longer accepted" in text(response)
    assert Application.objects.count() == 0 and files_on_disk(settings) == set()


def test_a_duplicate_email_is_refused_next_to_the_email(client, officer, call, settings):
    submit(call, email="Maria@Mail.example")
    client.force_login(officer)
    response = record(client, call, email=" maria@mail.example ", attachments=[pdf()])
    body = text(response)
    assert 'id="field-email"' in body
    email_field = body.split('id="field-email"')[1].split('<div class="field')[0]
    assert "Someone with this email has already applied to this call." in email_field
    assert Application.objects.count() == 1 and files_on_disk(settings) == set()


def test_garbage_application_input_never_fails(client, officer, call):
    client.force_login(officer)
    assert client.post(url("call_application_create", call.pk), {"nationality": "??", "gender": 7}).status_code == 200
    assert Application.objects.count() == 0


def test_only_officers_record_applications(client, auditor, partner_user, call):
    client.force_login(auditor)
    assert record(client, call).status_code == 403
    client.force_login(partner_user)
    assert record(client, call).status_code == 404
    assert Application.objects.count() == 0


def test_the_nationality_help_names_the_eligible_countries(client, officer, call):
    client.force_login(officer)
    body = text(client.get(url("call_application_create", call.pk)))
    assert "Eligible: Indonesia, Papua New Guinea, Timor-Leste." in body
    assert f'value="FJ">{country("FJ").name}<' in body  # offered, and refused with a reason if chosen
