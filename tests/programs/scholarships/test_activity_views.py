"""The officers' exchange-activity pages: the filtered list with participants by gender, creating and editing an
activity (bad input shown next to the field, nothing saved), its page, and reporting who took part."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programs.scholarships.models import ActivityKind, ExchangeActivity, ExchangeStatus, Gender
from tests.factories import OrganisationFactory, ProgrammeFactory, country
from tests.programs.scholarships.factories import (
    ExchangeActivityFactory,
    ParticipantFactory,
    days_ago,
    take_part,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cultural_programme(partner_org):
    programme = ProgrammeFactory(code="CUL-001", title="Living traditions", is_cultural=True, is_technical=False)
    take_part(programme, partner_org)
    return programme


@pytest.fixture
def activity(cultural_programme, partner_org, officer):
    return ExchangeActivityFactory(
        programme=cultural_programme,
        host=partner_org,
        title="Gamelan workshop",
        kind=ActivityKind.CULTURAL_EVENT,
        women=12,
        men=7,
        other_gender=1,
        created_by=officer,
    )


def _html(response) -> str:
    return response.content.decode()


def _form_data(programme, host, **overrides):
    return {
        "programme": str(programme.pk),
        "title": "Batik residency",
        "kind": ActivityKind.CULTURAL_EXCHANGE,
        "status": ExchangeStatus.PLANNED,
        "description": "Two weeks with master batik makers.",
        "starts_on": days_ago(10).isoformat(),
        "ends_on": days_ago(2).isoformat(),
        "country": "ID",
        "city": "Pekalongan",
        "host": str(host.pk),
    } | overrides


# --- the list -----------------------------------------------------------------------------------------------------


def test_list_shows_each_activity_with_participants_by_gender(client, auditor, activity):
    client.force_login(auditor)
    response = client.get(reverse("scholarships:activity_list"))
    assert response.status_code == 200
    html = _html(response)
    assert "Gamelan workshop" in html and "Cultural event" in html and "Yogyakarta" in html
    assert "Yayasan Air Bersih" in html
    assert "12 / 7 / 1" in html and ">20<" in html
    assert reverse("scholarships:activity_create") not in html  # auditors change nothing


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"kind": ActivityKind.TRAINING}, "Drip irrigation training", "Gamelan workshop"),
        ({"status": ExchangeStatus.CANCELLED}, "Drip irrigation training", "Gamelan workshop"),
        ({"country": "TL"}, "Drip irrigation training", "Gamelan workshop"),
        ({"year": "2019"}, "Drip irrigation training", "Gamelan workshop"),
        ({"q": "gamelan"}, "Gamelan workshop", "Drip irrigation training"),
    ],
)
def test_list_filters(client, officer, activity, query, shown, hidden):
    _old_training()
    client.force_login(officer)
    html = _html(client.get(reverse("scholarships:activity_list"), query))
    assert shown in html
    assert hidden not in html


def test_a_bad_filter_value_is_ignored(client, officer, activity):
    _old_training()
    client.force_login(officer)
    response = client.get(reverse("scholarships:activity_list"), {"year": "not a year", "kind": "party"})
    assert response.status_code == 200
    assert "Drip irrigation training" in _html(response) and "Gamelan workshop" in _html(response)


def _old_training():
    ExchangeActivityFactory(
        title="Drip irrigation training",
        kind=ActivityKind.TRAINING,
        status=ExchangeStatus.CANCELLED,
        country=country("TL"),
        starts_on=datetime.date(2019, 12, 20),
        ends_on=datetime.date(2020, 1, 10),
    )


def test_list_filters_by_programme(client, officer, activity):
    other = ExchangeActivityFactory(title="Soil science exchange")
    client.force_login(officer)
    html = _html(client.get(reverse("scholarships:activity_list"), {"programme": other.programme_id}))
    assert "Soil science exchange" in html and "Gamelan workshop" not in html


def test_list_query_count_stays_flat(client, officer, activity):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("scholarships:activity_list")).status_code == 200
        return len(queries)

    client.force_login(officer)
    few = count_queries()
    for _index in range(10):
        ParticipantFactory(activity=ExchangeActivityFactory(host=OrganisationFactory()))
    assert count_queries() == few


def test_partner_users_are_kept_out(client, partner_user, activity):
    client.force_login(partner_user)
    assert client.get(reverse("scholarships:activity_list")).status_code == 403
    for name in ("activity_detail", "activity_edit", "activity_report"):
        assert client.get(reverse(f"scholarships:{name}", args=[activity.pk])).status_code == 404


# --- creating and editing -----------------------------------------------------------------------------------------


def test_an_officer_creates_an_activity(client, officer, cultural_programme, partner_org, other_org):
    take_part(cultural_programme, other_org)
    client.force_login(officer)

    response = client.post(
        reverse("scholarships:activity_create"), _form_data(cultural_programme, partner_org, partners=[other_org.pk])
    )

    created = ExchangeActivity.objects.get(title="Batik residency")
    assert response.status_code == 302
    assert response.url == reverse("scholarships:activity_detail", args=[created.pk])
    assert (created.host, created.city, created.country_id, created.created_by) == (
        partner_org,
        "Pekalongan",
        "ID",
        officer,
    )
    assert list(created.partners.all()) == [other_org]
    html = _html(client.get(response.url))
    assert "Batik residency" in html and "Pacific Relief Network" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_on": days_ago(20).isoformat()}, "ends_on", "The end cannot be before the start."),
        ({"title": ""}, "title", "This field is required."),
        ({"starts_on": "yesterday"}, "starts_on", "Enter a valid date."),
        ({"kind": "party"}, "kind", "Select a valid choice."),
        ({"country": "XX"}, "country", "Select a valid choice."),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client, officer, cultural_programme, partner_org, overrides, field, message
):
    client.force_login(officer)
    response = client.post(
        reverse("scholarships:activity_create"), _form_data(cultural_programme, partner_org, **overrides)
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert "nothing was saved" in _html(response)
    assert not ExchangeActivity.objects.exists()


def test_partners_must_take_part_in_the_programme(client, officer, cultural_programme, partner_org):
    outsider = OrganisationFactory(name="Outsider Foundation")
    client.force_login(officer)
    response = client.post(
        reverse("scholarships:activity_create"),
        _form_data(cultural_programme, outsider, partners=[outsider.pk]),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "does not take part in this programme" in errors["host"][0]
    assert "Outsider Foundation" in errors["partners"][0]
    assert not ExchangeActivity.objects.exists()


def test_an_in_kind_programme_is_not_offered(client, officer):
    ProgrammeFactory(code="INK-009", is_in_kind=True, is_technical=False)
    client.force_login(officer)
    html = _html(client.get(reverse("scholarships:activity_create")))
    assert "INK-009" not in html


def test_an_officer_edits_an_activity(client, officer, activity):
    client.force_login(officer)
    url = reverse("scholarships:activity_edit", args=[activity.pk])
    assert 'value="Gamelan workshop"' in _html(client.get(url))
    data = _form_data(activity.programme, activity.host, title="Gamelan workshop, second edition")
    data["status"] = ExchangeStatus.COMPLETED

    response = client.post(url, data)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Gamelan workshop, second edition"
    assert activity.status == ExchangeStatus.COMPLETED
    assert activity.women == 12  # the counts are the report's, not the form's


def test_a_bad_edit_changes_nothing(client, officer, activity):
    client.force_login(officer)
    data = _form_data(activity.programme, activity.host, title="Renamed", ends_on=days_ago(40).isoformat())
    response = client.post(reverse("scholarships:activity_edit", args=[activity.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["ends_on"] == ["The end cannot be before the start."]
    activity.refresh_from_db()
    assert activity.title == "Gamelan workshop"


def test_auditors_cannot_create_or_edit(client, auditor, activity):
    client.force_login(auditor)
    assert client.get(reverse("scholarships:activity_create")).status_code == 403
    assert client.get(reverse("scholarships:activity_edit", args=[activity.pk])).status_code == 403


# --- the activity's page and its report ---------------------------------------------------------------------------


def test_detail_shows_facts_counts_participants_and_history(client, officer, activity):
    ParticipantFactory(activity=activity, name="Sri Lestari", gender=Gender.FEMALE, country=country("ID"))
    client.force_login(officer)
    html = _html(client.get(reverse("scholarships:activity_detail", args=[activity.pk])))
    assert "Gamelan workshop" in html and "CUL-001" in html
    assert "Sri Lestari" in html and "Indonesia" in html
    assert reverse("scholarships:activity_report", args=[activity.pk]) in html
    assert 'id="history"' in html


def test_an_officer_reports_participants(client, officer, activity):
    client.force_login(officer)
    data = {
        "women": "4",
        "men": "",
        "other_gender": "0",
        "outcome_notes": "A joint performance.",
        "participants-TOTAL_FORMS": "2",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        "participants-0-name": "Ayu",
        "participants-0-gender": Gender.FEMALE,
        "participants-0-organisation": "",
        "participants-0-country": "",
        "participants-1-name": "",
        "participants-1-gender": "",
        "participants-1-organisation": "",
        "participants-1-country": "",
    }

    response = client.post(reverse("scholarships:activity_report", args=[activity.pk]), data)

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.women, activity.men, activity.other_gender) == (4, 0, 0)
    assert list(activity.participants.values_list("name", flat=True)) == ["Ayu"]


def test_the_officer_report_refuses_a_list_longer_than_the_counts(client, officer, activity):
    client.force_login(officer)
    data = {
        "women": "0",
        "men": "0",
        "other_gender": "0",
        "outcome_notes": "",
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
        "participants-0-name": "Ketut",
        "participants-0-gender": Gender.MALE,
        "participants-0-organisation": "",
        "participants-0-country": "",
    }
    response = client.post(reverse("scholarships:activity_report", args=[activity.pk]), data)
    assert response.status_code == 200
    assert "The list names 1 male participants, more than this count." in response.context["form"].errors["men"]
    activity.refresh_from_db()
    assert activity.women == 12


def test_a_count_too_large_to_store_is_refused_next_to_the_field(client, officer, activity):
    men_before = activity.men
    client.force_login(officer)
    data = {
        "women": "0",
        "men": "3000000000",
        "other_gender": "0",
        "outcome_notes": "",
        "participants-TOTAL_FORMS": "0",
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("scholarships:activity_report", args=[activity.pk]), data)

    assert response.status_code == 200
    assert response.context["form"].errors["men"] == ["A number of participants cannot be more than 10,000,000."]
    activity.refresh_from_db()
    assert activity.men == men_before
