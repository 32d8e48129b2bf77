"""IATI 2.03 publication: the kernel assembles one ``iati-activity`` per programme from the parts each module
contributes (``registry.contribute(registry.IATI, "programs.finance.iati.parts")``), in the order the schema
requires, and refuses with readable problems rather than write an invalid file.

A contributor is ``(programmes) -> Iterable[Part | Problem]``: ``programmes`` are the programme records being
published (with ``pk`` and ``code``); each ``Part`` is one element for one programme's activity, under the
``section`` (the element's own name) that fixes its place; each ``Problem`` is a reason that programme cannot be
published as it stands, said so an officer knows what to fix.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

# The order of an iati-activity's children in the IATI 2.03 schema (a sequence: any other order is invalid).
SECTIONS = (
    "iati-identifier",
    "reporting-org",
    "title",
    "description",
    "participating-org",
    "other-identifier",
    "activity-status",
    "activity-date",
    "contact-info",
    "activity-scope",
    "recipient-country",
    "recipient-region",
    "location",
    "sector",
    "tag",
    "country-budget-items",
    "humanitarian-scope",
    "policy-marker",
    "collaboration-type",
    "default-flow-type",
    "default-finance-type",
    "default-aid-type",
    "default-tied-status",
    "budget",
    "planned-disbursement",
    "capital-spend",
    "transaction",
    "document-link",
    "related-activity",
    "legacy-data",
    "conditions",
    "result",
    "crs-add",
    "fss",
)


@dataclass(frozen=True)
class Part:
    """One child element of programme ``programme_id``'s ``iati-activity``; ``element.tag`` is its section."""

    programme_id: int
    element: etree._Element

    @property
    def section(self) -> str:
        return self.element.tag


@dataclass(frozen=True)
class Problem:
    """Why programme ``programme_id`` cannot be published yet, in the reader's language (a lazy string is fine)."""

    programme_id: int
    message: str


def narrative(parent: etree._Element, text: str, language: str | None = None) -> etree._Element:
    """Add a ``narrative`` to ``parent`` (``xml:lang`` set when ``language`` is given, e.g. "id")."""
    element = etree.SubElement(parent, "narrative")
    if language:
        element.set("{http://www.w3.org/XML/1998/namespace}lang", language)
    element.text = text
    return element


def decimal_text(number) -> str:
    """An xsd:decimal: no trailing zeros and never an exponent, whatever the database handed back."""
    return f"{Decimal(number).normalize():f}"


def value(parent: etree._Element, amount, currency: str, on: datetime.date, tag: str = "value") -> etree._Element:
    """A money ``value`` (or ``tag``) in ``parent``: the amount with its own currency and the date it is valued on."""
    element = etree.SubElement(parent, tag, currency=currency, **{"value-date": on.isoformat()})
    element.text = decimal_text(amount)
    return element


def organisation(parent: etree._Element, tag: str, partner) -> etree._Element:
    """A ``provider-org``, ``receiver-org`` or the like for a partner organisation: its IATI identifier when it has
    one, its IATI organisation type, and its name."""
    element = etree.SubElement(parent, tag)
    if partner.iati_identifier:
        element.set("ref", partner.iati_identifier)
    if partner.kind:
        element.set("type", partner.kind)
    narrative(element, partner.name)
    return element
