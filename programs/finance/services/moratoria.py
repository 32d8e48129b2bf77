"""A crisis moratorium: no payments for some months on every active loan to recipients in one country and area.

An officer proposes it and previews every affected loan's before and after; a manager who did not propose it approves
the whole batch in one step, in one transaction: each loan gets an approved restructuring linked to the moratorium,
its unpaid installments moved past the moratorium (so no reminder falls inside it), the moratorium's interest and any
overdue interest capitalised or waived. Each loan's restructuring can then be reversed on its own.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import require_perm
from cooperation.dates import DateOutOfRange, add_months, date_error
from cooperation.refusals import Refusal, raise_refusal
from cooperation.roles import Perm
from cooperation.workflow import (
    Move,
    lock_for,
    maker_checker_refusal,
    move_refusal,
    permission_refusal,
    require_reason,
    save_by,
)
from programs.finance import restructuring
from programs.finance.models import Loan, LoanRestructuring, LoanStatus, Moratorium, RestructuringStatus
from programs.finance.services import restructurings

MORATORIUM_MOVES = {
    "approve": Move(
        {RestructuringStatus.PROPOSED},
        gettext_lazy("A moratorium can be approved only while it is proposed; this one is %s."),
    ),
    "reject": Move(
        {RestructuringStatus.PROPOSED},
        gettext_lazy("A moratorium can be rejected only while it is proposed; this one is %s."),
    ),
}
MORATORIUM_MOVE_PERMS = dict.fromkeys(MORATORIUM_MOVES, Perm.APPROVE_LOAN)
MORATORIUM_FIELDS = ("title", "country", "area", "starts_on", "months", "arrears", "reason")


def moratorium_move_refusal(moratorium: Moratorium, user, move: str) -> Refusal | None:
    refusal = move_refusal(moratorium, MORATORIUM_MOVES, move)
    if refusal is not None:
        return refusal
    refusal = permission_refusal(user, Perm.APPROVE_LOAN, _("Only a manager can decide on a moratorium."))
    if refusal is not None:
        return Refusal(refusal.code, refusal.message, refusal.field, offered=user.has_perm(Perm.CHANGE_LOAN))
    return maker_checker_refusal(
        moratorium.proposed_by_id, user, _("You proposed this moratorium, so another manager must decide on it.")
    )


def affected_loans(*, country, area: str) -> QuerySet[Loan]:
    """Active loans to recipients in ``country`` and ``area``: the programme's recipient countries where it names
    any, else the borrower's country; the programme's area where it names one, else the borrower's."""
    area = (area or "").strip()
    in_country = Q(programme__recipient_countries=country) | Q(
        programme__recipient_countries__isnull=True, borrower__country=country
    )
    in_area = Q(programme__area__iexact=area) | (Q(programme__area="") & Q(borrower__area__iexact=area))
    # A loan whose own restructuring waits for a decision is left out: decide on that first.
    waiting = LoanRestructuring.objects.filter(status=RestructuringStatus.PROPOSED).values("loan_id")
    ids = Loan.objects.filter(in_country, in_area, status=LoanStatus.DISBURSED).exclude(pk__in=waiting).values("pk")
    return Loan.objects.filter(pk__in=ids).select_related("borrower", "currency").order_by("reference")


def _first_due(loan: Loan, starts_on: datetime.date, ends_on: datetime.date, today: datetime.date):
    """The first due date after the moratorium: the loan's first unpaid one from its start, moved on by whole
    periods until it falls on or after the moratorium's end and after today."""
    unpaid = [item for item in loan.schedule.order_by("number") if not item.is_paid and item.due_date >= starts_on]
    if not unpaid:
        return None, 0
    step = 12 // loan.frequency
    due, moves = unpaid[0].due_date, 0
    while due < ends_on or due <= today:
        moves += 1
        due = add_months(unpaid[0].due_date, step * moves)
    return due, len(unpaid)


def loan_terms_under(moratorium, loan: Loan, today: datetime.date) -> dict | None:
    """The restructuring terms the moratorium gives ``loan`` (None when nothing of it falls due from its start):
    the loan's rate, as many installments as were still to pay, from the first due date after the moratorium."""
    ends_on = add_months(moratorium.starts_on, moratorium.months)
    first_due, count = _first_due(loan, moratorium.starts_on, ends_on, today)
    if first_due is None:
        return None
    return {
        "annual_rate": loan.annual_rate,
        "installments": count,
        "grace_periods": 0,
        "first_due_date": first_due,
        "arrears": moratorium.arrears,
        "moratorium_months": moratorium.months,
    }


@dataclass
class LoanEffect:
    loan: Loan
    terms: dict
    before: restructuring.Side
    after: restructuring.Side
    plan: restructuring.Plan


@dataclass
class CurrencyTotals:
    currency: object
    loans: int = 0
    before: Decimal = Decimal(0)
    after: Decimal = Decimal(0)
    capitalised: Decimal = Decimal(0)
    waived: Decimal = Decimal(0)


