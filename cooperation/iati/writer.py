"""The IATI files: every contributor's parts for each programme, in the order the schema requires.

``activities_file`` asks every ``registry.IATI`` provider, then writes one ``iati-activity`` for each programme
no provider found a problem with; ``organisation_file`` writes the publisher's ``iati-organisation``. Neither
knows what a programme is beyond its ``pk``: the caller says which attributes each activity carries.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from lxml import etree

from cooperation import registry
from cooperation.iati import SECTIONS, Part, Problem, narrative

VERSION = "2.03"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_SECTION_INDEX = {section: index for index, section in enumerate(SECTIONS)}


@dataclass
class Publication:
    """An IATI file and what kept programmes out of it: ``xml`` is empty when no programme could be published
    (an activities file needs at least one activity); ``problems`` lists, by programme id, what to fix first."""

    xml: bytes
    problems: dict[int, list[str]] = field(default_factory=dict)
    published: list = field(default_factory=list)


def collect(programmes: Sequence) -> tuple[dict[int, list[Part]], dict[int, list[str]]]:
    """Every contributor's parts and problems, by programme id."""
    parts: dict[int, list[Part]] = defaultdict(list)
    problems: dict[int, list[str]] = defaultdict(list)
    for provider in registry.contributors(registry.IATI):
        for item in provider(programmes):
            if isinstance(item, Problem):
                problems[item.programme_id].append(str(item.message))
            elif isinstance(item, Part):
                if item.section not in _SECTION_INDEX:
                    raise ValueError(f"{item.section!r} is not a child of iati-activity in IATI {VERSION}")
                parts[item.programme_id].append(item)
    return parts, problems


def activity_element(parts: Iterable[Part], attributes: dict[str, str]) -> etree._Element:
    """One ``iati-activity``: ``attributes`` ("default-currency", ...) and the parts in schema order, parts of one
    section in the order they came."""
    activity = etree.Element("iati-activity")
    for name, value in attributes.items():
        activity.set(name, value)
    for part in sorted(parts, key=lambda part: _SECTION_INDEX[part.section]):
        activity.append(part.element)
    return activity


def activities_file(
    programmes: Sequence,
    *,
    generated_at: datetime,
    attributes: Callable[[object], dict[str, str]] = lambda programme: {},
) -> Publication:
    """The ``iati-activities`` file of ``programmes``, without those a contributor found a problem with.

    ``attributes(programme)`` gives an activity's own attributes besides ``xml:lang`` ("en"):
    ``last-updated-datetime``, ``default-currency``, ``humanitarian``."""
    programmes = list(programmes)
    parts, problems = collect(programmes)
    published = [programme for programme in programmes if not problems.get(programme.pk)]
    if not published:
        return Publication(xml=b"", problems=dict(problems), published=[])
    root = etree.Element("iati-activities", version=VERSION)
    root.set("generated-datetime", timestamp(generated_at))
    for programme in published:
        root.append(activity_element(parts.get(programme.pk, ()), {XML_LANG: "en", **attributes(programme)}))
    return Publication(xml=serialise(root), problems=dict(problems), published=published)


@dataclass(frozen=True)
class TotalBudget:
    """What the organisation plans to spend over one period, in one currency."""

    period_start: date
    period_end: date
    amount: Decimal
    currency: str


def organisation_file(
    *,
    identifier: str,
    name: str,
    organisation_type: str,
    default_currency: str,
    budgets: Iterable[TotalBudget],
    generated_at: datetime,
    last_updated: datetime | None,
    value_date: date,
) -> bytes:
    """The ``iati-organisations`` file of the publishing organisation, with its total budget per period;
    ``last_updated`` (an optional attribute) is left out when nothing it covers was ever updated."""
    root = etree.Element("iati-organisations", version=VERSION)
    root.set("generated-datetime", timestamp(generated_at))
    organisation = etree.SubElement(root, "iati-organisation")
    if last_updated is not None:
        organisation.set("last-updated-datetime", timestamp(last_updated))
    organisation.set(XML_LANG, "en")
    organisation.set("default-currency", default_currency)
    etree.SubElement(organisation, "organisation-identifier").text = identifier
    narrative(etree.SubElement(organisation, "name"), name)
    reporting = etree.SubElement(organisation, "reporting-org", ref=identifier, type=organisation_type)
    narrative(reporting, name)
    for budget in budgets:
        total = etree.SubElement(organisation, "total-budget", status="2")
        etree.SubElement(total, "period-start", {"iso-date": budget.period_start.isoformat()})
        etree.SubElement(total, "period-end", {"iso-date": budget.period_end.isoformat()})
        value = etree.SubElement(total, "value", {"currency": budget.currency, "value-date": value_date.isoformat()})
        value.text = decimal_text(budget.amount)
    return serialise(root)


def timestamp(moment: datetime) -> str:
    """An ``xsd:dateTime`` to the second, with its offset (IATI wants the time zone said)."""
    return moment.replace(microsecond=0).isoformat()


def decimal_text(amount: Decimal) -> str:
    """An amount as ``xsd:decimal``: plain digits, never an exponent."""
    return format(amount, "f")


def serialise(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
