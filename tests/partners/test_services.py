import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.reference.codes import OrganisationType
from partners.models import Contact, Organisation
from partners.services import contact_create, contact_update, organisation_create, organisation_update
from tests.factories import ContactFactory, OrganisationFactory, country

pytestmark = pytest.mark.django_db


def _organisation_data(**overrides):
    data = {"name": "Pacific Water Trust", "kind": OrganisationType.FOUNDATION, "country": country("FJ")}
    data.update(overrides)
    return data


def test_officer_creates_a_partner_recorded_in_its_history(officer):
    organisation = organisation_create(created_by=officer, **_organisation_data(acronym="PWT"))
    assert Organisation.objects.get().acronym == "PWT"
    record = organisation.history.get()
    assert (record.history_type, record.history_user) == ("+", officer)


def test_auditor_and_partner_user_cannot_create_partners(auditor, partner_user):
    for user in (auditor, partner_user):
        with pytest.raises(PermissionDenied):
            organisation_create(created_by=user, **_organisation_data())
    assert not Organisation.objects.filter(name="Pacific Water Trust").exists()


def test_duplicate_name_is_refused_on_the_name(officer, partner_org):
    with pytest.raises(ValidationError) as error:
        organisation_create(created_by=officer, **_organisation_data(name=partner_org.name))
    assert "name" in error.value.message_dict


def test_update_records_who_changed_it_and_skips_saves_that_change_nothing(officer, partner_org):
    organisation_update(organisation=partner_org, updated_by=officer, website="https://yab.example.org")
    organisation_update(organisation=partner_org, updated_by=officer, website="https://yab.example.org")
    changes = partner_org.history.filter(history_type="~")
    assert changes.count() == 1
    assert changes.get().history_user == officer


def test_update_refuses_a_malformed_iati_identifier(officer, partner_org):
    with pytest.raises(ValidationError) as error:
        organisation_update(organisation=partner_org, updated_by=officer, iati_identifier="12345")
    assert "iati_identifier" in error.value.message_dict
    partner_org.refresh_from_db()
    assert partner_org.iati_identifier == ""


def test_contact_email_is_unique_within_an_organisation_only(officer, partner_org, other_org):
    contact_create(organisation=partner_org, created_by=officer, name="Ana", email="ana@example.org")
    contact_create(organisation=other_org, created_by=officer, name="Ana", email="ana@example.org")
    with pytest.raises(ValidationError):
        contact_create(organisation=partner_org, created_by=officer, name="Ana B", email="ana@example.org")
    assert Contact.objects.count() == 2


def test_contact_update_needs_the_change_permission(officer, auditor):
    contact = ContactFactory(organisation=OrganisationFactory(), position="Lead")
    with pytest.raises(PermissionDenied):
        contact_update(contact=contact, updated_by=auditor, position="Chair")
    contact_update(contact=contact, updated_by=officer, position="Chair")
    contact.refresh_from_db()
    assert contact.position == "Chair"
    assert contact.history.latest().history_user == officer
