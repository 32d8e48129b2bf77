"""Every write to loans, their schedules and repayments, and to grants and their tranches.

Each business action is one function: keyword-only arguments, the acting user,
a named permission, validation before anything is saved, one transaction.
Status changes refuse illegal moves with a message that names the current
status. Writes that touch a loan's money lock the loan row first
(``select_for_update``), so concurrent requests on PostgreSQL queue instead of
over-allocating.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from cooperation.access import require_perm, sees_everything
from cooperation.dates import DateOutOfRange, add_months, check_date, computed_date_message, date_error
from cooperation.money import amount_error, quantize
from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.finance import allocation, schedule
from programs.finance.models import (
    Allocation,
    Grant,
    Installment,
    Loan,
    LoanStatus,
    Repayment,
    RepaymentStatus,
    Tranche,
    TrancheStatus,
)
from programs.models import Participation

LOAN_FIELDS = (
    "programme",
    "borrower",
    "lender",
    "principal",
    "currency",
    "annual_rate",
    "frequency",
    "installments",
    "amortization",
    "grace_periods",
    "disbursement_date",
    "first_repayment_date",
    "discount_rate",
    "purpose",
)
TERM_FIELDS = (
    "principal",
    "currency",
    "annual_rate",
    "frequency",
    "installments",
    "amortization",
    "grace_periods",
    "disbursement_date",
    "first_repayment_date",
)
MAX_TRANCHES = 120
REFERENCE_ATTEMPTS = 5


# --- errors -------------------------------------------------------------------------------------------------------


def _refuse(message, field: str = NON_FIELD_ERRORS) -> ValidationError:
    return ValidationError({field: message})


def _format_money(amount: Decimal, currency) -> str:
    number = formats.number_format(quantize(amount, currency), currency.minor_unit, use_l10n=True, force_grouping=True)
    return f"{number} {currency.code}"


def _require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise _refuse(_("Give a reason."), field)
    return reason


# --- references ---------------------------------------------------------------------------------------------------


def _next_reference(model, prefix: str) -> str:
    """The next ``<prefix>-<year>-<6 digits>``; counted over the history table so a deleted number is never reused."""
    year_prefix = f"{prefix}-{timezone.localdate().year}-"
    pattern = re.compile(rf"^{re.escape(year_prefix)}(\d{{6}})$")
    used = model.history.filter(reference__startswith=year_prefix).values_list("reference", flat=True)
    numbers = [int(match.group(1)) for reference in used if (match := pattern.match(reference))]
    return f"{year_prefix}{max(numbers, default=0) + 1:06d}"


def _save_with_reference(instance, prefix: str) -> None:
    """Insert ``instance`` under a fresh reference, retrying when a concurrent insert took the same number."""
    model = type(instance)
    for attempt in range(REFERENCE_ATTEMPTS):
        instance.reference = _next_reference(model, prefix)
        try:
            with transaction.atomic():
                instance.save()
            return
        except IntegrityError:
            taken = model.objects.filter(reference=instance.reference).exists()
            if not taken or attempt == REFERENCE_ATTEMPTS - 1:
                raise
            instance.pk = None


# --- loan terms and the schedule ----------------------------------------------------------------------------------


def _as_decimal(value):
    if value is None or isinstance(value, Decimal):
        return value
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _term_errors(values: dict) -> dict[str, str]:
    """Field errors in a loan's terms, in words a finance officer understands (None means not given)."""
    errors: dict[str, str] = {}
    principal = _as_decimal(values.get("principal"))
    currency = values.get("currency")
    rate = _as_decimal(values.get("annual_rate"))
    installments = values.get("installments")
    grace = values.get("grace_periods") or 0
    disbursement, first_due = values.get("disbursement_date"), values.get("first_repayment_date")

    if principal is not None and principal <= 0:
        errors["principal"] = _("The principal must be more than zero.")
    elif principal is not None and (problem := amount_error(principal, currency)):
        errors["principal"] = problem
    if currency is not None and not currency.is_active:
        errors["currency"] = _("This currency is no longer in use.")
    if rate is not None and rate < 0:
        errors["annual_rate"] = _("The interest rate cannot be negative.")
    elif rate is not None and rate > 100:
        errors["annual_rate"] = _("The interest rate cannot be above 100%.")
    if installments is not None and installments < 1:
        errors["installments"] = _("A loan needs at least one installment.")
    elif installments is not None and installments > 600:
        errors["installments"] = _("A loan can have at most 600 installments.")
    if grace < 0:
        errors["grace_periods"] = _("The grace period cannot be negative.")
    elif installments is not None and installments >= 1 and grace >= installments:
        errors["grace_periods"] = _(
            "The grace period must be shorter than the number of installments, so that principal is repaid."
        )
    frequency = values.get("frequency")
    if frequency is not None and frequency not in (1, 2, 4, 12):
        errors["frequency"] = _("Choose monthly, quarterly, semi-annual or annual repayments.")
    amortization = values.get("amortization")
    if amortization is not None and amortization not in {method.value for method in schedule.Amortization}:
        errors["amortization"] = _("Choose annuity, equal principal or bullet amortization.")
    for field, day in (("disbursement_date", disbursement), ("first_repayment_date", first_due)):
        if (problem := date_error(day)) is not None:
            errors[field] = problem.messages[0]
    dates_in_range = not {"disbursement_date", "first_repayment_date"} & set(errors)
    if disbursement is not None and first_due is not None and first_due <= disbursement and dates_in_range:
        errors["first_repayment_date"] = _("The first repayment must fall after the disbursement date.")
    if first_due is not None and "first_repayment_date" not in errors and not _schedule_ends_in_time(values):
        errors["first_repayment_date"] = computed_date_message()
    return errors


