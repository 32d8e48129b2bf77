"""The partner list as a spreadsheet: the organisations the page lists, with its filters and sort."""

import pytest
from django.urls import reverse

from cooperation.reference.codes import OrganisationType
from partners.models import Organisation
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory, country
from tests.sheets import export_queries, export_url, records

pytestmark = pytest.mark.django_db


@pytest.fixture
def partners(db):
    ngo = OrganisationFactory(name="Yayasan Sumber Air", acronym="YAB", iati_identifier="ID-KHH-1234")
    ParticipationFactory(programme=ProgrammeFactory(), organisation=ngo)
    ParticipationFactory(programme=ProgrammeFactory(), organisation=ngo)
    agency = OrganisationFactory(
        name="Agence Pacifique", acronym="AP", kind=OrganisationType.GOVERNMENT, country=country("FR"), is_active=False
    )
    return ngo, agency


def test_partners_with_their_kind_country_and_programme_count(client, officer, partners):
    client.force_login(officer)

    rows = records(client.get(export_url("partners.organisations")))

    assert list(rows[0])[:4] == ["Name", "Acronym", "Kind", "Country"]
    agency, ngo = rows  # by name, as on the page
    assert ngo["Name"] == "Yayasan Sumber Air" and ngo["IATI identifier"] == "ID-KHH-1234"
    assert ngo["Kind"] == str(OrganisationType.NATIONAL_NGO.label) and ngo["Country code"] == "ID"
    assert ngo["Programmes"] == 2 and ngo["Active"] == "Yes"
    assert agency["Country code"] == "FR" and agency["Programmes"] == 0 and agency["Active"] == "No"


def test_partner_export_follows_the_page_filters_and_sort(client, officer, partners):
    client.force_login(officer)

    def exported(**query):
        return [row["Name"] for row in records(client.get(export_url("partners.organisations", **query)))]

    def listed(**query):
        return [o.name for o in client.get(reverse("partners:list"), query).context["organisations"]]

    assert exported(country="FR") == listed(country="FR") == ["Agence Pacifique"]
    assert exported(q="sumber") == ["Yayasan Sumber Air"]
    assert exported(ordering="-name") == listed(ordering="-name") == ["Yayasan Sumber Air", "Agence Pacifique"]
    html = client.get(reverse("partners:list"), {"country": "FR"}).content.decode()
    assert f'href="{export_url("partners.organisations", "xlsx", country="FR")}"' in html


def test_auditors_export_partners_and_partner_users_may_not(client, auditor, partner_user, partners):
    client.force_login(auditor)
    assert len(records(client.get(export_url("partners.organisations")))) == Organisation.objects.count()

    client.force_login(partner_user)
    assert client.get(export_url("partners.organisations")).status_code == 403


def test_partner_export_queries_do_not_grow_with_the_rows(client, officer):
    client.force_login(officer)

    def queries_with(count):
        while Organisation.objects.count() < count:
            ParticipationFactory(programme=ProgrammeFactory(), organisation=OrganisationFactory())
        return export_queries(client, export_url("partners.organisations"))

    assert queries_with(2) == queries_with(8)
