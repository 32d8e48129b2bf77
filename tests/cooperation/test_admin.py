"""The Django admin: each role sees what its permissions allow, lists come from the selectors,
saves go through the services, and changelists cost the same number of queries for 5 or 50 rows."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.reference.codes import OrganisationRole, OrganisationType
from partners.models import Organisation
from programs.models import Objective, Participation, Programme, ProgrammeUpdate
from tests.factories import (
    ContactFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgrammeFactory,
    ProgrammeUpdateFactory,
    currency,
)

pytestmark = pytest.mark.django_db

PROJECT_CHANGELISTS = [
    "partners_organisation",
    "partners_contact",
    "partners_membership",
    "programs_programme",
    "programs_participation",
    "programs_programmeupdate",
]
REFERENCE_CHANGELISTS = ["reference_country", "reference_currency", "reference_sector"]


def changelist(name: str) -> str:
    return reverse(f"admin:{name}_changelist")


def management_form(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def programme_post(officer, *, participants=(), objectives=(), **overrides) -> dict:
    data = {
        "code": "KSM-ADM-001",
        "title": "Solar pumps for Sumba",
        "description": "Irrigation pumps.",
        "status": "2",
        "responsible_officer": str(officer.pk),
        "is_technical": "on",
        "is_in_kind": "on",
        "planned_start": "2026-01-01",
        "planned_end": "2026-12-31",
        "budget_amount": "150000.00",
        "budget_currency": "USD",
        "recipient_countries": ["ID"],
        "sectors": ["23231"],
        **management_form("objectives", len(objectives)),
        **management_form("participations", len(participants)),
    }
    for index, objective in enumerate(objectives):
        data[f"objectives-{index}-objective"] = objective
    for index, (organisation, role, committed) in enumerate(participants):
        data[f"participations-{index}-organisation"] = str(organisation.pk)
        data[f"participations-{index}-role"] = str(role)
        data[f"participations-{index}-committed_amount"] = committed
    data.update(overrides)
    return data


@pytest.fixture
def staff_partner(partner_user):
    """A partner user wrongly made staff: the admin must still show only their organisation's records."""
    partner_user.is_staff = True
    partner_user.save(update_fields=["is_staff"])
    return partner_user


# --- who may open what ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role_fixture", ["officer", "manager"])
def test_officer_and_manager_open_project_changelists_but_not_reference_data(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))
    for name in PROJECT_CHANGELISTS:
        assert client.get(changelist(name)).status_code == 200, name
    for name in REFERENCE_CHANGELISTS:
        assert client.get(changelist(name)).status_code == 403, name
    assert client.get(reverse("admin:programs_programme_add")).status_code == 200
    assert client.get(reverse("admin:partners_organisation_add")).status_code == 200


def test_administrator_opens_every_changelist_and_add_page(client, admin_user):
    client.force_login(admin_user)
    for name in PROJECT_CHANGELISTS + REFERENCE_CHANGELISTS:
        assert client.get(changelist(name)).status_code == 200, name
        assert client.get(reverse(f"admin:{name}_add")).status_code == 200, name


def test_auditor_reads_everything_but_cannot_add(client, auditor):
    client.force_login(auditor)
    for name in PROJECT_CHANGELISTS + REFERENCE_CHANGELISTS:
        assert client.get(changelist(name)).status_code == 200, name
        assert client.get(reverse(f"admin:{name}_add")).status_code == 403, name


