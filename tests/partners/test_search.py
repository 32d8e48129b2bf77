"""The staff's search box among partners and their contacts."""

from cooperation.search import search
from tests.factories import ContactFactory, OrganisationFactory


def _groups(user, query) -> dict:
    return {group.key: group for group in search(user, query)}


def test_officer_finds_partners_by_name_acronym_and_iati_identifier(officer):
    flores = OrganisationFactory(name="Bank of Flores", acronym="BOF", iati_identifier="ID-KMN-12345")
    OrganisationFactory(name="Pacific Relief Network", acronym="PRN")
    for query in ("flores", "BOF", "KMN-123"):
        found = _groups(officer, query)["partners.organisations"]
        assert [hit.title for hit in found.hits] == ["Bank of Flores"], query
        assert found.hits[0].url == f"/partners/{flores.pk}/"
    assert "partners.organisations" not in _groups(officer, "nothing like it")


def test_contacts_are_found_by_name_or_email_by_staff(officer, auditor):
    organisation = OrganisationFactory(name="Yayasan Air")
    ContactFactory(organisation=organisation, name="Siti Rahma", email="siti@air.example")
    for user in (officer, auditor):
        for query in ("Rahma", "siti@air"):
            hits = _groups(user, query)["partners.contacts"].hits
            assert [hit.title for hit in hits] == ["Siti Rahma"]
            assert "siti@air.example" in hits[0].detail and "Yayasan Air" in hits[0].detail


def test_partner_users_find_nothing_for_now(partner_user, partner_org):
    ContactFactory(organisation=partner_org, name="Budi")
    assert search(partner_user, partner_org.name) == []
    assert search(partner_user, "Budi") == []


def test_auditor_finds_every_partner(auditor, partner_org, other_org):
    found = _groups(auditor, "a")["partners.organisations"]
    assert {hit.title for hit in found.hits} >= {partner_org.name, other_org.name}
