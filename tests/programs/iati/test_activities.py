"""The IATI activities file: what a published programme says, and why a programme is kept out."""

import datetime

import pytest
from lxml import etree

from cooperation.iati.validation import codelist_errors, schema_errors
from cooperation.reference.codes import OrganisationRole, OrganisationType
from programs.iati import activities_publication
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory, sector

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 6, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _publisher(settings):
    settings.IATI_ORGANISATION_IDENTIFIER = "XI-TEST"
    settings.IATI_ORGANISATION_NAME = "Test Cooperation Agency"
    settings.IATI_ORGANISATION_TYPE = "10"


def publishable(code="WAT-1", **fields):
    programme = ProgrammeFactory(
        code=code,
        title="Clean water",
        title_indonesian="Air bersih",
        description="Wells and water points.",
        sector_percentages={"14030": "60", "14031": "40"},
        publish_to_iati=True,
        **fields,
    )
    programme.sectors.set([sector("14030"), sector("14031")])
    funder = OrganisationFactory(name="Asian Fund", kind=OrganisationType.MULTILATERAL, iati_identifier="XM-DAC-46004")
    ParticipationFactory(programme=programme, organisation=funder, role=OrganisationRole.FUNDING)
    ParticipationFactory(programme=programme, role=OrganisationRole.IMPLEMENTING)
    return programme


def test_a_ready_programme_makes_a_file_the_iati_schema_accepts():
    programme = publishable()

    publication = activities_publication([programme], generated_at=NOW)

    assert publication.problems == {}
    assert publication.published == [programme]
    assert schema_errors(publication.xml) == []
    assert codelist_errors(publication.xml) == []
    activity = etree.fromstring(publication.xml).find("iati-activity")
    assert activity.findtext("iati-identifier") == "XI-TEST-WAT-1"
    assert activity.find("reporting-org").get("ref") == "XI-TEST"
    assert activity.find("reporting-org").findtext("narrative") == "Test Cooperation Agency"
    assert [(s.get("code"), s.get("percentage")) for s in activity.findall("sector")] == [
        ("14030", "60"),
        ("14031", "40"),
    ]
    titles = activity.find("title").findall("narrative")
    assert [t.text for t in titles] == ["Clean water", "Air bersih"]
    assert titles[1].get("{http://www.w3.org/XML/1998/namespace}lang") == "id"
    funder = activity.find("participating-org[@role='1']")
    assert (funder.get("ref"), funder.get("type")) == ("XM-DAC-46004", "40")
    assert activity.get("default-currency") == "USD"
