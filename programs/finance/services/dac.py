"""The OECD DAC thresholds for concessional loans, kept as data: a change of the rules is a new row (valid from the
day it takes effect) or a corrected one, never a release."""

from django.db import transaction
from django.db.models import Q, QuerySet

from cooperation.access import require_perm
from cooperation.models import assign_fields
from cooperation.roles import Perm
from cooperation.workflow import only_fields, update_by
from programs.finance import summaries
from programs.finance.models import DacRule, Loan
from programs.finance.selectors.dac import dac_rules, kept_dac_concessional

DAC_RULE_FIELDS = ("category", "minimum_grant_element", "discount_rate", "valid_from")


@transaction.atomic
def dac_rule_create(*, created_by, **data) -> DacRule:
    """A rule for a category from ``valid_from`` on; the rule before it applies to loans committed earlier."""
    require_perm(created_by, Perm.ADD_DAC_RULE)
    only_fields("dac_rule_create", data, DAC_RULE_FIELDS)
    rule = DacRule()
    assign_fields(rule, DAC_RULE_FIELDS, data)
    rule.full_clean()
    rule._history_user = created_by
    rule.save()
    refresh_dac_figures(loans_in_category(rule.category))
    return rule


@transaction.atomic
def dac_rule_update(*, rule: DacRule, updated_by, **data) -> DacRule:
    """Correct a rule: every loan committed while it is in force is judged by the corrected figures."""
    require_perm(updated_by, Perm.CHANGE_DAC_RULE)
    only_fields("dac_rule_update", data, DAC_RULE_FIELDS)
    category_before = rule.category
    update_by(rule, updated_by, DAC_RULE_FIELDS, data)
    refresh_dac_figures(loans_in_category(category_before) | loans_in_category(rule.category))
    return rule


def loans_in_category(category: str) -> QuerySet[Loan]:
    """The loans whose recipient category is ``category``: their programme's, else their borrower's."""
    return Loan.objects.filter(
        Q(programme__dac_category=category) | Q(programme__dac_category="", borrower__dac_category=category)
    )


def refresh_dac_figures(loans: QuerySet[Loan]) -> int:
    """Recompute ``Loan.dac_concessional`` of ``loans`` after a category or a rule changed, in the caller's
    transaction; the rules are read once. Returns how many loans changed."""
    rules = dac_rules()
    changed, findings = [], []
    for loan in loans.select_related("programme", "borrower", "currency").order_by("pk").iterator(chunk_size=500):
        concessional = kept_dac_concessional(loan, rules)
        if concessional != loan.dac_concessional:
            findings.append((loan, loan.dac_concessional))
            loan.dac_concessional = concessional
            changed.append(loan)
    Loan.objects.bulk_update(changed, ["dac_concessional"], batch_size=500)
    summaries.findings_changed(findings)
    return len(changed)


def organisation_category_changed(*, organisation, changed_by) -> None:
    """A borrower's recipient category changed: its loans whose programme records none are judged again."""
    refresh_dac_figures(Loan.objects.filter(borrower=organisation))


def programme_category_changed(*, programme, changed_by) -> None:
    """A programme's recipient category changed: every loan of the programme is judged again."""
    refresh_dac_figures(Loan.objects.filter(programme=programme))
