import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.reference.codes import OrganisationRole, OrganisationType
from partners.models import Contact, Organisation
from partners.services import organisation_update
from tests.factories import ContactFactory, OrganisationFactory, ParticipationFactory, ProgrammeFactory, country

pytestmark = pytest.mark.django_db


def organisation_post(**overrides):
    data = {
        "name": "Yayasan Pangan Sehat",
        "acronym": "YPS",
        "kind": OrganisationType.NATIONAL_NGO,
        "country": "ID",
        "iati_identifier": "ID-KHK-12345",
        "website": "https://pangan.example.org",
        "address": "Jl. Merdeka 1\nKupang",
    }
    data.update(overrides)
    return data


def contact_post(**overrides):
    data = {
        "name": "Siti Rahma",
        "email": "siti@pangan.example.org",
        "phone": "+62 380 123",
        "position": "Director",
        "preferred_language": "id",
        "receives_reminders": "on",
    }
    data.update(overrides)
    return data


# --- Creating and editing partners --------------------------------------------------------------------


def test_officer_adds_a_partner(client, officer):
    client.force_login(officer)
    page = client.get(reverse("partners:create")).content.decode()
    assert '<option value="ID">Indonesia</option>' in page  # countries by name, not code
    assert 'name="is_active"' not in page

    response = client.post(reverse("partners:create"), organisation_post())

    organisation = Organisation.objects.get(name="Yayasan Pangan Sehat")
    assert response.status_code == 302
    assert response.url == reverse("partners:detail", args=[organisation.pk])
    assert (organisation.country, organisation.kind, organisation.is_active) == (
        country("ID"),
        OrganisationType.NATIONAL_NGO,
        True,
    )
    assert organisation.history.get().history_user == officer


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"iati_identifier": "not an id"}, "iati_identifier"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"country": "ZZ"}, "country"),
        ({"country": "AN"}, "country"),  # no longer an active country
        ({"kind": "99"}, "kind"),
        ({"website": "not a website"}, "website"),
    ],
)
def test_bad_partner_input_shows_field_error_and_saves_nothing(client, officer, overrides, field):
    client.force_login(officer)
    response = client.post(reverse("partners:create"), organisation_post(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert f'class="field field-error" id="field-{field}"' in response.content.decode()
    assert not Organisation.objects.exists()


def test_duplicate_name_and_iati_identifier_are_shown_next_to_their_fields(client, officer):
    OrganisationFactory(name="Yayasan Pangan Sehat", iati_identifier="ID-KHK-12345")
    client.force_login(officer)

    same_name = client.post(reverse("partners:create"), organisation_post(iati_identifier=""))
    assert same_name.context["form"].errors["name"]

    same_identifier = client.post(reverse("partners:create"), organisation_post(name="Another Foundation"))
    assert same_identifier.context["form"].errors["iati_identifier"] == [
        "Another partner already has this IATI identifier."
    ]
    assert Organisation.objects.count() == 1


def test_officer_edits_a_partner_and_history_shows_the_change(client, officer, partner_org):
    client.force_login(officer)
    form_page = client.get(reverse("partners:edit", args=[partner_org.pk]))
    assert form_page.context["form"]["name"].value() == "Yayasan Air Bersih"

    response = client.post(
        reverse("partners:edit", args=[partner_org.pk]),
        organisation_post(name="Yayasan Air Bersih Nusantara", acronym="YAB", is_active="on"),
    )

    assert response.status_code == 302
    partner_org.refresh_from_db()
    assert partner_org.name == "Yayasan Air Bersih Nusantara"
    page = client.get(reverse("partners:detail", args=[partner_org.pk])).content.decode()
    assert "Change history" in page
    assert "<del>Yayasan Air Bersih</del>" in page
    assert "<ins>Yayasan Air Bersih Nusantara</ins>" in page


def test_refused_edit_keeps_the_saved_partner(client, officer, partner_org, other_org):
    client.force_login(officer)
    response = client.post(
        reverse("partners:edit", args=[partner_org.pk]), organisation_post(name=other_org.name, is_active="on")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    partner_org.refresh_from_db()
    assert partner_org.name == "Yayasan Air Bersih"
    assert "Edit Yayasan Air Bersih" in response.content.decode()


def test_editing_a_partner_from_a_retired_country_keeps_that_country(client, officer):
    organisation = OrganisationFactory(country=country("AN"))
    client.force_login(officer)
    response = client.post(
        reverse("partners:edit", args=[organisation.pk]),
        organisation_post(name=organisation.name, country="AN", is_active="on"),
    )
    assert response.status_code == 302


# --- Contacts ------------------------------------------------------------------------------------------------


def test_officer_adds_and_edits_a_contact(client, officer, partner_org):
    client.force_login(officer)
    created = client.post(reverse("partners:contact_create", args=[partner_org.pk]), contact_post())
    assert created.status_code == 302
    contact = Contact.objects.get(organisation=partner_org)
    assert (contact.name, contact.preferred_language, contact.receives_reminders) == ("Siti Rahma", "id", True)

    edited = client.post(
        reverse("partners:contact_edit", args=[partner_org.pk, contact.pk]),
        contact_post(position="Chair", is_active="on"),
    )
    assert edited.status_code == 302
    contact.refresh_from_db()
    assert contact.position == "Chair"

    page = client.get(reverse("partners:detail", args=[partner_org.pk])).content.decode()
    assert "siti@pangan.example.org" in page
    assert "Contact: Siti Rahma" in page  # contact changes appear in the partner's history


def test_duplicate_contact_email_is_shown_next_to_the_email(client, officer, partner_org):
    ContactFactory(organisation=partner_org, email="siti@pangan.example.org")
    client.force_login(officer)
    response = client.post(reverse("partners:contact_create", args=[partner_org.pk]), contact_post())
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["This organisation already has a contact with this email."]
    assert Contact.objects.count() == 1


def test_contact_of_another_organisation_is_not_found(client, officer, partner_org, other_org):
    contact = ContactFactory(organisation=other_org)
    client.force_login(officer)
    response = client.get(reverse("partners:contact_edit", args=[partner_org.pk, contact.pk]))
    assert response.status_code == 404


# --- Who may do what ----------------------------------------------------------------------------------------------


def test_auditor_reads_partners_but_cannot_change_them(client, auditor, partner_org):
    contact = ContactFactory(organisation=partner_org)
    client.force_login(auditor)
    listing = client.get(reverse("partners:list"))
    assert listing.status_code == 200
    assert reverse("partners:create") not in listing.content.decode()

    detail = client.get(reverse("partners:detail", args=[partner_org.pk])).content.decode()
    assert contact.email in detail
    assert reverse("partners:edit", args=[partner_org.pk]) not in detail
    assert reverse("partners:contact_create", args=[partner_org.pk]) not in detail
    assert reverse("partners:contact_edit", args=[partner_org.pk, contact.pk]) not in detail
    assert "Change history" in detail

    assert client.post(reverse("partners:create"), organisation_post()).status_code == 403
    assert client.post(reverse("partners:edit", args=[partner_org.pk]), organisation_post()).status_code == 403
    assert client.post(reverse("partners:contact_create", args=[partner_org.pk]), contact_post()).status_code == 403
    edit_contact = client.post(reverse("partners:contact_edit", args=[partner_org.pk, contact.pk]), contact_post())
    assert edit_contact.status_code == 403
    assert Organisation.objects.count() == 1
    assert Contact.objects.get().name == contact.name


def test_partner_user_gets_403_on_lists_and_404_on_records(client, partner_user, partner_org):
    client.force_login(partner_user)
    assert client.get(reverse("partners:list")).status_code == 403
    assert client.get(reverse("partners:create")).status_code == 403
    for pk in (partner_org.pk, partner_org.pk + 1000):
        assert client.get(reverse("partners:detail", args=[pk])).status_code == 404
        assert client.get(reverse("partners:edit", args=[pk])).status_code == 404
        assert client.get(reverse("partners:contact_create", args=[pk])).status_code == 404


# --- Detail page ---------------------------------------------------------------------------------------------------


def test_detail_lists_the_programmes_the_partner_takes_part_in(client, officer, partner_org):
    programme = ProgrammeFactory(code="WAT-9", title="Water in Sumba")
    ParticipationFactory(programme=programme, organisation=partner_org, role=OrganisationRole.ACCOUNTABLE)
    ProgrammeFactory(code="OTHER-1")
    client.force_login(officer)
    response = client.get(reverse("partners:detail", args=[partner_org.pk]))
    page = response.content.decode()
    assert "WAT-9" in page and "Water in Sumba" in page and "Accountable" in page
    assert "OTHER-1" not in page
    assert reverse("programs:detail", args=[programme.pk]) in page


def test_history_entries_name_who_changed_what(client, officer, manager, partner_org):
    organisation_update(organisation=partner_org, updated_by=manager, acronym="YABN", is_active=False)
    client.force_login(officer)
    history = client.get(reverse("partners:detail", args=[partner_org.pk])).context["history"]
    latest = history[0]
    assert latest.who == manager
    assert latest.action == "changed"
    assert {(c.label, c.old, c.new) for c in latest.changes} == {("Acronym", "YAB", "YABN"), ("Active", "Yes", "No")}


# --- List page -----------------------------------------------------------------------------------------------------


def test_list_searches_filters_and_sorts(client, officer):
    OrganisationFactory(name="Alpha Relief", acronym="AR", kind=OrganisationType.INTERNATIONAL_NGO)
    OrganisationFactory(name="Beta Foundation", acronym="BF", kind=OrganisationType.FOUNDATION, country=country("TL"))
    OrganisationFactory(name="Gamma Relief", acronym="GR", kind=OrganisationType.FOUNDATION)
    client.force_login(officer)

    def names(**params):
        return [o.name for o in client.get(reverse("partners:list"), params).context["organisations"]]

    assert names() == ["Alpha Relief", "Beta Foundation", "Gamma Relief"]
    assert names(q="relief") == ["Alpha Relief", "Gamma Relief"]
    assert names(kind=OrganisationType.FOUNDATION) == ["Beta Foundation", "Gamma Relief"]
    assert names(country="TL") == ["Beta Foundation"]
    assert names(ordering="-name") == ["Gamma Relief", "Beta Foundation", "Alpha Relief"]

    page = client.get(reverse("partners:list"), {"ordering": "-name", "q": "a"}).content.decode()
    assert 'aria-sort="descending"' in page
    assert 'href="?ordering=name&amp;q=a"' in page  # clicking again sorts ascending, keeping the search


def test_list_pages_by_25(client, officer):
    OrganisationFactory.create_batch(27)
    client.force_login(officer)
    assert len(client.get(reverse("partners:list")).context["organisations"]) == 25
    assert len(client.get(reverse("partners:list"), {"page": 2}).context["organisations"]) == 2


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_list_runs_the_same_number_of_queries_for_5_and_50_partners(client, officer):
    def partners_with_programmes(count):
        for organisation in OrganisationFactory.create_batch(count):
            ParticipationFactory(organisation=organisation)
            ContactFactory(organisation=organisation)

    client.force_login(officer)
    partners_with_programmes(5)
    few = _queries_for(client, reverse("partners:list"))
    partners_with_programmes(45)
    many = _queries_for(client, reverse("partners:list"))
    assert few == many
