"""The pieces finance's IATI elements share: amounts, organisations, transactions and planned disbursements."""

import datetime
from decimal import Decimal

from lxml import etree

from cooperation.iati import narrative, organisation, value

STANDARD_LOAN = "421"  # IATI FinanceType
STANDARD_GRANT = "110"


class TransactionType:
    """The IATI TransactionType codes finance reports."""

    COMMITMENT = "2"  # Outgoing Commitment
    DISBURSEMENT = "3"
    INTEREST = "5"  # Interest Payment (received on a loan)
    REPAYMENT = "6"  # Loan Repayment (principal received back)


def iso(day: datetime.date) -> str:
    return day.isoformat()


def transaction(
    *,
    code: str,
    on: datetime.date,
    amount: Decimal,
    currency: str,
    description: str,
    finance_type: str,
    provider=None,
    receiver=None,
    ref: str = "",
) -> etree._Element:
    """A ``transaction`` with its children in the schema's order: type, date, value (dated the day it happened),
    description, provider, receiver, finance type."""
    element = etree.Element("transaction")
    if ref:
        element.set("ref", ref)
    etree.SubElement(element, "transaction-type", code=code)
    etree.SubElement(element, "transaction-date", **{"iso-date": iso(on)})
    value(element, amount, currency, on)
    narrative(etree.SubElement(element, "description"), description)
    if provider is not None:
        organisation(element, "provider-org", provider)
    if receiver is not None:
        organisation(element, "receiver-org", receiver)
    etree.SubElement(element, "finance-type", code=finance_type)
    return element


def planned_disbursement(
    *, on: datetime.date, amount: Decimal, currency: str, provider=None, receiver=None
) -> etree._Element:
    """A ``planned-disbursement`` as first planned (type 1, original) for one day: start and end are that day."""
    element = etree.Element("planned-disbursement", type="1")
    etree.SubElement(element, "period-start", **{"iso-date": iso(on)})
    etree.SubElement(element, "period-end", **{"iso-date": iso(on)})
    value(element, amount, currency, on)
    if provider is not None:
        organisation(element, "provider-org", provider)
    if receiver is not None:
        organisation(element, "receiver-org", receiver)
    return element
