"""The kernel's activities file: the contributors' parts in the schema's order, problems keeping a programme out."""

import datetime
from types import SimpleNamespace

from lxml import etree

from cooperation import registry
from cooperation.iati import Part, Problem
from cooperation.iati.writer import activities_file

NOW = datetime.datetime(2026, 12, 6, 9, 30, tzinfo=datetime.UTC)


def _element(tag, **attributes):
    return etree.Element(tag, attributes)


def test_parts_are_put_in_the_schema_order_and_a_problem_keeps_a_programme_out(monkeypatch):
    first, second = SimpleNamespace(pk=1, code="A"), SimpleNamespace(pk=2, code="B")

    def money(programmes):
        for programme in programmes:
            yield Part(programme.pk, _element("transaction", ref="t1"))
            yield Part(programme.pk, _element("budget", ref="b1"))
            yield Part(programme.pk, _element("transaction", ref="t2"))

    def core(programmes):
        yield Part(1, _element("iati-identifier"))
        yield Part(1, _element("sector", code="72010"))
        yield Problem(2, "Add a DAC sector.")

    monkeypatch.setattr(registry, "contributors", lambda kind: [money, core] if kind == registry.IATI else [])

    publication = activities_file([first, second], generated_at=NOW, attributes=lambda p: {"humanitarian": "0"})

    assert publication.published == [first]
    assert publication.problems == {2: ["Add a DAC sector."]}
    root = etree.fromstring(publication.xml)
    assert (root.get("version"), root.get("generated-datetime")) == ("2.03", "2026-12-06T09:30:00+00:00")
    activity = root.find("iati-activity")
    assert activity.get("humanitarian") == "0"
    assert activity.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert [(child.tag, child.get("ref")) for child in activity] == [
        ("iati-identifier", None),
        ("sector", None),
        ("budget", "b1"),
        ("transaction", "t1"),
        ("transaction", "t2"),
    ]


def test_no_file_when_no_programme_can_be_published(monkeypatch):
    monkeypatch.setattr(registry, "contributors", lambda kind: [lambda programmes: [Problem(1, "Not yet.")]])

    publication = activities_file([SimpleNamespace(pk=1, code="A")], generated_at=NOW)

    assert (publication.xml, publication.published, publication.problems) == (b"", [], {1: ["Not yet."]})
