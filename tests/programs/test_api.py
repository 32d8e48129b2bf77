"""The programmes API: the same permissions and scoping as the pages, every write through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cooperation.reference.codes import ActivityStatus, OrganisationRole
from programs.models import CooperationForm, Objective, Participation, Programme, ProgrammeUpdate
from tests.api_errors import error_codes, error_fields
from tests.factories import (
    OrganisationFactory,
    ParticipationFactory,
    ProgrammeFactory,
    ProgrammeObjectiveFactory,
    ProgrammeUpdateFactory,
    currency,
    sector,
)

pytestmark = pytest.mark.django_db

PROGRAMMES = "/api/v1/programmes/"
PARTICIPATIONS = "/api/v1/participations/"
UPDATES = "/api/v1/programme-updates/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


@pytest.fixture
def client():
    return APIClient()


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def detail(programme) -> str:
    return f"{PROGRAMMES}{programme.pk}/"


def programme_payload(**overrides) -> dict:
    payload = {
        "code": "KSM-2026-500",
        "title": "Water and sanitation in Kupang",
        "description": "Wells and hand-washing stations.",
        "forms": ["financial", "in_kind"],
        "objectives": ["development", "humanitarian_aid"],
        "status": ActivityStatus.PIPELINE,
        "planned_start": "2026-03-01",
        "planned_end": "2027-02-28",
        "recipient_countries": ["ID", "TL"],
        "sectors": ["14030"],
        "budget": {"amount": "250000.50", "currency": "USD"},
    }
    payload.update(overrides)
    return payload


# --- Officers write, through the services -----------------------------------------------------


def test_officer_creates_programme_with_participants_in_one_payload(officer):
    funder, implementer = OrganisationFactory(name="Funder"), OrganisationFactory(name="Implementer")
    payload = programme_payload(
        responsible_officer=officer.pk,
        participants=[
            {"organisation": funder.pk, "role": OrganisationRole.FUNDING, "committed_amount": "150000.00"},
            {"organisation": implementer.pk, "role": OrganisationRole.IMPLEMENTING},
        ],
    )

    response = as_user(officer).post(PROGRAMMES, payload, format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["code"] == "KSM-2026-500"
    assert body["forms"] == ["financial", "in_kind"]
    assert body["objectives"] == ["development", "humanitarian_aid"]
    assert body["status"] == ActivityStatus.PIPELINE
    assert body["status_label"] == "Pipeline/identification"
    assert body["planned_start"] == "2026-03-01"
    assert body["recipient_countries"] == ["ID", "TL"]
    assert body["sectors"] == ["14030"]
    assert body["budget"] == {"amount": "250000.50", "currency": "USD"}
    assert body["responsible_officer"] == officer.pk
    participants = {p["name"]: p for p in body["participants"]}
    assert participants["Funder"] == {
        "organisation": funder.pk,
        "name": "Funder",
        "role": OrganisationRole.FUNDING,
        "role_label": "Funding",
        "committed_amount": "150000.00",
    }
    assert participants["Implementer"]["committed_amount"] is None

    programme = Programme.objects.get(code="KSM-2026-500")
    assert programme.created_by == officer
    # The service wrote the history row, with who did it.
    assert programme.history.first().history_user == officer
    assert programme.budget_amount == Decimal("250000.50")


def test_manager_can_create_too(manager):
    response = as_user(manager).post(PROGRAMMES, programme_payload(), format="json")
    assert response.status_code == 201


def test_officer_changes_title_with_patch_and_keeps_the_rest(officer, own_programme, partner_org):
    response = as_user(officer).patch(detail(own_programme), {"title": "Clean water, phase two"}, format="json")

    assert response.status_code == 200, response.data
    own_programme.refresh_from_db()
    assert own_programme.title == "Clean water, phase two"
    assert own_programme.code == "OWN-001"
    assert [p["organisation"] for p in response.json()["participants"]] == [partner_org.pk]
    assert own_programme.history.first().history_user == officer


def test_officer_replaces_participants_and_budget_with_put(officer, own_programme, partner_org):
    newcomer = OrganisationFactory()
    payload = programme_payload(
        code=own_programme.code,
        budget={"amount": "5000000", "currency": "JPY"},
        participants=[{"organisation": newcomer.pk, "role": OrganisationRole.FUNDING, "committed_amount": "1000"}],
    )

    response = as_user(officer).put(detail(own_programme), payload, format="json")

    assert response.status_code == 200, response.data
    body = response.json()
    # Amounts carry exactly the currency's minor unit: yen have none.
    assert body["budget"] == {"amount": "5000000", "currency": "JPY"}
    assert body["participants"] == [
        {
            "organisation": newcomer.pk,
            "name": newcomer.name,
            "role": OrganisationRole.FUNDING,
            "role_label": "Funding",
            "committed_amount": "1000",
        }
    ]
    assert list(own_programme.participations.values_list("organisation_id", flat=True)) == [newcomer.pk]


def test_what_a_client_reads_it_can_send_back(officer, own_programme):
    api = as_user(officer)
    read = api.get(detail(own_programme)).json()
    payload = {key: read[key] for key in programme_payload()} | {
        "participants": [
            {key: row[key] for key in ("organisation", "role", "committed_amount")} for row in read["participants"]
        ]
    }

    response = api.put(detail(own_programme), payload, format="json")

    assert response.status_code == 200, response.data
    assert {k: v for k, v in response.json().items() if k != "updated_at"} == {
        k: v for k, v in read.items() if k != "updated_at"
    }


def test_patch_without_participants_leaves_them_alone(officer, own_programme, partner_org):
    as_user(officer).patch(detail(own_programme), {"sectors": ["72010"]}, format="json")

    assert list(own_programme.participations.values_list("organisation_id", flat=True)) == [partner_org.pk]
    assert list(own_programme.sectors.all()) == [sector("72010")]


def test_a_patched_participant_row_without_its_partner_is_a_400_on_that_row(officer, own_programme, partner_org):
    response = as_user(officer).patch(detail(own_programme), {"participants": [{"role": 4}]}, format="json")

    assert response.status_code == 400
    assert error_fields(response) == {"participants.0.organisation": ["This field is required."]}
    assert list(own_programme.participations.values_list("organisation_id", flat=True)) == [partner_org.pk]


def test_programmes_are_never_deleted(officer, own_programme):
    response = as_user(officer).delete(detail(own_programme))

    assert response.status_code == 405
    assert Programme.objects.filter(pk=own_programme.pk).exists()


# --- Who reads what ---------------------------------------------------------------------------


def test_auditor_reads_every_programme(auditor, own_programme, foreign_programme):
    api = as_user(auditor)

    listed = api.get(PROGRAMMES)
    shown = api.get(detail(foreign_programme))

    assert listed.status_code == 200
    assert {p["code"] for p in listed.json()["results"]} == {"OWN-001", "FOREIGN-001"}
    assert shown.status_code == 200
    assert shown.json()["code"] == "FOREIGN-001"


@pytest.mark.parametrize(
    "method,path,payload",
    [
        ("post", PROGRAMMES, programme_payload()),
        ("patch", "own", {"title": "Changed by an auditor"}),
        ("put", "own", programme_payload(code="OWN-001")),
    ],
)
def test_auditor_cannot_write(auditor, own_programme, method, path, payload):
    url = detail(own_programme) if path == "own" else path

    response = getattr(as_user(auditor), method)(url, payload, format="json")

    assert response.status_code == 403
    own_programme.refresh_from_db()
    assert own_programme.title == "Clean water for Nusa Tenggara"
    assert Programme.objects.count() == 1


def test_partner_lists_only_their_organisations_programmes(partner_user, own_programme, foreign_programme):
    response = as_user(partner_user).get(PROGRAMMES)

    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == ["OWN-001"]
    assert response.json()["count"] == 1


def test_partner_gets_404_for_another_organisations_programme(partner_user, own_programme, foreign_programme):
    api = as_user(partner_user)

    assert api.get(detail(own_programme)).status_code == 200
    assert api.get(detail(foreign_programme)).status_code == 404


def test_partner_cannot_create_or_change_programmes(partner_user, own_programme):
    api = as_user(partner_user)

    assert api.post(PROGRAMMES, programme_payload(), format="json").status_code == 403
    assert api.patch(detail(own_programme), {"title": "Ours now"}, format="json").status_code == 403
    own_programme.refresh_from_db()
    assert own_programme.title == "Clean water for Nusa Tenggara"


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_refused(client, own_programme, method):
    response = getattr(client, method)(PROGRAMMES, programme_payload(), format="json")

    assert response.status_code == 401
    assert error_codes(response) == {"": ["not_authenticated"]}
    assert Programme.objects.count() == 1


def test_non_numeric_or_huge_id_is_404(officer, own_programme):
    api = as_user(officer)

    assert api.get(f"{PROGRAMMES}abc/").status_code == 404
    assert api.get(f"{PROGRAMMES}99999999999999999999999/").status_code == 404


# --- Bad input: 400 next to the field, nothing saved ------------------------------------------


@pytest.mark.parametrize(
    "overrides,error_path",
    [
        ({"budget": {"amount": "100", "currency": "XYZ"}}, ("budget", "currency")),
        ({"recipient_countries": ["ID", "QQ"]}, ("recipient_countries",)),
        ({"sectors": ["99999"]}, ("sectors",)),
        ({"planned_start": "2026-06-01", "planned_end": "2026-01-01"}, ("planned_end",)),
        ({"actual_start": "2026-06-01", "actual_end": "2026-05-31"}, ("actual_end",)),
        ({"budget": {"amount": "-1", "currency": "USD"}}, ("budget", "amount")),
        ({"budget": {"amount": "a lot", "currency": "USD"}}, ("budget", "amount")),
        ({"budget": {"amount": "10.5", "currency": "JPY"}}, ("budget", "amount")),
        ({"budget": {"amount": "10.123", "currency": "USD"}}, ("budget", "amount")),
        ({"budget": "250000"}, ("budget",)),
        ({"title": "x" * 201}, ("title",)),
        ({"description": "x" * 10001}, ("description",)),
        ({"code": "lower case"}, ("code",)),
        ({"forms": []}, ("forms",)),
        ({"forms": ["telepathic"]}, ("forms",)),
        ({"forms": "financial"}, ("forms",)),
        ({"objectives": ["world_domination"]}, ("objectives",)),
        ({"status": 42}, ("status",)),
        ({"planned_start": "2026-02-30"}, ("planned_start",)),
        ({"recipient_countries": "ID"}, ("recipient_countries",)),
        ({"responsible_officer": "someone"}, ("responsible_officer",)),
        ({"participants": {"organisation": 1}}, ("participants",)),
        ({"participants": [{"organisation": 999999, "role": 1}]}, ("participants",)),
        ({"participants": [{"organisation": True, "role": 1}]}, ("participants",)),
    ],
)
def test_bad_programme_input_is_a_400_keyed_by_field(officer, overrides, error_path):
    response = as_user(officer).post(PROGRAMMES, programme_payload(**overrides), format="json")

    assert response.status_code == 400, response.data
    path = ".".join(error_path)
    fields = error_fields(response)
    assert any(name == path or name.startswith(f"{path}.") for name in fields), fields
    assert not Programme.objects.exists()


def test_duplicate_code_is_refused_on_the_code(officer, own_programme):
    response = as_user(officer).post(PROGRAMMES, programme_payload(code="OWN-001"), format="json")

    assert response.status_code == 400
    assert "code" in error_fields(response)
    assert Programme.objects.count() == 1


def test_partner_listed_twice_is_refused(officer):
    partner = OrganisationFactory()
    rows = [{"organisation": partner.pk, "role": 1}, {"organisation": partner.pk, "role": 4}]

    response = as_user(officer).post(PROGRAMMES, programme_payload(participants=rows), format="json")

    assert response.status_code == 400
    assert "listed twice" in str(error_fields(response)["participants"])
    assert not Programme.objects.exists()


def test_committed_amount_with_too_many_decimals_for_the_currency_is_refused(officer):
    partner = OrganisationFactory()
    payload = programme_payload(
        budget={"amount": "1000", "currency": "JPY"},
        participants=[{"organisation": partner.pk, "role": 1, "committed_amount": "10.5"}],
    )

    response = as_user(officer).post(PROGRAMMES, payload, format="json")

    assert response.status_code == 400
    assert "JPY amounts have at most 0 decimal places." in error_fields(response)["participants"]
    assert not Programme.objects.exists()


def test_negative_committed_amount_is_refused(officer):
    partner = OrganisationFactory()
    rows = [{"organisation": partner.pk, "role": 1, "committed_amount": "-5"}]

    response = as_user(officer).post(PROGRAMMES, programme_payload(participants=rows), format="json")

    assert response.status_code == 400
    # Rows are named by their position in the list the client sent.
    assert "participants.0.committed_amount" in error_fields(response)


def test_patching_only_the_end_is_checked_against_the_stored_start(officer, own_programme):
    response = as_user(officer).patch(detail(own_programme), {"planned_end": "2025-01-01"}, format="json")

    assert response.status_code == 400
    assert "planned_end" in error_fields(response)
    own_programme.refresh_from_db()
    assert own_programme.planned_end == datetime.date(2027, 12, 31)


def test_patching_yen_decimals_onto_a_yen_programme_is_refused(officer):
    programme = ProgrammeFactory(budget_currency=currency("JPY"), budget_amount=Decimal("1000"))

    response = as_user(officer).patch(detail(programme), {"budget": {"amount": "999.5"}}, format="json")

    assert response.status_code == 400
    assert "budget.amount" in error_fields(response)
    programme.refresh_from_db()
    assert programme.budget_amount == Decimal("1000")


def test_inactive_partner_cannot_join_a_new_programme(officer):
    retired = OrganisationFactory(is_active=False)
    rows = [{"organisation": retired.pk, "role": 1}]

    response = as_user(officer).post(PROGRAMMES, programme_payload(participants=rows), format="json")

    assert response.status_code == 400
    assert "inactive" in str(error_fields(response)["participants"])


@pytest.mark.parametrize(
    "body,content_type",
    [
        ('{"code": "KSM-1", "title": ', "application/json"),
        ("[1, 2, 3]", "application/json"),
        ('"just a string"', "application/json"),
        ("null", "application/json"),
        ('{"budget": {"amount": NaN, "currency": "USD"}}', "application/json"),
        ("code=KSM-1&title=Form+post", "application/x-www-form-urlencoded"),
    ],
)
def test_malformed_or_wrongly_typed_bodies_never_reach_the_service(officer, body, content_type):
    response = as_user(officer).generic("POST", PROGRAMMES, body, content_type=content_type)

    assert response.status_code in (400, 415)
    assert not Programme.objects.exists()


# --- Filters ----------------------------------------------------------------------------------


def test_filters_and_ordering_of_the_list_page_work_on_the_api(officer, own_programme, foreign_programme, other_org):
    ProgrammeFactory(code="CLOSED-1", title="Old school meals", status=ActivityStatus.CLOSED, is_financial=True)
    api = as_user(officer)

    def codes(**params):
        response = api.get(PROGRAMMES, params)
        assert response.status_code == 200, response.data
        return [p["code"] for p in response.json()["results"]]

    assert codes(status=ActivityStatus.CLOSED) == ["CLOSED-1"]
    assert codes(q="cyclone") == ["FOREIGN-001"]
    assert codes(partner=other_org.pk) == ["FOREIGN-001"]
    assert codes(form=CooperationForm.FINANCIAL) == ["CLOSED-1"]
    assert codes(ordering="code") == ["CLOSED-1", "FOREIGN-001", "OWN-001"]
    assert codes(ordering="-code") == ["OWN-001", "FOREIGN-001", "CLOSED-1"]


def test_partner_cannot_filter_by_a_partner_they_do_not_see(partner_user, own_programme, foreign_programme, other_org):
    response = as_user(partner_user).get(PROGRAMMES, {"partner": other_org.pk})

    assert response.status_code == 400
    assert "partner" in error_fields(response)


@pytest.mark.parametrize("params", [{"status": "99"}, {"ordering": "secret"}, {"starts_from": "yesterday"}])
def test_invalid_filters_are_a_400(officer, params):
    response = as_user(officer).get(PROGRAMMES, params)

    assert response.status_code == 400
    assert set(params) <= set(error_fields(response))


# --- Query count does not grow with the page --------------------------------------------------


def _make_programmes(count: int) -> None:
    for _ in range(count):
        programme = ProgrammeFactory(countries=["ID", "TL"])
        programme.sectors.set([sector("14030"), sector("72010")])
        ProgrammeObjectiveFactory(programme=programme, objective=Objective.DEVELOPMENT)
        ParticipationFactory(programme=programme, committed_amount=Decimal("10.00"))
        ParticipationFactory(programme=programme, role=OrganisationRole.FUNDING)


def _count_list_queries(user, params=None) -> tuple[int, int]:
    # A fresh user object each time, so both counts include loading the user's permissions.
    api = as_user(type(user).objects.get(pk=user.pk))
    with CaptureQueriesContext(connection) as queries:
        response = api.get(PROGRAMMES, params or {})
    assert response.status_code == 200
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize("params", [{}, {"country": "TL", "ordering": "-budget"}])
def test_programme_list_query_count_is_the_same_for_5_and_50_programmes(officer, params):
    _make_programmes(5)
    few, shown = _count_list_queries(officer, params)
    assert shown == 5

    _make_programmes(45)
    many, shown = _count_list_queries(officer, params)
    assert shown == 25  # one page

    assert few == many


def test_partner_programme_list_query_count_is_flat(partner_user, partner_org):
    def add(count):
        for _ in range(count):
            ParticipationFactory(organisation=partner_org)

    add(5)
    few, _ = _count_list_queries(partner_user)
    add(45)
    many, _ = _count_list_queries(partner_user)

    assert few == many


# --- Progress notes ---------------------------------------------------------------------------


def note(**overrides) -> dict:
    return {"reported_on": "2026-05-01", "title": "Wells finished", "body": "Twelve wells dug.", **overrides}


def test_partner_posts_an_update_on_their_own_programme(partner_user, partner_org, own_programme, settings):
    response = as_user(partner_user).post(f"{detail(own_programme)}updates/", note(), format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["programme"] == own_programme.pk
    assert body["organisation"] == partner_org.pk
    assert body["organisation_name"] == partner_org.name
    assert body["reported_on"] == "2026-05-01"
    update = ProgrammeUpdate.objects.get()
    assert update.author == partner_user
    assert update.organisation == partner_org


def test_partner_posting_on_a_foreign_programme_gets_404_and_nothing_is_saved(partner_user, foreign_programme):
    response = as_user(partner_user).post(f"{detail(foreign_programme)}updates/", note(), format="json")

    assert response.status_code == 404
    assert not ProgrammeUpdate.objects.exists()


def test_officer_posts_an_update_in_their_own_name(officer, foreign_programme):
    response = as_user(officer).post(f"{detail(foreign_programme)}updates/", note(), format="json")

    assert response.status_code == 201
    assert response.json()["organisation"] is None


def test_auditor_cannot_post_updates(auditor, own_programme):
    response = as_user(auditor).post(f"{detail(own_programme)}updates/", note(), format="json")

    assert response.status_code == 403
    assert not ProgrammeUpdate.objects.exists()


def test_anonymous_cannot_post_updates(client, own_programme):
    response = client.post(f"{detail(own_programme)}updates/", note(), format="json")

    assert response.status_code in (401, 403)
    assert not ProgrammeUpdate.objects.exists()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"reported_on": "2999-01-01"}, "reported_on"),
        ({"reported_on": "not a date"}, "reported_on"),
        ({"title": ""}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": "x" * 5001}, "body"),
    ],
)
def test_bad_update_is_refused_by_field(partner_user, own_programme, overrides, field):
    response = as_user(partner_user).post(f"{detail(own_programme)}updates/", note(**overrides), format="json")

    assert response.status_code == 400
    assert field in error_fields(response)
    assert not ProgrammeUpdate.objects.exists()


def test_update_list_is_scoped_and_filterable(partner_user, own_programme, foreign_programme):
    mine = ProgrammeUpdateFactory(programme=own_programme, title="Ours")
    theirs = ProgrammeUpdateFactory(programme=foreign_programme, title="Theirs")
    api = as_user(partner_user)

    listed = api.get(UPDATES)

    assert [u["title"] for u in listed.json()["results"]] == ["Ours"]
    assert api.get(f"{UPDATES}{mine.pk}/").status_code == 200
    assert api.get(f"{UPDATES}{theirs.pk}/").status_code == 404
    assert api.get(UPDATES, {"programme": foreign_programme.pk}).json()["results"] == []


def test_auditor_reads_all_updates_but_list_is_read_only(auditor, own_programme, foreign_programme):
    ProgrammeUpdateFactory(programme=own_programme)
    ProgrammeUpdateFactory(programme=foreign_programme)
    api = as_user(auditor)

    assert api.get(UPDATES).json()["count"] == 2
    assert api.post(UPDATES, note(), format="json").status_code == 405


# --- Participations ---------------------------------------------------------------------------


def test_officer_adds_changes_and_removes_a_participation(officer, own_programme):
    newcomer = OrganisationFactory()
    api = as_user(officer)

    created = api.post(
        PARTICIPATIONS,
        {"programme": own_programme.pk, "organisation": newcomer.pk, "role": 1, "committed_amount": "2500.5"},
        format="json",
    )
    assert created.status_code == 201, created.data
    assert created.json()["committed_amount"] == "2500.50"
    assert created.json()["currency"] == "USD"
    url = f"{PARTICIPATIONS}{created.json()['id']}/"

    changed = api.patch(url, {"role": OrganisationRole.ACCOUNTABLE}, format="json")
    assert changed.status_code == 200
    assert changed.json()["role_label"] == "Accountable"
    participation = Participation.objects.get(pk=created.json()["id"])
    assert participation.role == OrganisationRole.ACCOUNTABLE
    assert participation.committed_amount == Decimal("2500.5")
    assert participation.history.first().history_user == officer

    assert api.delete(url).status_code == 204
    assert not own_programme.participations.filter(organisation=newcomer).exists()


def test_the_same_partner_cannot_join_twice(officer, own_programme, partner_org):
    response = as_user(officer).post(
        PARTICIPATIONS, {"programme": own_programme.pk, "organisation": partner_org.pk, "role": 1}, format="json"
    )

    assert response.status_code == 400
    assert "already takes part" in str(error_fields(response))
    assert own_programme.participations.count() == 1


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"committed_amount": "1.001"}, "committed_amount"),
        ({"committed_amount": "-1"}, "committed_amount"),
        ({"role": 9}, "role"),
        ({"programme": 999999}, "programme"),
        ({"organisation": "abc"}, "organisation"),
    ],
)
def test_bad_participation_input_is_refused(officer, own_programme, overrides, field):
    payload = {"programme": own_programme.pk, "organisation": OrganisationFactory().pk, "role": 1, **overrides}

    response = as_user(officer).post(PARTICIPATIONS, payload, format="json")

    assert response.status_code == 400
    assert field in error_fields(response)
    assert own_programme.participations.count() == 1


def test_auditor_reads_participations_but_cannot_change_them(auditor, own_programme):
    participation = own_programme.participations.get()
    api = as_user(auditor)

    assert api.get(PARTICIPATIONS).json()["count"] == 1
    assert api.patch(f"{PARTICIPATIONS}{participation.pk}/", {"role": 1}, format="json").status_code == 403
    assert api.delete(f"{PARTICIPATIONS}{participation.pk}/").status_code == 403
    assert Participation.objects.filter(pk=participation.pk).exists()


def test_partner_sees_only_participations_in_their_programmes(partner_user, own_programme, foreign_programme):
    foreign = foreign_programme.participations.get()
    api = as_user(partner_user)

    listed = api.get(PARTICIPATIONS)

    assert [p["programme_code"] for p in listed.json()["results"]] == ["OWN-001"]
    assert api.get(f"{PARTICIPATIONS}{foreign.pk}/").status_code == 404
    assert api.delete(f"{PARTICIPATIONS}{foreign.pk}/").status_code == 403
    response = api.post(
        PARTICIPATIONS, {"programme": own_programme.pk, "organisation": OrganisationFactory().pk, "role": 1}
    )
    assert response.status_code == 403


# --- Humans in a browser, and clients discovering the API -------------------------------------


def test_browsable_pages_render_for_an_officer(officer, own_programme):
    participation = own_programme.participations.get()
    ProgrammeUpdateFactory(programme=own_programme)
    api = as_user(officer)

    for url in (
        PROGRAMMES,
        detail(own_programme),
        PARTICIPATIONS,
        f"{PARTICIPATIONS}{participation.pk}/",
        UPDATES,
        "/api/v1/",
    ):
        response = api.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html")


def test_programme_page_prefills_the_edit_form_in_the_input_shape(officer, own_programme, partner_org):
    response = as_user(officer).get(detail(own_programme), HTTP_ACCEPT="text/html")

    html = response.content.decode()
    assert "&quot;budget&quot;: {" in html
    assert f"&quot;organisation&quot;: {partner_org.pk}" in html


def test_options_describe_what_a_write_accepts(officer, own_programme):
    api = as_user(officer)

    create = api.options(PROGRAMMES).json()["actions"]["POST"]
    post_update = api.options(f"{detail(own_programme)}updates/").json()["actions"]["POST"]

    assert {"participants", "budget", "forms", "code"} <= set(create)
    assert create["code"]["read_only"] is False
    assert set(post_update) == {"reported_on", "title", "body"}
