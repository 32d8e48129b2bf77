"""``manage.py export_iati``: the file of the programmes marked for publication, checked before it is written."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from lxml import etree

from cooperation.iati.validation import schema_errors
from tests.factories import ProgrammeFactory
from tests.programs.iati.conftest import publishable

pytestmark = pytest.mark.django_db


def export(*args):
    out, err = StringIO(), StringIO()
    call_command("export_iati", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_writes_a_valid_file_of_the_marked_programmes_and_says_what_keeps_others_out(tmp_path):
    publishable("WAT-1")
    publishable("WAT-2", description="")
    ProgrammeFactory(code="NOT-MARKED")
    path = tmp_path / "activities.xml"

    _out, err = export("--output", str(path))

    xml = path.read_bytes()
    assert schema_errors(xml) == []
    assert [e.text for e in etree.fromstring(xml).iter("iati-identifier")] == ["XI-TEST-WAT-1"]
    assert "WAT-2 — Clean water cannot be published yet:\n  - Add a description of the programme." in err


def test_a_named_programme_that_cannot_be_published_fails_and_nothing_is_written(tmp_path):
    publishable("WAT-1")
    publishable("WAT-2", description="")
    path = tmp_path / "activities.xml"

    with pytest.raises(CommandError, match="nothing was written"):
        export("--programme", "WAT-1", "--programme", "WAT-2", "--output", str(path))

    assert not path.exists()


def test_an_unknown_code_is_refused():
    publishable("WAT-1")

    with pytest.raises(CommandError, match="There is no programme with the code NOPE-1."):
        export("--programme", "WAT-1", "--programme", "NOPE-1")


def test_named_programmes_are_published_even_if_not_marked_and_printed_without_output():
    publishable("WAT-1", publish_to_iati=False)

    out, _err = export("--programme", "WAT-1")

    assert schema_errors(out.encode()) == []
    assert "<iati-identifier>XI-TEST-WAT-1</iati-identifier>" in out


def test_the_organisation_file_is_valid(tmp_path):
    publishable("WAT-1")
    path = tmp_path / "organisation.xml"

    export("--organisation", "--output", str(path))

    assert schema_errors(path.read_bytes(), "organisations") == []