def test_auditor_change_view_is_read_only_and_post_is_refused(client, auditor, own_programme):
    client.force_login(auditor)
    url = reverse("admin:programs_programme_change", args=[own_programme.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert own_programme.code in page.content.decode()
    response = client.post(url, {"title": "Renamed by the auditor"})
    assert response.status_code == 403
    own_programme.refresh_from_db()
    assert own_programme.title == "Clean water for Nusa Tenggara"


def test_auditor_cannot_change_an_organisation_either(client, auditor, partner_org):
    client.force_login(auditor)
    url = reverse("admin:partners_organisation_change", args=[partner_org.pk])
    assert 'name="_save"' not in client.get(url).content.decode()
    assert client.post(url, {"name": "Renamed"}).status_code == 403


def test_partner_users_are_sent_to_the_admin_login(client, partner_user):
    client.force_login(partner_user)
    for url in [reverse("admin:index"), changelist("programs_programme")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_visitors_are_sent_to_the_admin_login(client):
    response = client.get(changelist("partners_organisation"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- lists come from the selectors ---------------------------------------------------------------------


def test_staff_partner_sees_only_their_organisations_records(client, staff_partner, own_programme, foreign_programme):
    client.force_login(staff_partner)
    page = client.get(changelist("programs_programme")).content.decode()
    assert own_programme.code in page
    assert foreign_programme.code not in page

    foreign_change = client.get(reverse("admin:programs_programme_change", args=[foreign_programme.pk]))
    assert foreign_change.status_code == 302  # the admin's "does not exist" redirect: no data shown

    organisations = client.get(changelist("partners_organisation")).content.decode()
    assert "Yayasan Air Bersih" in organisations
    assert "Pacific Relief Network" not in organisations

    participations = client.get(changelist("programs_participation")).content.decode()
    assert "OWN-001" in participations
    assert "FOREIGN-001" not in participations


def test_history_needs_the_history_permission_and_a_visible_record(
    client, staff_partner, own_programme, foreign_programme
):
    client.force_login(staff_partner)
    foreign = reverse("admin:programs_programme_history", args=[foreign_programme.pk])
    assert client.get(foreign).status_code == 404
    # Partner users do not hold VIEW_HISTORY, even for their own programme.
    own = reverse("admin:programs_programme_history", args=[own_programme.pk])
    assert client.get(own).status_code == 403


def test_staff_partner_sees_only_updates_on_their_programmes(client, staff_partner, own_programme, foreign_programme):
    ProgrammeUpdateFactory(programme=own_programme, title="Wells dug")
    ProgrammeUpdateFactory(programme=foreign_programme, title="Roofs repaired")
    client.force_login(staff_partner)
    page = client.get(changelist("programs_programmeupdate")).content.decode()
    assert "Wells dug" in page
    assert "Roofs repaired" not in page


def test_autocomplete_offers_only_visible_programmes(client, staff_partner, own_programme, foreign_programme):
    client.force_login(staff_partner)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "programs", "model_name": "programmeupdate", "field_name": "programme", "term": ""},
    )
    assert response.status_code == 200
    texts = [result["text"] for result in response.json()["results"]]
    assert any("OWN-001" in text for text in texts)
    assert not any("FOREIGN-001" in text for text in texts)


# --- saves go through the services ---------------------------------------------------------------------


def test_officer_creates_a_programme_with_partners_and_objectives(client, officer):
    funder, implementer = OrganisationFactory(), OrganisationFactory()
    client.force_login(officer)
    response = client.post(
        reverse("admin:programs_programme_add"),
        programme_post(
            officer,
            participants=[
                (funder, OrganisationRole.FUNDING, "100000.00"),
                (implementer, OrganisationRole.IMPLEMENTING, ""),
            ],
            objectives=[Objective.DEVELOPMENT, Objective.HUMANITARIAN_AID],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    programme = Programme.objects.get(code="KSM-ADM-001")
    assert programme.created_by == officer
    assert programme.history.first().history_user == officer
    assert programme.is_technical and programme.is_in_kind and not programme.is_financial
    assert {p.organisation: p.role for p in programme.participations.all()} == {
        funder: OrganisationRole.FUNDING,
        implementer: OrganisationRole.IMPLEMENTING,
    }
    assert programme.participations.get(organisation=funder).committed_amount == Decimal("100000.00")
    assert set(programme.objectives.values_list("objective", flat=True)) == {
        Objective.DEVELOPMENT,
        Objective.HUMANITARIAN_AID,
    }
    assert list(programme.sectors.values_list("code", flat=True)) == ["23231"]


def test_service_error_is_shown_next_to_the_field_and_nothing_is_saved(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("admin:programs_programme_add"),
        programme_post(officer, budget_amount="1000.5", budget_currency="JPY"),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "budget_amount" in form.errors
    assert "JPY" in str(form.errors["budget_amount"])
    assert not Programme.objects.exists()


def test_participant_error_from_the_service_is_shown_at_the_top(client, officer):
    partner = OrganisationFactory()
    client.force_login(officer)
    response = client.post(
        reverse("admin:programs_programme_add"),
        programme_post(officer, budget_currency="JPY", budget_amount="1000", participants=[(partner, 1, "10.25")]),
    )
    assert response.status_code == 200
    assert "JPY" in " ".join(response.context["adminform"].form.non_field_errors())
    assert not Programme.objects.exists()
    assert not Participation.objects.exists()


def test_officer_edits_a_programme_and_removes_a_participant(client, officer, partner_org, other_org):
    programme = ProgrammeFactory(code="KSM-ADM-002", title="Old title")
    kept = ParticipationFactory(programme=programme, organisation=partner_org, role=OrganisationRole.FUNDING)
    ParticipationFactory(programme=programme, organisation=other_org)
    client.force_login(officer)
    data = programme_post(officer, code="KSM-ADM-002", title="New title", **management_form("participations", 2, 2))
    data.update(
        {
            "participations-0-id": str(kept.pk),
            "participations-0-programme": str(programme.pk),
            "participations-0-organisation": str(partner_org.pk),
            "participations-0-role": str(OrganisationRole.FUNDING),
            "participations-0-committed_amount": "5000.00",
            "participations-1-id": str(programme.participations.get(organisation=other_org).pk),
            "participations-1-programme": str(programme.pk),
            "participations-1-organisation": str(other_org.pk),
            "participations-1-role": str(OrganisationRole.IMPLEMENTING),
            "participations-1-DELETE": "on",
        }
    )
    response = client.post(reverse("admin:programs_programme_change", args=[programme.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    programme.refresh_from_db()
    assert programme.title == "New title"
    assert programme.history.first().history_user == officer
    assert [p.organisation for p in programme.participations.all()] == [partner_org]
    assert programme.participations.get().committed_amount == Decimal("5000.00")


def test_officer_edits_an_organisation_and_adds_a_contact(client, officer, partner_org):
    client.force_login(officer)
    data = {
        "name": "Yayasan Air Bersih Nusantara",
        "acronym": "YABN",
        "kind": OrganisationType.NATIONAL_NGO,
        "country": "ID",
        "is_active": "on",
        "iati_identifier": "",
        "website": "https://airbersih.example.org",
        "address": "Kupang",
        **management_form("contacts", 1),
        "contacts-0-name": "Siti Rahmawati",
        "contacts-0-email": "siti@airbersih.example.org",
        "contacts-0-preferred_language": "id",
        "contacts-0-receives_reminders": "on",
        "contacts-0-is_active": "on",
    }
    response = client.post(reverse("admin:partners_organisation_change", args=[partner_org.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    partner_org.refresh_from_db()
    assert partner_org.name == "Yayasan Air Bersih Nusantara"
    assert partner_org.history.first().history_user == officer
    contact = partner_org.contacts.get()
    assert contact.receives_reminders and contact.preferred_language == "id"
    assert contact.history.first().history_user == officer


def test_invalid_iati_identifier_is_refused_on_the_field(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("admin:partners_organisation_add"),
        {
            "name": "Nowhere Org",
            "kind": OrganisationType.NATIONAL_NGO,
            "country": "ID",
            "iati_identifier": "not an id",
            **management_form("contacts", 0),
        },
    )
    assert response.status_code == 200
    assert "iati_identifier" in response.context["adminform"].form.errors
    assert not Organisation.objects.filter(name="Nowhere Org").exists()


def test_officer_adds_and_deletes_a_participation_on_its_own_page(client, officer, own_programme, other_org):
    client.force_login(officer)
    response = client.post(
        reverse("admin:programs_participation_add"),
        {
            "programme": str(own_programme.pk),
            "organisation": str(other_org.pk),
            "role": str(OrganisationRole.FUNDING),
            "committed_amount": "2500.00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    participation = own_programme.participations.get(organisation=other_org)
    assert participation.history.first().history_user == officer

    delete_url = reverse("admin:programs_participation_delete", args=[participation.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 302
    assert not own_programme.participations.filter(organisation=other_org).exists()
    assert own_programme.participations.count() == 1


def test_officer_posts_an_update_as_themselves(client, officer, own_programme):
    client.force_login(officer)
    response = client.post(
        reverse("admin:programs_programmeupdate_add"),
        {"programme": str(own_programme.pk), "reported_on": "2026-05-01", "title": "Site visit", "body": "All good."},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    update = ProgrammeUpdate.objects.get(title="Site visit")
    assert update.author == officer
    assert update.organisation is None
    page = client.get(reverse("admin:programs_programmeupdate_change", args=[update.pk])).content.decode()
    assert 'name="_save"' not in page  # posted notes are a record: never edited


def test_history_is_readable_by_the_auditor_and_revert_is_refused(client, auditor, officer, partner_org):
    from partners.services import organisation_update

    organisation_update(organisation=partner_org, updated_by=officer, acronym="YAB2")
    client.force_login(auditor)
    history_url = reverse("admin:partners_organisation_history", args=[partner_org.pk])
    page = client.get(history_url)
    assert page.status_code == 200
    assert officer.username in page.content.decode()
    version = partner_org.history.last()
    revert_url = reverse("admin:partners_organisation_simple_history", args=[partner_org.pk, version.history_id])
    assert client.get(revert_url).status_code == 200
    assert client.post(revert_url, {"name": partner_org.name}).status_code == 403


# --- query counts do not grow with the number of rows ----------------------------------------------------


def _changelist_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(changelist(name)).status_code == 200
    return len(queries)


def _make_rows(count: int) -> None:
    for _ in range(count):
        programme = ProgrammeFactory(budget_currency=currency("EUR"))
        organisation = OrganisationFactory()
        ParticipationFactory(programme=programme, organisation=organisation, committed_amount=Decimal("10.00"))
        ParticipationFactory(programme=programme)
        ContactFactory(organisation=organisation)
        MembershipFactory(organisation=organisation)
        ProgrammeUpdateFactory(programme=programme)


@pytest.mark.parametrize("name", PROJECT_CHANGELISTS)
def test_changelist_queries_stay_flat(client, admin_user, name):
    client.force_login(admin_user)
    _make_rows(5)
    with_five = _changelist_queries(client, name)
    _make_rows(45)
    with_fifty = _changelist_queries(client, name)
    assert with_fifty == with_five