def _schedule_ends_in_time(values: dict) -> bool:
    """Whether the last installment's due date can be computed (it stays before ``LATEST_COMPUTED_DATE``)."""
    installments, frequency = values.get("installments"), values.get("frequency")
    if not isinstance(installments, int) or frequency not in (1, 2, 4, 12) or installments < 1:
        return True  # refused for its own reason, or not known yet
    try:
        schedule.add_months(values["first_repayment_date"], 12 // frequency * (installments - 1))
    except DateOutOfRange:
        return False
    return True


def _terms_from(values: dict) -> schedule.Terms:
    return schedule.Terms(
        principal=quantize(_as_decimal(values["principal"]), values["currency"]),
        minor_unit=values["currency"].minor_unit,
        annual_rate_percent=_as_decimal(values["annual_rate"]),
        periods_per_year=int(values["frequency"]),
        installments=int(values["installments"]),
        amortization=schedule.Amortization(values["amortization"]),
        grace_periods=int(values.get("grace_periods") or 0),
        first_due=values["first_repayment_date"],
    )


def loan_terms(loan: Loan) -> schedule.Terms:
    return _terms_from({field: getattr(loan, field) for field in TERM_FIELDS})


def loan_schedule_rows(loan: Loan) -> list[schedule.Row]:
    """The schedule the loan's stored terms produce; refused on the dates when it cannot be computed (terms
    stored before the dates were bounded)."""
    values = {field: getattr(loan, field) for field in TERM_FIELDS}
    date_fields = ("disbursement_date", "first_repayment_date")
    errors = {field: message for field, message in _term_errors(values).items() if field in date_fields}
    if errors:
        raise ValidationError(errors)
    return schedule.build(loan_terms(loan))


def schedule_preview(**fields) -> list[schedule.Row]:
    """The schedule the given terms would produce, without saving anything (the loan form's live preview).

    Fields other than the terms are ignored; missing or bad terms raise ValidationError keyed by field.
    """
    values = {field: fields.get(field) for field in TERM_FIELDS}
    if values["grace_periods"] is None:
        values["grace_periods"] = 0
    errors = {
        field: _("This field is required.")
        for field in TERM_FIELDS
        if values[field] is None and field != "disbursement_date"
    }
    errors.update({field: message for field, message in _term_errors(values).items() if field not in errors})
    if errors:
        raise ValidationError(errors)
    return schedule.build(_terms_from(values))


# --- loans --------------------------------------------------------------------------------------------------------


def _validate_loan(loan: Loan) -> None:
    values = {}
    for field in LOAN_FIELDS:
        try:
            values[field] = getattr(loan, field)
        except ObjectDoesNotExist:  # a required relation not set yet: full_clean reports it
            values[field] = None
    errors = _term_errors(values)
    programme, borrower, lender = values["programme"], values["borrower"], values["lender"]
    if programme is not None and not programme.is_financial:
        errors["programme"] = _("This programme does not include financial cooperation; loans need one that does.")
    if (
        programme is not None
        and borrower is not None
        and not Participation.objects.filter(programme=programme, organisation=borrower).exists()
    ):
        errors["borrower"] = _("%(partner)s does not take part in this programme.") % {"partner": borrower}
    if lender is not None and borrower is not None and lender.pk == borrower.pk:
        errors["lender"] = _("The lender cannot be the borrower.")
    try:
        loan.full_clean(exclude=["reference", *errors])
    except ValidationError as error:
        error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


LOAN_MOVES = {
    "update": ({LoanStatus.DRAFT}, gettext_lazy("A loan can be edited only while it is a draft; this one is %s.")),
    "submit": ({LoanStatus.DRAFT}, gettext_lazy("A loan can be submitted only when it is a draft; this one is %s.")),
    "approve": (
        {LoanStatus.SUBMITTED},
        gettext_lazy("A loan can be approved only when it is submitted; this one is %s."),
    ),
    "reject": (
        {LoanStatus.SUBMITTED},
        gettext_lazy("A loan can be rejected only when it is submitted; this one is %s."),
    ),
    "disburse": (
        {LoanStatus.APPROVED},
        gettext_lazy("A loan can be disbursed only when it is approved; this one is %s."),
    ),
    "cancel": (
        {LoanStatus.DRAFT, LoanStatus.SUBMITTED, LoanStatus.APPROVED},
        gettext_lazy("A loan can be cancelled only before it is disbursed; this one is %s."),
    ),
    "write_off": (
        {LoanStatus.DISBURSED},
        gettext_lazy("A loan can be written off only while it is disbursed (active); this one is %s."),
    ),
}


def _lock_for(record: Loan | Tranche, moves: dict, move: str) -> None:
    """Reload ``record`` under a row lock and refuse ``move`` unless its current status allows it."""
    record.refresh_from_db(from_queryset=type(record).objects.select_for_update())
    allowed, message = moves[move]
    if record.status not in allowed:
        raise _refuse(str(message) % record.get_status_display())


def _save(record: Loan | Tranche, user, fields: list[str]):
    record._history_user = user
    record.save(update_fields=[*fields, "updated_at"])
    return record


@transaction.atomic
def loan_create(
    *,
    created_by,
    programme,
    borrower,
    lender=None,
    principal,
    currency,
    annual_rate,
    frequency,
    installments,
    amortization,
    grace_periods=0,
    disbursement_date,
    first_repayment_date,
    discount_rate=Decimal("5"),
    purpose="",
) -> Loan:
    """Draft a loan; its schedule is generated on approval."""
    require_perm(created_by, Perm.ADD_LOAN)
    loan = Loan(
        programme=programme,
        borrower=borrower,
        lender=lender,
        principal=principal,
        currency=currency,
        annual_rate=annual_rate,
        frequency=frequency,
        installments=installments,
        amortization=amortization,
        grace_periods=grace_periods if grace_periods is not None else 0,
        disbursement_date=disbursement_date,
        first_repayment_date=first_repayment_date,
        discount_rate=discount_rate if discount_rate is not None else Decimal("5"),
        purpose=purpose or "",
        status=LoanStatus.DRAFT,
        created_by=created_by,
    )
    _validate_loan(loan)
    loan._history_user = created_by
    _save_with_reference(loan, "LN")
    return loan


@transaction.atomic
def loan_update(*, loan: Loan, updated_by, **data) -> Loan:
    """Change a draft's terms or parties; only the fields given change."""
    require_perm(updated_by, Perm.CHANGE_LOAN)
    unknown = set(data) - set(LOAN_FIELDS)
    if unknown:
        raise TypeError(f"loan_update() got unexpected fields: {', '.join(sorted(unknown))}")
    _lock_for(loan, LOAN_MOVES, "update")
    changed = [field for field in LOAN_FIELDS if field in data and getattr(loan, field) != data[field]]
    for field in changed:
        setattr(loan, field, data[field])
    if not changed:
        return loan
    _validate_loan(loan)
    return _save(loan, updated_by, changed)


@transaction.atomic
def loan_submit(*, loan: Loan, submitted_by) -> Loan:
    require_perm(submitted_by, Perm.CHANGE_LOAN)
    _lock_for(loan, LOAN_MOVES, "submit")
    _validate_loan(loan)  # the programme or participation may have changed since drafting
    loan.status = LoanStatus.SUBMITTED
    loan.status_note = ""
    return _save(loan, submitted_by, ["status", "status_note"])


@transaction.atomic
def loan_approve(*, loan: Loan, approved_by) -> Loan:
    """Approve a submitted loan (maker–checker) and generate its schedule, once."""
    require_perm(approved_by, Perm.APPROVE_LOAN)
    _lock_for(loan, LOAN_MOVES, "approve")
    if loan.created_by_id == approved_by.pk:
        raise _refuse(_("You created this loan, so another manager must approve it."))
    approved_at = timezone.now()
    if not loan.schedule.exists():
        bulk_create_with_history(
            [
                Installment(
                    loan=loan,
                    number=row.number,
                    due_date=row.due_date,
                    principal_due=row.principal,
                    interest_due=row.interest,
                    balance_after=row.balance_after,
                )
                for row in loan_schedule_rows(loan)
            ],
            Installment,
            default_user=approved_by,
            default_date=approved_at,
        )
    loan.status = LoanStatus.APPROVED
    loan.approved_by = approved_by
    loan.approved_at = approved_at
    return _save(loan, approved_by, ["status", "approved_by", "approved_at"])


def _close(loan: Loan, user, *, perm: Perm, move: str, status: LoanStatus, reason: str) -> Loan:
    """End a loan's life in ``status`` for a stated reason (rejected, cancelled, written off)."""
    require_perm(user, perm)
    reason = _require_reason(reason)
    _lock_for(loan, LOAN_MOVES, move)
    loan.status = status
    loan.status_note = reason
    loan.closed_on = timezone.localdate()
    return _save(loan, user, ["status", "status_note", "closed_on"])


@transaction.atomic
def loan_reject(*, loan: Loan, rejected_by, reason: str) -> Loan:
    return _close(loan, rejected_by, perm=Perm.APPROVE_LOAN, move="reject", status=LoanStatus.REJECTED, reason=reason)


@transaction.atomic
def loan_disburse(*, loan: Loan, disbursed_by, disbursed_on: datetime.date) -> Loan:
    """Record that the money went out: the loan becomes active and repayments can be recorded."""
    require_perm(disbursed_by, Perm.CHANGE_LOAN)
    if disbursed_on is None:
        raise _refuse(_("Give the date the money was disbursed."), "disbursed_on")
    check_date(disbursed_on, "disbursed_on", past=True)
    _lock_for(loan, LOAN_MOVES, "disburse")
    if disbursed_on >= loan.first_repayment_date:
        raise _refuse(
            _("The disbursement must come before the first repayment date (%(date)s).")
            % {"date": formats.date_format(loan.first_repayment_date, "DATE_FORMAT")},
            "disbursed_on",
        )
    loan.status = LoanStatus.DISBURSED
    loan.disbursed_on = disbursed_on
    return _save(loan, disbursed_by, ["status", "disbursed_on"])


@transaction.atomic
def loan_cancel(*, loan: Loan, cancelled_by, reason: str) -> Loan:
    return _close(loan, cancelled_by, perm=Perm.CHANGE_LOAN, move="cancel", status=LoanStatus.CANCELLED, reason=reason)


@transaction.atomic
def loan_write_off(*, loan: Loan, written_off_by, reason: str) -> Loan:
    return _close(
        loan, written_off_by, perm=Perm.APPROVE_LOAN, move="write_off", status=LoanStatus.WRITTEN_OFF, reason=reason
    )


# --- repayments ---------------------------------------------------------------------------------------------------


def _dues(installments: list[Installment]) -> list[allocation.Due]:
    return [
        allocation.Due(item.pk, item.interest_due - item.interest_paid, item.principal_due - item.principal_paid)
        for item in installments
    ]


def amount_owed(loan: Loan) -> Decimal:
    """Everything still owed on the loan's schedule (interest and principal, due or not)."""
    return allocation.total_owed(_dues(list(loan.schedule.all())))


def _payment_errors(*, loan: Loan, paid_on, amount, currency, check_owed: bool = True) -> None:
    """Refuse a payment that cannot be applied to ``loan`` now; every message names the field it is about."""
    if loan.status != LoanStatus.DISBURSED:
        raise _refuse(
            _("Repayments can be recorded only on a disbursed (active) loan; this one is %s.")
            % loan.get_status_display()
        )
    errors = {}
    amount = _as_decimal(amount)
    if paid_on is None:
        errors["paid_on"] = _("Give the date of the payment.")
    elif (problem := date_error(paid_on, past=True)) is not None:
        errors["paid_on"] = problem.messages[0]
    elif loan.disbursed_on and paid_on < loan.disbursed_on:
        errors["paid_on"] = _("A repayment cannot be dated before the disbursement (%(date)s).") % {
            "date": formats.date_format(loan.disbursed_on, "DATE_FORMAT")
        }
    if currency is None or currency.pk != loan.currency_id:
        errors["currency"] = _("This loan is in %(code)s; record the repayment in %(code)s.") % {
            "code": loan.currency_id
        }
    if amount is None:
        errors["amount"] = _("Give the amount paid.")
    elif amount <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    elif (problem := amount_error(amount, loan.currency)) is not None:
        errors["amount"] = problem
    elif check_owed:
        owed = amount_owed(loan)
        if amount > owed:
            errors["amount"] = _("This is more than is owed: %(owed)s is still owed on this loan.") % {
                "owed": _format_money(owed, loan.currency)
            }
    if errors:
        raise ValidationError(errors)


def _lock_loan_of(repayment_or_loan) -> Loan:
    loan = repayment_or_loan if isinstance(repayment_or_loan, Loan) else repayment_or_loan.loan
    loan.refresh_from_db(from_queryset=Loan.objects.select_for_update())
    return loan


PAID_FIELDS = ["interest_paid", "principal_paid"]
REVERSAL_FIELDS = ["reversed_at", "reversed_by", "reversal_reason"]


def _apply(portions: list[allocation.Portion], installments: dict) -> None:
    """Add ``portions`` to what the installments (by id) have been paid."""
    for portion in portions:
        item = installments[portion.installment_id]
        item.interest_paid += portion.interest
        item.principal_paid += portion.principal


def _row(repayment: Repayment, portion: allocation.Portion, installments: dict) -> Allocation:
    return Allocation(
        repayment=repayment,
        installment=installments[portion.installment_id],
        interest=portion.interest,
        principal=portion.principal,
    )


def _allocate(loan: Loan, repayment: Repayment, user) -> list[Installment]:
    """Apply one confirmed repayment to the (locked) loan's schedule; return the schedule as it now stands.

    The new allocations and the installments they pay get history rows by ``user``, written in bulk.
    """
    installments = list(loan.schedule.order_by("number"))
    try:
        portions = allocation.allocate(repayment.amount, _dues(installments))
    except allocation.Overpayment as refused:
        raise _refuse(
            _("This is more than is owed: %(owed)s is still owed on this loan.")
            % {"owed": _format_money(refused.owed, loan.currency)},
            "amount",
        ) from None
    by_id = {item.pk: item for item in installments}
    now = timezone.now()
    rows = [_row(repayment, portion, by_id) for portion in portions]
    bulk_create_with_history(rows, Allocation, default_user=user, default_date=now)
    _apply(portions, by_id)
    touched = [by_id[portion.installment_id] for portion in portions]
    bulk_update_with_history(touched, Installment, PAID_FIELDS, default_user=user, default_date=now)
    return installments


def _reallocate(loan: Loan, reversal: Repayment) -> list[Installment]:
    """Apply the loan's confirmed repayments again from scratch, oldest payment first, after ``reversal``.

    Nothing is deleted. A live allocation that the new plan repeats exactly stays as it is; every
    other one (all of the reversed repayment's, and those of later payments that now fall on other
    installments) is marked reversed with the reversal's who, when and why, and the plan's remaining
    portions become new rows. Allocations and installments that change get history rows, in bulk.
    """
    user, now, reason = reversal.reversed_by, reversal.reversed_at, reversal.reversal_reason
    installments = list(loan.schedule.order_by("number"))
    paid_before = {item.pk: (item.interest_paid, item.principal_paid) for item in installments}
    for item in installments:
        item.interest_paid = item.principal_paid = Decimal(0)
    confirmed = list(loan.repayments.filter(status=RepaymentStatus.CONFIRMED).order_by("paid_on", "created_at", "pk"))
    plan = allocation.reallocate([(repayment.pk, repayment.amount) for repayment in confirmed], _dues(installments))
    by_id = {item.pk: item for item in installments}

    planned = {
        (repayment_id, portion.installment_id): portion
        for repayment_id, portions in plan.items()
        for portion in portions
    }
    retired = []
    for row in Allocation.objects.filter(repayment__loan=loan):
        portion = planned.get((row.repayment_id, row.installment_id))
        if portion is not None and (portion.interest, portion.principal) == (row.interest, row.principal):
            del planned[(row.repayment_id, row.installment_id)]  # applied as before: the row stays
            continue
        row.reversed_at, row.reversed_by, row.reversal_reason = now, user, reason
        retired.append(row)
    bulk_update_with_history(
        retired, Allocation, REVERSAL_FIELDS, default_user=user, default_date=now, manager=Allocation.with_reversed
    )
    repayments = {repayment.pk: repayment for repayment in confirmed}
    new_rows = [_row(repayments[repayment_id], portion, by_id) for (repayment_id, _), portion in planned.items()]
    bulk_create_with_history(new_rows, Allocation, default_user=user, default_date=now)

    for portions in plan.values():
        _apply(portions, by_id)
    changed = [item for item in installments if (item.interest_paid, item.principal_paid) != paid_before[item.pk]]
    bulk_update_with_history(changed, Installment, PAID_FIELDS, default_user=user, default_date=now)
    return installments


def _close_or_reopen(loan: Loan, installments: list[Installment], user) -> None:
    """A disbursed loan whose every installment is paid is repaid; a repaid one that owes again is reopened."""
    fully_paid = all(item.is_paid for item in installments)
    if loan.status == LoanStatus.DISBURSED and fully_paid:
        last_payment = (
            loan.repayments.filter(status=RepaymentStatus.CONFIRMED)
            .order_by("-paid_on")
            .values_list("paid_on", flat=True)[:1]
        )
        loan.status = LoanStatus.REPAID
        loan.closed_on = last_payment[0] if last_payment else timezone.localdate()
        _save(loan, user, ["status", "closed_on"])
    elif loan.status == LoanStatus.REPAID and not fully_paid:
        loan.status = LoanStatus.DISBURSED
        loan.closed_on = None
        _save(loan, user, ["status", "closed_on"])


@transaction.atomic
def repayment_record(*, loan: Loan, recorded_by, paid_on, amount, currency, reference="") -> Repayment:
    """An officer records money received: confirmed at once and allocated to the schedule."""
    require_perm(recorded_by, Perm.RECORD_REPAYMENT)
    _lock_loan_of(loan)
    _payment_errors(loan=loan, paid_on=paid_on, amount=amount, currency=currency)
    repayment = Repayment(
        loan=loan,
        paid_on=paid_on,
        amount=_as_decimal(amount),
        currency=currency,
        reference=reference or "",
        status=RepaymentStatus.CONFIRMED,
        recorded_by=recorded_by,
        confirmed_by=recorded_by,
    )
    repayment.full_clean()
    repayment._history_user = recorded_by
    repayment.save()
    _close_or_reopen(loan, _allocate(loan, repayment, recorded_by), recorded_by)
    return repayment


@transaction.atomic
def repayment_notify(*, loan: Loan, notified_by, paid_on, amount, currency, reference="") -> Repayment:
    """A partner user tells us their organisation paid; the payment waits until an officer confirms it."""
    require_perm(notified_by, Perm.ADD_REPAYMENT)
    if not sees_everything(notified_by) and loan.borrower_id not in user_organisation_ids(notified_by):
        raise PermissionDenied(_("Only the borrower's staff can notify a payment on this loan."))
    _payment_errors(loan=loan, paid_on=paid_on, amount=amount, currency=currency)
    repayment = Repayment(
        loan=loan,
        paid_on=paid_on,
        amount=_as_decimal(amount),
        currency=currency,
        reference=reference or "",
        status=RepaymentStatus.PENDING,
        recorded_by=notified_by,
    )
    repayment.full_clean()
    repayment._history_user = notified_by
    repayment.save()
    return repayment


def _lock_repayment(repayment: Repayment) -> Loan:
    """Lock the repayment's loan (every money write on a loan queues there), then reload the repayment."""
    loan = _lock_loan_of(repayment)
    repayment.refresh_from_db()
    repayment.loan = loan
    return loan


REPAYMENT_MOVES = {
    "confirm": (
        RepaymentStatus.PENDING,
        gettext_lazy("Only a payment awaiting confirmation can be confirmed; this one is %s."),
    ),
    "reject": (
        RepaymentStatus.PENDING,
        gettext_lazy("Only a payment awaiting confirmation can be rejected; this one is %s."),
    ),
    "reverse": (
        RepaymentStatus.CONFIRMED,
        gettext_lazy("Only a confirmed repayment can be reversed; this one is %s."),
    ),
}


def _check_move(repayment: Repayment, move: str) -> None:
    required, message = REPAYMENT_MOVES[move]
    if repayment.status != required:
        raise _refuse(str(message) % repayment.get_status_display())


@transaction.atomic
def repayment_confirm(*, repayment: Repayment, confirmed_by) -> Repayment:
    require_perm(confirmed_by, Perm.RECORD_REPAYMENT)
    loan = _lock_repayment(repayment)
    _check_move(repayment, "confirm")
    _payment_errors(loan=loan, paid_on=repayment.paid_on, amount=repayment.amount, currency=repayment.currency)
    repayment.status = RepaymentStatus.CONFIRMED
    repayment.confirmed_by = confirmed_by
    repayment._history_user = confirmed_by
    repayment.save(update_fields=["status", "confirmed_by", "updated_at"])
    _close_or_reopen(loan, _allocate(loan, repayment, confirmed_by), confirmed_by)
    return repayment


@transaction.atomic
def repayment_reject(*, repayment: Repayment, rejected_by, reason: str) -> Repayment:
    """The notified money never arrived: the notification stays on record as rejected, with the reason."""
    require_perm(rejected_by, Perm.RECORD_REPAYMENT)
    reason = _require_reason(reason)
    _lock_repayment(repayment)
    _check_move(repayment, "reject")
    repayment.status = RepaymentStatus.REJECTED
    repayment.reversal_reason = reason
    repayment._history_user = rejected_by
    repayment.save(update_fields=["status", "reversal_reason", "updated_at"])
    return repayment


@transaction.atomic
def repayment_reverse(*, repayment: Repayment, reversed_by, reason: str) -> Repayment:
    """Undo a wrong repayment (it stays on record) and re-allocate the loan's remaining repayments."""
    require_perm(reversed_by, Perm.RECORD_REPAYMENT)
    reason = _require_reason(reason)
    loan = _lock_repayment(repayment)
    _check_move(repayment, "reverse")
    repayment.status = RepaymentStatus.REVERSED
    repayment.reversed_by = reversed_by
    repayment.reversed_at = timezone.now()
    repayment.reversal_reason = reason
    repayment._history_user = reversed_by
    repayment.save(update_fields=["status", "reversed_by", "reversed_at", "reversal_reason", "updated_at"])
    installments = _reallocate(loan, repayment)
    _close_or_reopen(loan, installments, reversed_by)
    return repayment


# --- grants and tranches ------------------------------------------------------------------------------------------


def _grant_errors(*, programme, recipient, amount, currency, tranche_count, first_tranche_on, months_between) -> dict:
    errors = {}
    amount = _as_decimal(amount)
    if programme is None:
        errors["programme"] = _("Choose a programme.")
    elif not programme.is_financial:
        errors["programme"] = _("This programme does not include financial cooperation; grants need one that does.")
    if recipient is None:
        errors["recipient"] = _("Choose the recipient.")
    elif (
        programme is not None and not Participation.objects.filter(programme=programme, organisation=recipient).exists()
    ):
        errors["recipient"] = _("%(partner)s does not take part in this programme.") % {"partner": recipient}
    if currency is None:
        errors["currency"] = _("Choose a currency.")
    elif not currency.is_active:
        errors["currency"] = _("This currency is no longer in use.")
    if amount is None:
        errors["amount"] = _("Give the amount.")
    elif amount <= 0:
        errors["amount"] = _("The amount must be more than zero.")
    elif currency is not None and (problem := amount_error(amount, currency)) is not None:
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
) -> Grant:
    """Create a grant (or remittance) and its scheduled tranches; leftover minor units go to the first tranches."""
    require_perm(created_by, Perm.ADD_GRANT)
    errors = _grant_errors(
        programme=programme,
        recipient=recipient,
        amount=amount,
        currency=currency,
        tranche_count=tranche_count,
        first_tranche_on=first_tranche_on,
        months_between=months_between,
    )
    grant = Grant(
        kind=kind,
        programme=programme,
        recipient=recipient,
        amount=_as_decimal(amount),
        currency=currency,
        purpose=purpose or "",
        created_by=created_by,
    )
    try:
        grant.full_clean(exclude=["reference", *errors])
    except ValidationError as error:
        error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    grant._history_user = created_by
    _save_with_reference(grant, "GR")
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


