"""The demonstration data publishes: the programmes it marks for IATI make a file the schema and codelists accept."""

from io import StringIO

import pytest
from django.core.management import call_command
from lxml import etree

from cooperation.iati.validation import codelist_errors, schema_errors
from programs.iati import activities_publication
from programs.models import Programme

pytestmark = pytest.mark.django_db


def test_the_demo_programmes_marked_for_iati_are_published_in_a_valid_file():
    call_command("load_demo", stdout=StringIO())
    marked = Programme.objects.filter(publish_to_iati=True)

    publication = activities_publication(marked)

    assert publication.problems == {}
    assert schema_errors(publication.xml) == []
    assert codelist_errors(publication.xml) == []
    identifiers = {e.text for e in etree.fromstring(publication.xml).iter("iati-identifier")}
    marked_codes = {"KSM-2025-001", "KSM-2026-001", "KSM-2026-002", "KSM-2026-003"}
    assert {f"XI-TEST-{code}" for code in marked_codes} <= identifiers
    titles = [n.text for n in etree.fromstring(publication.xml).iterfind(".//title/narrative")]
    assert "Air bersih untuk desa-desa di Kupang" in titles
