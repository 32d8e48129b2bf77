"""Every write of the budgets: budget lines (created, then revised with a reason kept in their history) and
expenditures (recorded with or without their receipt, corrected, a receipt added later)."""

from enum import StrEnum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.dates import date_error
from cooperation.money import amount_error, currency_problem
from cooperation.roles import Perm
from cooperation.workflow import clean_with, lock_row, new_values, only_fields, require_reason, save_by
from programs.budgets.models import BudgetLine, BudgetStatus, BudgetType, Expenditure
from programs.budgets.receipts import receipt_problem
from programs.budgets.summaries import mark_stale


class BudgetRefusal(StrEnum):
    NEGATIVE_AMOUNT = "negative_amount"
    NOT_POSITIVE = "amount_not_positive"
    PERIOD_ENDS_BEFORE_START = "period_ends_before_start"
    OTHER_PROGRAMME = "line_of_another_programme"
    CATEGORY_MISMATCH = "category_mismatch"
    INVALID_FILE = "invalid_file"


LINE_FIELDS = ("category", "period_start", "period_end", "amount", "currency", "budget_type", "status", "description")
LINE_DEFAULTS = {"budget_type": BudgetType.ORIGINAL, "status": BudgetStatus.INDICATIVE, "description": ""}
# Changing what a line is worth, or how firm it is, is a revision: it needs a reason, kept in the history.
REVISED_FIELDS = frozenset({"amount", "currency", "budget_type", "status"})

EXPENDITURE_FIELDS = (
    "budget_line",
    "spent_on",
    "amount",
    "currency",
    "category",
    "payee",
    "payee_organisation",
    "reference",
)
EXPENDITURE_DEFAULTS = {"budget_line": None, "payee_organisation": None, "reference": ""}


def _error(code: str, message: str) -> ValidationError:
    return ValidationError(message, code=code)


def _line_errors(line: BudgetLine, *, new_currency: bool) -> dict:
    errors = {}
    if line.amount is not None and line.amount < 0:
        errors["amount"] = _error(BudgetRefusal.NEGATIVE_AMOUNT, _("A budget cannot be negative."))
    elif (problem := amount_error(line.amount, line.currency_or_none)) is not None:
        errors["amount"] = problem
    if new_currency and (problem := currency_problem(line.currency_or_none)):
        errors["currency"] = problem
    for field in ("period_start", "period_end"):
        if (error := date_error(getattr(line, field))) is not None:
            errors[field] = error
    dates_given = not errors.keys() & {"period_start", "period_end"} and line.period_start and line.period_end
    if dates_given and line.period_end < line.period_start:
        errors["period_end"] = _error(
            BudgetRefusal.PERIOD_ENDS_BEFORE_START, _("The period cannot end before it starts.")
        )
    return errors


@transaction.atomic
def line_create(*, programme, created_by, **data) -> BudgetLine:
    require_perm(created_by, Perm.ADD_BUDGET_LINE)
    values = new_values("line_create", data, LINE_FIELDS, LINE_DEFAULTS)
    line = BudgetLine(programme=programme, created_by=created_by, **values)
    clean_with(line, _line_errors(line, new_currency=True), validate_constraints=False)
    line._history_user = created_by
    line.save()
    mark_stale(line.programme_id)
    return line


@transaction.atomic
def line_update(*, line: BudgetLine, updated_by, reason: str = "", **data) -> BudgetLine:
    """Change a line; a change of its amount, currency, type or status is a revision and needs ``reason``, which
    its history keeps beside who made it."""
    require_perm(updated_by, Perm.CHANGE_BUDGET_LINE)
    only_fields("line_update", data, LINE_FIELDS)
    lock_row(line)
    changed = [field for field in LINE_FIELDS if field in data and _stored(line, field) != _given(data[field])]
    if not changed:
        return line
    if REVISED_FIELDS & set(changed):
        line._change_reason = require_reason(reason)[:100]
    old_currency = line.currency_id
    for field in changed:
        setattr(line, field, data[field])
    clean_with(line, _line_errors(line, new_currency=line.currency_id != old_currency), validate_constraints=False)
    mark_stale(line.programme_id)
    return save_by(line, updated_by, changed)


