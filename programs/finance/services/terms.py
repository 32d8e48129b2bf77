"""A loan's terms and the schedule they give, a new record's reference, and the checks a draft loan must pass."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from cooperation.dates import DateOutOfRange, computed_date_message, date_error
from cooperation.money import currency_problem, positive_amount_problem, quantize
from cooperation.workflow import as_decimal, clean_with, current_value
from programs.finance import schedule
from programs.finance.models import TERM_FIELDS, DayCountConvention, Loan
from programs.services import participation_problem

LOAN_FIELDS = ("programme", "borrower", "lender", *TERM_FIELDS, "discount_rate", "purpose")
MAX_TRANCHES = 120
REFERENCE_ATTEMPTS = 5


def format_money(amount: Decimal, currency) -> str:
    number = formats.number_format(quantize(amount, currency), currency.minor_unit, use_l10n=True, force_grouping=True)
    return f"{number} {currency.code}"


# --- references ---------------------------------------------------------------------------------------------------


def _next_reference(model, prefix: str) -> str:
    """The next ``<prefix>-<year>-<6 digits>``; counted over the history table so a deleted number is never reused."""
    year_prefix = f"{prefix}-{timezone.localdate().year}-"
    pattern = re.compile(rf"^{re.escape(year_prefix)}(\d{{6}})$")
    used = model.history.filter(reference__startswith=year_prefix).values_list("reference", flat=True)
    numbers = [int(match.group(1)) for reference in used if (match := pattern.match(reference))]
    return f"{year_prefix}{max(numbers, default=0) + 1:06d}"


def save_with_reference(instance, prefix: str) -> None:
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


def _term_errors(values: dict) -> dict[str, str]:
    """Field errors in a loan's terms, in words a finance officer understands (None means not given)."""
    errors: dict[str, str] = {}
    principal = as_decimal(values.get("principal"))
    currency = values.get("currency")
    rate = as_decimal(values.get("annual_rate"))
    installments = values.get("installments")
    grace = values.get("grace_periods") or 0
    disbursement, first_due = values.get("disbursement_date"), values.get("first_repayment_date")

    if problem := positive_amount_problem(principal, currency, _("The principal must be more than zero.")):
        errors["principal"] = problem
    if problem := currency_problem(currency):
        errors["currency"] = problem
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
    day_count = values.get("day_count")
    if day_count is not None and day_count not in DayCountConvention.values:
        errors["day_count"] = _day_count_choice_message()
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


def _day_count_choice_message() -> str:
    return _("Choose how interest is counted: 30E/360, actual/365 (fixed) or actual/actual (ISDA).")


def _day_count_problem(loan: Loan, day_count) -> str | None:
    """Why ``loan`` may not count full periods: only a loan recorded before day counts were chosen keeps them."""
    if day_count != DayCountConvention.FULL_PERIODS:
        return None
    if loan.pk is not None and Loan.objects.filter(pk=loan.pk, day_count=DayCountConvention.FULL_PERIODS).exists():
        return None
    return _(
        "Full periods are kept only for loans recorded before day counts were chosen; choose 30E/360, "
        "actual/365 (fixed) or actual/actual (ISDA)."
    )


def _terms_from(values: dict) -> schedule.Terms:
    return schedule.Terms(
        principal=quantize(as_decimal(values["principal"]), values["currency"]),
        minor_unit=values["currency"].minor_unit,
        annual_rate_percent=as_decimal(values["annual_rate"]),
        periods_per_year=int(values["frequency"]),
        installments=int(values["installments"]),
        amortization=schedule.Amortization(values["amortization"]),
        grace_periods=int(values.get("grace_periods") or 0),
        first_due=values["first_repayment_date"],
        day_count=schedule.DayCount(values.get("day_count") or DayCountConvention.THIRTY_E_360),
        interest_from=values.get("disbursement_date"),
    )


def _loan_terms_values(loan) -> dict:
    """The loan's terms; a loan read as it stood before day counts (a migration's historical model) counts full
    periods, as every schedule did then."""
    values = {field: getattr(loan, field) for field in TERM_FIELDS if field != "day_count"}
    values["day_count"] = getattr(loan, "day_count", DayCountConvention.FULL_PERIODS)
    return values


def loan_terms(loan: Loan) -> schedule.Terms:
    """The terms the loan's schedule is built from; its first period's interest runs from the planned disbursement
    date (the schedule is fixed on approval, before the money goes out)."""
    return _terms_from(_loan_terms_values(loan))


def loan_schedule_rows(loan: Loan) -> list[schedule.Row]:
    """The schedule the loan's stored terms produce; refused on the dates when it cannot be computed (terms
    stored before the dates were bounded)."""
    values = _loan_terms_values(loan)
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
    if values["day_count"] is None:
        values["day_count"] = DayCountConvention.THIRTY_E_360
    errors = {
        field: _("This field is required.")
        for field in TERM_FIELDS
        if values[field] is None and field != "disbursement_date"
    }
    errors.update({field: message for field, message in _term_errors(values).items() if field not in errors})
    if errors:
        raise ValidationError(errors)
    return schedule.build(_terms_from(values))


def validate_loan(loan: Loan) -> None:
    values = {field: current_value(loan, field) for field in LOAN_FIELDS}
    errors = _term_errors(values)
    programme, borrower, lender = values["programme"], values["borrower"], values["lender"]
    if programme is not None and not programme.is_financial:
        errors["programme"] = _("This programme does not include financial cooperation; loans need one that does.")
    if (problem := participation_problem(programme, borrower)) is not None:
        errors["borrower"] = problem
    if lender is not None and borrower is not None and lender.pk == borrower.pk:
        errors["lender"] = _("The lender cannot be the borrower.")
    if "day_count" not in errors and (problem := _day_count_problem(loan, values["day_count"])) is not None:
        errors["day_count"] = problem
    clean_with(loan, errors, exclude=["reference"])
