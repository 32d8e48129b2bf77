"""The IATI activities file: what a published programme says, and why a programme is kept out."""

import datetime

import pytest
from lxml import etree

from cooperation.iati.validation import codelist_errors, schema_errors
from programs.iati import activities_publication
from tests.factories import ProgrammeFactory, sector
from tests.programs.iati.conftest import publishable

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 6, 9, 30, tzinfo=datetime.UTC)


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


def test_a_programme_with_something_to_fix_is_left_out_with_readable_reasons():
    ready = publishable("WAT-1")
    unready = publishable("WAT-2", description="", planned_start=None, countries=["ID", "TL"])
    unready.sector_percentages = {"14030": "60", "14031": "30"}
    unready.save()

    publication = activities_publication([ready, unready], generated_at=NOW)

    assert publication.published == [ready]
    assert publication.problems[unready.pk] == [
        "Add a description of the programme.",
        "Add the planned or actual start date.",
        "Give the percentage of recipient country ID, TL.",
        "Sector percentages add up to 90%, not 100%.",
    ]
    identifiers = [e.text for e in etree.fromstring(publication.xml).iter("iati-identifier")]
    assert identifiers == ["XI-TEST-WAT-1"]


def test_missing_partners_sectors_and_percentages_are_named():
    programme = ProgrammeFactory(code="EDU-1", publish_to_iati=True)
    programme.sectors.set([sector("11420"), sector("14081")])
    programme.sector_percentages = {"11420": "100"}
    programme.save()

    problems = activities_publication([programme], generated_at=NOW).problems[programme.pk]

    assert problems == ["Add at least one participating partner.", "Give the percentage of sector 14081."]
    bare = ProgrammeFactory(code="EDU-2")
    assert "Add a DAC sector." in activities_publication([bare], generated_at=NOW).problems[bare.pk]


def test_nothing_is_published_without_the_organisation_identifier(settings):
    settings.IATI_ORGANISATION_IDENTIFIER = ""
    programme = publishable()

    publication = activities_publication([programme], generated_at=NOW)

    assert publication.xml == b""
    assert publication.problems[programme.pk] == [
        "The organisation's IATI identifier is not set (setting IATI_ORGANISATION_IDENTIFIER)."
    ]


def test_a_programme_s_only_sector_is_all_of_it_and_dates_and_status_follow_the_programme():
    programme = publishable(actual_start=datetime.date(2026, 2, 1), status=3)
    programme.sectors.set([sector("72010")])

    activity = etree.fromstring(activities_publication([programme], generated_at=NOW).xml).find("iati-activity")

    assert [(s.get("code"), s.get("percentage")) for s in activity.findall("sector")] == [("72010", "100")]
    assert activity.find("activity-status").get("code") == "3"
    dates = [(d.get("type"), d.get("iso-date")) for d in activity.findall("activity-date")]
    assert dates == [("1", "2026-01-01"), ("2", "2026-02-01"), ("3", "2027-12-31")]


def test_the_codelist_check_names_a_code_iati_does_not_know():
    xml = activities_publication([publishable()], generated_at=NOW).xml
    bad = xml.replace(b'<activity-status code="2"/>', b'<activity-status code="8"/>').replace(
        b'code="14031"', b'code="99999"'
    )

    errors = codelist_errors(bad)

    assert schema_errors(bad) == []
    assert len(errors) == 2
    assert "activity-status/@code “8” is not in the IATI ActivityStatus codelist." in errors[0]
    assert "sector/@code “99999” is not in the IATI Sector codelist." in errors[1]


def test_the_schema_check_reports_an_element_out_of_order():
    xml = activities_publication([publishable()], generated_at=NOW).xml
    document = etree.fromstring(xml)
    activity = document.find("iati-activity")
    activity.insert(0, activity.find("sector"))

    errors = schema_errors(etree.tostring(document))

    assert errors and "sector" in errors[0]