def _stored(record, field: str):
    value = getattr(record, f"{field}_id") if field in FOREIGN_KEYS else getattr(record, field)
    return value


def _given(value):
    return getattr(value, "pk", value)


FOREIGN_KEYS = frozenset({"currency", "budget_line", "payee_organisation"})


def _expenditure_errors(expenditure: Expenditure, *, new_currency: bool) -> dict:
    errors = {}
    if expenditure.amount is not None and expenditure.amount <= 0:
        errors["amount"] = _error(BudgetRefusal.NOT_POSITIVE, _("The amount must be more than zero."))
    elif (problem := amount_error(expenditure.amount, expenditure.currency_or_none)) is not None:
        errors["amount"] = problem
    if new_currency and (problem := currency_problem(expenditure.currency_or_none)):
        errors["currency"] = problem
    if (error := date_error(expenditure.spent_on, past=True)) is not None:
        errors["spent_on"] = error
    line = expenditure.budget_line
    if line is not None:
        if line.programme_id != expenditure.programme_id:
            errors["budget_line"] = _error(
                BudgetRefusal.OTHER_PROGRAMME, _("This budget line belongs to another programme.")
            )
        elif expenditure.category and line.category != expenditure.category:
            errors["category"] = _error(
                BudgetRefusal.CATEGORY_MISMATCH,
                _("The budget line is for %(category)s: choose that category or another line.")
                % {"category": line.get_category_display()},
            )
    return errors


def _attach(expenditure: Expenditure, receipt, errors: dict) -> None:
    """Check ``receipt`` (errors go to ``errors``); once the rest is valid the caller saves it."""
    if receipt is None:
        return
    content_type, problem = receipt_problem(receipt)
    if problem:
        errors["receipt"] = _error(BudgetRefusal.INVALID_FILE, problem)
        return
    expenditure.receipt_name = (getattr(receipt, "name", "") or "")[-200:]
    expenditure.receipt_type = content_type


@transaction.atomic
def expenditure_create(*, programme, recorded_by, receipt=None, **data) -> Expenditure:
    require_perm(recorded_by, Perm.ADD_EXPENDITURE)
    values = new_values("expenditure_create", data, EXPENDITURE_FIELDS, EXPENDITURE_DEFAULTS)
    expenditure = Expenditure(programme=programme, recorded_by=recorded_by, **values)
    errors = _expenditure_errors(expenditure, new_currency=True)
    _attach(expenditure, receipt, errors)
    clean_with(expenditure, errors, exclude=["receipt"], validate_constraints=False)
    if receipt is not None:
        expenditure.receipt.save(receipt.name, receipt, save=False)
    expenditure._history_user = recorded_by
    expenditure.save()
    mark_stale(expenditure.programme_id)
    return expenditure


@transaction.atomic
def expenditure_update(*, expenditure: Expenditure, updated_by, receipt=None, **data) -> Expenditure:
    """Correct an expenditure, or add (replace) its receipt."""
    require_perm(updated_by, Perm.CHANGE_EXPENDITURE)
    only_fields("expenditure_update", data, EXPENDITURE_FIELDS)
    lock_row(expenditure)
    changed = [f for f in EXPENDITURE_FIELDS if f in data and _stored(expenditure, f) != _given(data[f])]
    if not changed and receipt is None:
        return expenditure
    old_currency = expenditure.currency_id
    for field in changed:
        setattr(expenditure, field, data[field])
    errors = _expenditure_errors(expenditure, new_currency=expenditure.currency_id != old_currency)
    _attach(expenditure, receipt, errors)
    clean_with(expenditure, errors, exclude=["receipt"], validate_constraints=False)
    if receipt is not None:
        old = expenditure.receipt.name if expenditure.receipt else ""
        expenditure.receipt.save(receipt.name, receipt, save=False)
        changed += ["receipt", "receipt_name", "receipt_type"]
        if old:
            transaction.on_commit(lambda: expenditure.receipt.storage.delete(old))
    if set(changed) - {"receipt", "receipt_name", "receipt_type", "payee", "payee_organisation", "reference"}:
        mark_stale(expenditure.programme_id)
    return save_by(expenditure, updated_by, changed)
