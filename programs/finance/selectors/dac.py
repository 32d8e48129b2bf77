"""Whether a loan is concessional under the OECD DAC rules: its grant element at the discount rate of its
recipient's category, against that category's minimum, by the rule in force on the day the loan was committed.

The rules are rows of ``DacRule`` (read once per page, a handful of them); the grant element is computed from the
schedule the loan's terms give, without a query.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from partners.models import DacCategory
from programs.finance import schedule
from programs.finance.models import DacRule, Loan


@dataclass(frozen=True)
class DacTest:
    """The DAC test of one loan. ``category`` is empty when neither the programme nor the borrower records it;
    ``rule`` is None when no rule was in force for it on ``committed_on``; ``concessional`` is None when the test
    cannot be made (no category, no rule, or terms that give no schedule)."""

    category: str
    committed_on: datetime.date
    rule: DacRule | None = None
    grant_element: Decimal | None = None

    @property
    def category_label(self) -> str:
        return DacCategory(self.category).label if self.category else ""

    @property
    def concessional(self) -> bool | None:
        if self.rule is None or self.grant_element is None:
            return None
        return self.grant_element >= self.rule.minimum_grant_element


def dac_rules() -> list[DacRule]:
    """Every rule, newest first within each category: one query, read once for a page of loans."""
    return list(DacRule.objects.order_by("category", "-valid_from"))


def rule_in_force(rules: list[DacRule], category: str, on: datetime.date) -> DacRule | None:
    """The rule for ``category`` in force on ``on``: the latest one valid from that day or before."""
    in_force = [rule for rule in rules if rule.category == category and rule.valid_from <= on]
    return max(in_force, key=lambda rule: rule.valid_from, default=None)


def loan_dac_category(loan: Loan) -> str:
    """The recipient category of ``loan``: its programme's when recorded there, else its borrower's."""
    return loan.programme.dac_category or loan.borrower.dac_category


def commitment_date(loan: Loan, today: datetime.date | None = None) -> datetime.date:
    """The day the loan was committed (approved), as the DAC reports it; today for a loan not yet approved."""
    if loan.approved_at is not None:
        return timezone.localdate(loan.approved_at)
    return today or timezone.localdate()


def grant_element_at(loan: Loan, discount_rate: Decimal) -> Decimal | None:
    """The loan's grant element at ``discount_rate``, from the schedule its terms give; None when they give none."""
    from programs.finance.services.terms import loan_schedule_rows

    try:
        rows = loan_schedule_rows(loan)
        return schedule.grant_element(rows, loan.principal, loan.disbursed_on or loan.disbursement_date, discount_rate)
    except (ValidationError, ValueError, ArithmeticError):
        return None


def loan_dac_test(loan: Loan, rules: list[DacRule] | None = None, today: datetime.date | None = None) -> DacTest:
    """The DAC test of ``loan`` (its programme and borrower loaded with it); ``rules`` from ``dac_rules``."""
    category = loan_dac_category(loan)
    committed_on = commitment_date(loan, today)
    if not category:
        return DacTest(category, committed_on)
    rule = rule_in_force(dac_rules() if rules is None else rules, category, committed_on)
    if rule is None:
        return DacTest(category, committed_on)
    return DacTest(category, committed_on, rule, grant_element_at(loan, rule.discount_rate))


def kept_dac_concessional(loan: Loan, rules: list[DacRule] | None = None) -> bool | None:
    """What ``Loan.dac_concessional`` keeps: the loan's DAC test, without reading the rules when no category applies."""
    if not loan_dac_category(loan):
        return None
    return loan_dac_test(loan, rules).concessional
