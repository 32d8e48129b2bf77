"""Drafting a loan with the live preview of its schedule, and the schedule tables the loan page shows."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cooperation.access import require_perm
from cooperation.forms import add_service_error
from cooperation.pages import posted, refused_edit, workspace_page
from cooperation.roles import Perm
from programs.finance import schedule, selectors, services
from programs.finance.forms import LoanForm, chosen_partner_flags, preselected
from programs.finance.models import DayCountConvention, Loan


@dataclass(frozen=True)
class ScheduleTable:
    """Rows of a repayment schedule with their totals and the loan's grant element."""

    rows: list[schedule.Row]
    currency: object
    discount_rate: Decimal
    grant_element: Decimal
    first_period: "FirstPeriod | None" = None

    @property
    def principal_total(self) -> Decimal:
        return sum((row.principal for row in self.rows), Decimal(0))

    @property
    def interest_total(self) -> Decimal:
        return sum((row.interest for row in self.rows), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.principal_total + self.interest_total


@dataclass(frozen=True)
class FirstPeriod:
    """What the first installment's interest runs for, as the preview says it."""

    full_periods: bool  # one whole period, however long
    start: object
    end: object

    @property
    def days(self) -> int:
        return (self.end - self.start).days


def schedule_table(rows, *, principal, currency, disbursed_on, discount_rate, grant_element=None) -> ScheduleTable:
    """The table of ``rows``; their grant element computed unless the caller knows it (``grant_element``)."""
    if grant_element is None:
        grant_element = schedule.grant_element(rows, principal, disbursed_on, discount_rate)
    return ScheduleTable(rows, currency, discount_rate, grant_element)


def _preview(terms: dict) -> ScheduleTable:
    """The schedule the terms would give; raises the service's ValidationError for bad terms."""
    rows = services.schedule_preview(**terms)
    table = schedule_table(
        rows,
        principal=terms["principal"],
        currency=terms["currency"],
        disbursed_on=terms["disbursement_date"],
        discount_rate=terms["discount_rate"],
    )
    first_period = FirstPeriod(
        full_periods=terms["day_count"] == DayCountConvention.FULL_PERIODS,
        start=terms["disbursement_date"],
        end=terms["first_repayment_date"],
    )
    return replace(table, first_period=first_period)


def _form_preview(form: LoanForm) -> tuple[ScheduleTable | None, list]:
    """(schedule, problems) for a bound loan form: the table, or what stops it from being drawn."""
    if not form.is_bound:
        return None, []
    form.is_valid()
    terms = form.preview_terms()
    if terms is not None:
        try:
            return _preview(terms), []
        except ValidationError as error:
            add_service_error(form, error)
    return None, form.preview_errors()


def _can_draft(user) -> bool:
    return user.has_perm(Perm.ADD_LOAN) or user.has_perm(Perm.CHANGE_LOAN)


# --- Drafting a loan, with its schedule preview -------------------------------------------------------


def _loan_form_page(request, form: LoanForm, loan: Loan | None, save: Callable[[dict], Loan]):
    previewing = request.method == "POST" and "preview" in request.POST
    if request.method == "POST" and not previewing and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
            if loan is not None:
                loan.refresh_from_db()  # the service set the refused values on it
        else:
            messages.success(request, _("Loan %(reference)s was saved as a draft.") % {"reference": saved.reference})
            return redirect("finance:loan_detail", pk=saved.pk)
    if previewing:
        form.is_valid()
        form.keep_only_preview_errors()
    preview, preview_errors = _form_preview(form)
    if not form.is_bound and loan is not None:
        preview = _preview({name: getattr(loan, name) for name in LoanForm.PREVIEW_FIELDS})
    return render(
        request,
        "finance/loan_form.html",
        {
            "form": form,
            "loan": loan,
            "preview": preview,
            "preview_errors": preview_errors,
            "risk_flags": chosen_partner_flags(form, "borrower"),
        },
    )


@workspace_page(perm=Perm.ADD_LOAN)
def loan_create(request):
    form = LoanForm(posted(request), initial=preselected(request, "programme", "borrower"))
    return _loan_form_page(request, form, None, lambda data: services.loan_create(created_by=request.user, **data))


@workspace_page(object_page=True)
def loan_edit(request, pk):
    loan = selectors.loan_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.CHANGE_LOAN)
    if refused := refused_edit(request, loan, services.loan_move_refusal, "finance:loan_detail"):
        return refused
    form = LoanForm(posted(request), instance=loan)
    return _loan_form_page(
        request, form, loan, lambda data: services.loan_update(loan=loan, updated_by=request.user, **data)
    )


@workspace_page()
def loan_preview(request):
    """The schedule table (or what stops it) as an HTML fragment, for the form's live preview."""
    if not _can_draft(request.user):
        raise PermissionDenied
    form = LoanForm(request.POST if request.method == "POST" else (request.GET or None))
    preview, preview_errors = _form_preview(form)
    return render(request, "finance/_schedule_preview.html", {"preview": preview, "preview_errors": preview_errors})


# --- The schedule on the loan's page ---------------------------------------------------------------------


def loan_schedule_table(loan: Loan, installments) -> ScheduleTable | list[str]:
    """The installments once approved, or the schedule the terms give while the loan is a draft or submitted
    (or why the stored terms give none: dates typed before they were bounded)."""
    if installments:
        rows = [
            schedule.Row(i.number, i.due_date, i.principal_due, i.interest_due, i.balance_after) for i in installments
        ]
    else:
        try:
            rows = services.loan_schedule_rows(loan)
        except ValidationError as refused:
            return refused.messages
    return schedule_table(
        rows,
        principal=loan.principal,
        currency=loan.currency,
        disbursed_on=loan.disbursed_on or loan.disbursement_date,
        discount_rate=loan.discount_rate,
        # Saved with the terms the schedule was made from: the same figure, without discounting every row again.
        # A page may list part of the schedule: without a saved figure, it is computed from the whole of it.
        grant_element=loan.grant_element
        if loan.grant_element is not None or not installments
        else selectors.loan_grant_element(loan=loan),
    )
