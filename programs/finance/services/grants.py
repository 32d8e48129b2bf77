"""Grants (and remittances) paid in tranches: created with their schedule, each tranche approved (maker–checker),
paid or cancelled."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation import money_flows
from cooperation.access import require_perm
from cooperation.dates import DateOutOfRange, add_months, computed_date_message, date_error
from cooperation.money import currency_problem, positive_amount_problem
from cooperation.refusals import Refusal
from cooperation.risk import acknowledge
from cooperation.roles import Perm
from cooperation.tranche_services import TranchePipeline
from cooperation.workflow import as_decimal, clean_with
from programs.finance import allocation
from programs.finance.models import Grant, Tranche, TrancheStatus
from programs.finance.services.guards import TRANCHE_MOVE_PERMS, TRANCHE_MOVES, FinanceRefusal, tranche_move_refusal
from programs.finance.services.terms import MAX_TRANCHES, save_with_reference
from programs.services import participation_problem


def _grant_errors(*, programme, recipient, amount, currency, tranche_count, first_tranche_on, months_between) -> dict:
    errors = {}
    if programme is None:
        errors["programme"] = _("Choose a programme.")
    elif not programme.is_financial:
        errors["programme"] = _("This programme does not include financial cooperation; grants need one that does.")
    if recipient is None:
        errors["recipient"] = _("Choose the recipient.")
    elif (problem := participation_problem(programme, recipient)) is not None:
        errors["recipient"] = problem
    if currency is None:
        errors["currency"] = _("Choose a currency.")
    elif (problem := currency_problem(currency)) is not None:
        errors["currency"] = problem
    if amount is None:
        errors["amount"] = _("Give the amount.")
    elif (problem := positive_amount_problem(amount, currency, _("The amount must be more than zero."))) is not None:
        errors["amount"] = problem
    if tranche_count is None or not 1 <= tranche_count <= MAX_TRANCHES:
        errors["tranche_count"] = _("Pay the grant in 1 to %(max)d tranches.") % {"max": MAX_TRANCHES}
    elif (
        "amount" not in errors
        and currency is not None
        and amount < tranche_count * Decimal(1).scaleb(-currency.minor_unit)
    ):
        errors["tranche_count"] = _("The amount is too small to split into this many tranches.")
    if first_tranche_on is None:
        errors["first_tranche_on"] = _("Give the date of the first tranche.")
    elif (problem := date_error(first_tranche_on)) is not None:
        errors["first_tranche_on"] = problem.messages[0]
    if months_between is None or not 0 <= months_between <= 60:
        errors["months_between"] = _("Give 0 to 60 months between tranches.")
    elif not ({"tranche_count", "first_tranche_on"} & set(errors)):
        try:
            add_months(first_tranche_on, months_between * (tranche_count - 1))
        except DateOutOfRange:
            errors["first_tranche_on"] = computed_date_message()
    return errors


@transaction.atomic
def grant_create(
    *,
    created_by,
    programme,
    recipient,
    kind=Grant.Kind.GRANT,
    amount,
    currency,
    purpose="",
    tranche_count=1,
    first_tranche_on,
    months_between=3,
    risk_acknowledged: bool = False,
) -> Grant:
    """Create a grant (or remittance) and its scheduled tranches; leftover minor units go to the first tranches.
    A recipient with risk flags needs ``risk_acknowledged``; the grant's history then names the flags."""
    require_perm(created_by, Perm.ADD_GRANT)
    amount = as_decimal(amount)
    terms = {"programme": programme, "recipient": recipient, "amount": amount, "currency": currency}
    errors = _grant_errors(
        **terms, tranche_count=tranche_count, first_tranche_on=first_tranche_on, months_between=months_between
    )
    grant = Grant(kind=kind, **terms, purpose=purpose or "", created_by=created_by)
    clean_with(grant, errors, exclude=["reference"])
    acknowledge(recipient, risk_acknowledged, record=grant)
    grant._history_user = created_by
    save_with_reference(grant, "GR")
    shares = allocation.split_evenly(grant.amount, tranche_count, currency.minor_unit)
    for index, share in enumerate(shares):
        tranche = Tranche(
            grant=grant,
            number=index + 1,
            amount=share,
            planned_on=add_months(first_tranche_on, months_between * index),
            status=TrancheStatus.SCHEDULED,
        )
        tranche._history_user = created_by
        tranche.save()
    return grant


GRANT_TRANCHES = TranchePipeline(
    moves=TRANCHE_MOVES,
    perms=TRANCHE_MOVE_PERMS,
    guard=tranche_move_refusal,
    no_date=Refusal(FinanceRefusal.DATE_REQUIRED, gettext_lazy("Give the date the tranche was paid."), "paid_on"),
)


@transaction.atomic
def tranche_approve(*, tranche: Tranche, approved_by) -> Tranche:
    """Release a tranche for payment (maker–checker: not by whoever created the grant)."""
    return _moved(GRANT_TRANCHES.approve(tranche, approved_by))


@transaction.atomic
def tranche_pay(*, tranche: Tranche, paid_by, paid_on: datetime.date, payment_reference="") -> Tranche:
    return _moved(GRANT_TRANCHES.pay(tranche, paid_by, paid_on=paid_on, payment_reference=payment_reference))


@transaction.atomic
def tranche_cancel(*, tranche: Tranche, cancelled_by) -> Tranche:
    return _moved(GRANT_TRANCHES.cancel(tranche, cancelled_by))


def _moved(tranche: Tranche) -> Tranche:
    """A tranche approved, paid or cancelled moves the programme's money flows."""
    money_flows.changed(tranche.grant.programme_id)
    return tranche