TRANCHE_MOVES = {
    "approve": (
        {TrancheStatus.SCHEDULED},
        gettext_lazy("A tranche can be approved only when it is scheduled; this one is %s."),
    ),
    "pay": ({TrancheStatus.APPROVED}, gettext_lazy("A tranche can be paid only when it is approved; this one is %s.")),
    "cancel": (
        {TrancheStatus.SCHEDULED, TrancheStatus.APPROVED},
        gettext_lazy("A tranche can be cancelled only before it is paid; this one is %s."),
    ),
}


@transaction.atomic
def tranche_approve(*, tranche: Tranche, approved_by) -> Tranche:
    """Release a tranche for payment (maker–checker: not by whoever created the grant)."""
    require_perm(approved_by, Perm.APPROVE_TRANCHE)
    _lock_for(tranche, TRANCHE_MOVES, "approve")
    if tranche.grant.created_by_id == approved_by.pk:
        raise _refuse(_("You created this grant, so another manager must approve its tranches."))
    tranche.status = TrancheStatus.APPROVED
    tranche.approved_by = approved_by
    return _save(tranche, approved_by, ["status", "approved_by"])


@transaction.atomic
def tranche_pay(*, tranche: Tranche, paid_by, paid_on: datetime.date, payment_reference="") -> Tranche:
    require_perm(paid_by, Perm.CHANGE_TRANCHE)
    if paid_on is None:
        raise _refuse(_("Give the date the tranche was paid."), "paid_on")
    check_date(paid_on, "paid_on", past=True)
    _lock_for(tranche, TRANCHE_MOVES, "pay")
    tranche.status = TrancheStatus.PAID
    tranche.paid_on = paid_on
    tranche.payment_reference = payment_reference or ""
    tranche.full_clean()
    return _save(tranche, paid_by, ["status", "paid_on", "payment_reference"])


@transaction.atomic
def tranche_cancel(*, tranche: Tranche, cancelled_by) -> Tranche:
    require_perm(cancelled_by, Perm.CHANGE_TRANCHE)
    _lock_for(tranche, TRANCHE_MOVES, "cancel")
    tranche.status = TrancheStatus.CANCELLED
    return _save(tranche, cancelled_by, ["status"])
