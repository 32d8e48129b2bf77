"""A programme's budget lines and expenditures in its IATI activity.

Budget lines of the same IATI type over the same period in the same currency are one ``budget`` (IATI reads one
budget per period and type): their amounts summed, committed only when every one of them is. Each budget's value
is dated the first day of its period. IATI accepts budgets of a year at most; a longer line is a problem to fix
(divide it into lines of a year or less), never spread over its years by a guess.

Each expenditure is a transaction of type 4 (expenditure) on the day it was spent, its value dated that day. The
payee is named when it is a partner (with its IATI identifier and organisation type), and the invoice number
given as the transaction's reference; a payee who is not a partner is often a person (a consultant, a driver):
neither their name nor their invoice number goes into a public file.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils.translation import gettext as _
from lxml import etree

from cooperation.dates import DateOutOfRange, add_months
from cooperation.iati import Part, Problem, narrative, organisation, value
from programs.budgets.models import BudgetLine, BudgetStatus, Expenditure

EXPENDITURE = "4"  # IATI TransactionType


def within_a_year(start: datetime.date, end: datetime.date) -> bool:
    """Whether a period from ``start`` to ``end`` (both included) lasts a year at most."""
    try:
        return end < add_months(start, 12)
    except DateOutOfRange:  # a year on would pass the last date the calendar keeps: so does no end
        return True


def _budget(lines: list[BudgetLine]) -> etree._Element:
    first = lines[0]
    committed = all(line.status == BudgetStatus.COMMITTED for line in lines)
    status = BudgetStatus.COMMITTED if committed else BudgetStatus.INDICATIVE
    element = etree.Element("budget", type=str(first.budget_type), status=str(status))
    etree.SubElement(element, "period-start", **{"iso-date": first.period_start.isoformat()})
    etree.SubElement(element, "period-end", **{"iso-date": first.period_end.isoformat()})
    value(element, sum((line.amount for line in lines), Decimal(0)), first.currency_id, first.period_start)
    return element


def _line_name(line: BudgetLine) -> str:
    return f"{line.get_category_display()} ({line.description})" if line.description else line.get_category_display()


def budget_parts(programme_ids) -> list[Part | Problem]:
    found: list[Part | Problem] = []
    grouped = defaultdict(list)
    lines = BudgetLine.objects.filter(programme_id__in=programme_ids).order_by(
        "programme_id", "period_start", "period_end", "budget_type", "currency_id", "pk"
    )
    for line in lines:
        if not within_a_year(line.period_start, line.period_end):
            message = _(
                "The budget line %(line)s runs from %(start)s to %(end)s: IATI accepts budgets of a year at most. "
                "Divide it into lines of a year or less."
            ) % {"line": _line_name(line), "start": line.period_start, "end": line.period_end}
            found.append(Problem(line.programme_id, message))
            continue
        key = (line.programme_id, line.period_start, line.period_end, line.budget_type, line.currency_id)
        grouped[key].append(line)
    found += [Part(key[0], _budget(group)) for key, group in grouped.items()]
    return found


def _expenditure(expenditure: Expenditure) -> etree._Element:
    element = etree.Element("transaction")
    payee = expenditure.payee_organisation
    if payee is not None and expenditure.reference:
        element.set("ref", expenditure.reference)
    etree.SubElement(element, "transaction-type", code=EXPENDITURE)
    etree.SubElement(element, "transaction-date", **{"iso-date": expenditure.spent_on.isoformat()})
    value(element, expenditure.amount, expenditure.currency_id, expenditure.spent_on)
    narrative(etree.SubElement(element, "description"), expenditure.get_category_display())
    if payee is not None:
        organisation(element, "receiver-org", payee)
    return element


def expenditure_parts(programme_ids) -> list[Part]:
    expenditures = (
        Expenditure.objects.filter(programme_id__in=programme_ids)
        .select_related("payee_organisation")
        .order_by("programme_id", "spent_on", "pk")
    )
    return [Part(expenditure.programme_id, _expenditure(expenditure)) for expenditure in expenditures]


def parts(programmes) -> list[Part | Problem]:
    """Budgets' contribution to the IATI file for ``programmes``: two queries however many lines and expenditures."""
    programme_ids = [programme.pk for programme in programmes]
    return [*budget_parts(programme_ids), *expenditure_parts(programme_ids)]