@dataclass
class Preview:
    effects: list[LoanEffect] = field(default_factory=list)
    totals: list[CurrencyTotals] = field(default_factory=list)


def moratorium_preview(moratorium, *, today: datetime.date) -> Preview:
    """Every affected loan's before and after, and the totals per currency (never added across currencies)."""
    preview, totals = Preview(), {}
    for loan in affected_loans(country=moratorium.country, area=moratorium.area):
        terms = loan_terms_under(moratorium, loan, today)
        if terms is None:
            continue
        try:
            old, plan = restructurings.restructuring_plan(loan, restructurings.new_terms(terms), as_of=today)
        except ValidationError:
            continue  # nothing owed any more
        before, after = restructurings.comparison(loan, old, plan)
        preview.effects.append(LoanEffect(loan, terms, before, after, plan))
        row = totals.setdefault(loan.currency_id, CurrencyTotals(loan.currency))
        row.loans += 1
        row.before += before.total
        row.after += after.total
        row.capitalised += plan.capitalised
        row.waived += plan.waived
    preview.totals = [totals[code] for code in sorted(totals)]
    return preview


def _errors(values: dict) -> dict:
    errors = {}
    if not (values.get("title") or "").strip():
        errors["title"] = _("Give the moratorium a title.")
    if values.get("country") is None:
        errors["country"] = _("Choose the recipient country.")
    if not (values.get("area") or "").strip():
        errors["area"] = _("Give the administrative area, e.g. Central Sulawesi.")
    months = values.get("months")
    if not isinstance(months, int) or not 1 <= months <= 36:
        errors["months"] = _("A moratorium lasts from 1 to 36 months.")
    starts_on = values.get("starts_on")
    if starts_on is None:
        errors["starts_on"] = _("Give the first day without payments.")
    elif (problem := date_error(starts_on)) is not None:
        errors["starts_on"] = problem.messages[0]
    elif "months" not in errors:
        try:
            add_months(starts_on, months + 600)
        except DateOutOfRange:
            errors["starts_on"] = _("The moratorium would end too far in the future.")
    if values.get("arrears") not in {choice.value for choice in restructuring.ArrearsTreatment}:
        errors["arrears"] = _("Choose whether the interest is capitalised or waived.")
    return errors


@transaction.atomic
def moratorium_propose(*, proposed_by, **values) -> Moratorium:
    """An officer proposes a moratorium; nothing changes on any loan until a manager approves it."""
    require_perm(proposed_by, Perm.CHANGE_LOAN)
    values = {name: values.get(name) for name in MORATORIUM_FIELDS}
    values["reason"] = require_reason(values["reason"])
    errors = _errors(values)
    if errors:
        raise ValidationError(errors)
    values["title"], values["area"] = values["title"].strip(), values["area"].strip()
    moratorium = Moratorium(proposed_by=proposed_by, **values)
    moratorium.full_clean()
    moratorium._history_user = proposed_by
    moratorium.save()
    return moratorium


@transaction.atomic
def moratorium_approve(*, moratorium: Moratorium, approved_by) -> Moratorium:
    """Approve the whole batch at once: every affected loan is restructured now, or none is."""
    require_perm(approved_by, Perm.APPROVE_LOAN)
    lock_for(moratorium, MORATORIUM_MOVES, "approve")
    raise_refusal(moratorium_move_refusal(moratorium, approved_by, "approve"))
    now = timezone.now()
    today = timezone.localdate(now)
    for effect in moratorium_preview(moratorium, today=today).effects:
        loan, terms = effect.loan, effect.terms
        record = LoanRestructuring(
            loan=loan,
            moratorium=moratorium,
            proposed_by=moratorium.proposed_by,
            reason=moratorium.reason,
            **terms,
        )
        record._history_user = moratorium.proposed_by
        record.save()
        restructurings.approve_proposed(record, approved_by, now)
    moratorium.status = RestructuringStatus.APPROVED
    moratorium.decided_by, moratorium.decided_at = approved_by, now
    return save_by(moratorium, approved_by, ["status", "decided_by", "decided_at"])


@transaction.atomic
def moratorium_reject(*, moratorium: Moratorium, rejected_by, reason: str) -> Moratorium:
    require_perm(rejected_by, Perm.APPROVE_LOAN)
    reason = require_reason(reason)
    lock_for(moratorium, MORATORIUM_MOVES, "reject")
    raise_refusal(moratorium_move_refusal(moratorium, rejected_by, "reject"))
    moratorium.status = RestructuringStatus.REJECTED
    moratorium.decided_by, moratorium.decided_at = rejected_by, timezone.now()
    moratorium.decision_note = reason
    return save_by(moratorium, rejected_by, ["status", "decided_by", "decided_at", "decision_note"])
