"""Officer workspace pages for loans, repayments and grants.

Every action is a POST to its own URL that calls exactly one finance service; a
refusal from the service comes back as a message or a field error, never a 500.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cooperation.access import require_perm
from cooperation.forms import add_service_error
from cooperation.history import HistorySource, history_entries
from cooperation.pages import Column, header_cells, paginate, posted, workspace_page
from cooperation.roles import Perm
from cooperation.templatetags.kerjasama import money
from programs.finance import schedule, selectors, services
from programs.finance.forms import (
    DisburseForm,
    GrantForm,
    LoanFilterForm,
    LoanForm,
    ReasonForm,
    RepaymentForm,
    TranchePayForm,
)
from programs.finance.models import Allocation, Grant, Loan, LoanStatus, RepaymentStatus, Tranche, TrancheStatus

LOAN_COLUMNS = [
    Column(gettext_lazy("Reference"), "reference"),
    Column(gettext_lazy("Borrower"), "borrower"),
    Column(gettext_lazy("Programme"), "programme"),
    Column(gettext_lazy("Principal"), "principal", numeric=True),
    Column(gettext_lazy("Outstanding principal"), "outstanding", numeric=True),
    Column(gettext_lazy("Overdue"), "overdue", numeric=True),
    Column(gettext_lazy("Status"), "status"),
]

# Filters shown without opening "More filters"; the rest stay folded so a phone reaches the table.
MAIN_FILTERS = ("q", "status", "overdue")


# --- The schedule, as previewed or planned ------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleTable:
    """Rows of a repayment schedule with their totals and the loan's grant element."""

    rows: list[schedule.Row]
    currency: object
    discount_rate: Decimal
    grant_element: Decimal

    @property
    def principal_total(self) -> Decimal:
        return sum((row.principal for row in self.rows), Decimal(0))

    @property
    def interest_total(self) -> Decimal:
        return sum((row.interest for row in self.rows), Decimal(0))

    @property
    def total(self) -> Decimal:
        return self.principal_total + self.interest_total


def _schedule_table(rows, *, principal, currency, disbursed_on, discount_rate) -> ScheduleTable:
    element = schedule.grant_element(rows, principal, disbursed_on, discount_rate)
    return ScheduleTable(rows, currency, discount_rate, element)


def _preview(terms: dict) -> ScheduleTable:
    """The schedule the terms would give; raises the service's ValidationError for bad terms."""
    rows = services.schedule_preview(**terms)
    return _schedule_table(
        rows,
        principal=terms["principal"],
        currency=terms["currency"],
        disbursed_on=terms["disbursement_date"],
        discount_rate=terms["discount_rate"],
    )


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


# --- Loan list ----------------------------------------------------------------------------------------


@workspace_page()
def loan_list(request):
    require_perm(request.user, Perm.VIEW_LOAN)
    filters = LoanFilterForm(request.GET or None)
    page_obj = paginate(request, filters.filter(selectors.loan_list(user=request.user)))
    fields = list(filters)
    more = [field for field in fields if field.name not in MAIN_FILTERS]
    return render(
        request,
        "finance/loan_list.html",
        {
            "main_filters": [field for field in fields if field.name in MAIN_FILTERS],
            "more_filters": more,
            "more_filters_used": any(request.GET.get(field.name) for field in more),
            "page_obj": page_obj,
            "loans": page_obj.object_list,
            "columns": header_cells(LOAN_COLUMNS, request.GET.get("ordering", "")),
            "can_add": request.user.has_perm(Perm.ADD_LOAN),
        },
    )


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
        {"form": form, "loan": loan, "preview": preview, "preview_errors": preview_errors},
    )


@workspace_page()
def loan_create(request):
    require_perm(request.user, Perm.ADD_LOAN)
    form = LoanForm(posted(request))
    return _loan_form_page(request, form, None, lambda data: services.loan_create(created_by=request.user, **data))


@workspace_page(object_page=True)
def loan_edit(request, pk):
    loan = selectors.loan_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.CHANGE_LOAN)
    if loan.status != LoanStatus.DRAFT:
        messages.error(
            request,
            _("Only a draft loan can be edited; this one is %(status)s.") % {"status": loan.get_status_display()},
        )
        return redirect("finance:loan_detail", pk=loan.pk)
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


# --- Loan detail ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """A button on the loan page: shown when the loan's status allows it, disabled with a reason if not for you."""

    name: str
    label: str
    url: str
    form: object = None
    disabled_reason: str = ""
    danger: bool = False


def _loan_actions(user, loan: Loan) -> list[Action]:
    def url(name):
        return reverse(f"finance:loan_{name}", args=[loan.pk])

    can_change, can_approve = user.has_perm(Perm.CHANGE_LOAN), user.has_perm(Perm.APPROVE_LOAN)
    own = loan.created_by_id == user.pk
    actions = []
    if loan.status == LoanStatus.DRAFT and can_change:
        actions.append(Action("submit", _("Submit for approval"), url("submit")))
    if loan.status == LoanStatus.SUBMITTED:
        reason = ""
        if not can_approve:
            reason = _("Only a manager can approve or reject a loan.")
        elif own:
            reason = _("You created this loan, so another manager must approve or reject it.")
        if can_approve or can_change:
            actions.append(Action("approve", _("Approve"), url("approve"), disabled_reason=reason))
            actions.append(
                Action("reject", _("Reject"), url("reject"), ReasonForm(prefix="reject"), reason, danger=True)
            )
    if loan.status == LoanStatus.APPROVED and can_change:
        actions.append(Action("disburse", _("Record disbursement"), url("disburse"), DisburseForm(prefix="disburse")))
    if loan.status in (LoanStatus.DRAFT, LoanStatus.SUBMITTED, LoanStatus.APPROVED) and can_change:
        actions.append(Action("cancel", _("Cancel loan"), url("cancel"), ReasonForm(prefix="cancel"), danger=True))
    if loan.status == LoanStatus.DISBURSED and can_approve:
        actions.append(
            Action("write_off", _("Write off"), url("write_off"), ReasonForm(prefix="write_off"), danger=True)
        )
    return actions


def _loan_schedule_table(loan: Loan, installments) -> ScheduleTable | list[str]:
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
    return _schedule_table(
        rows,
        principal=loan.principal,
        currency=loan.currency,
        disbursed_on=loan.disbursed_on or loan.disbursement_date,
        discount_rate=loan.discount_rate,
    )


def _loan_detail_page(request, loan: Loan):
    user = request.user
    today = timezone.localdate()
    installments = list(selectors.loan_schedule(loan=loan, today=today))
    can_record = user.has_perm(Perm.RECORD_REPAYMENT)
    repayments = selectors.repayment_list(user=user, loan=loan).prefetch_related(
        Prefetch(
            "allocations", queryset=Allocation.objects.select_related("installment").order_by("installment__number")
        )
    )
    reminders = None
    if user.has_perm(Perm.VIEW_REMINDER):
        reminders = selectors.loan_reminders_with_emails(user=user, loan=loan)
    history = None
    if user.has_perm(Perm.VIEW_HISTORY):
        history = selectors.loan_history(user=user, loan=loan)
    planned = _loan_schedule_table(loan, installments)
    return render(
        request,
        "finance/loan_detail.html",
        {
            "loan": loan,
            "today": today,
            "installments": installments,
            "planned": planned if isinstance(planned, ScheduleTable) else None,
            "planned_problems": [] if isinstance(planned, ScheduleTable) else planned,
            "totals": _installment_totals(installments),
            "actions": _loan_actions(user, loan),
            "repayments": repayments,
            "can_record": can_record and loan.status == LoanStatus.DISBURSED,
            "can_review_repayments": can_record,
            "reason_form": ReasonForm(),
            "reminders": reminders,
            "can_resend": user.has_perm(Perm.RESEND_MESSAGE),
            "history": history,
            "can_edit": loan.status == LoanStatus.DRAFT and user.has_perm(Perm.CHANGE_LOAN),
            "RepaymentStatus": RepaymentStatus,
        },
    )


def _installment_totals(installments) -> dict:
    def total(attribute):
        return sum((getattr(item, attribute) for item in installments), Decimal(0))

    return {
        "principal_due": total("principal_due"),
        "interest_due": total("interest_due"),
        "total_due": total("total_due"),
        "paid": total("total_paid"),
        "outstanding": total("outstanding"),
    }


@workspace_page(object_page=True)
def loan_detail(request, pk):
    require_perm(request.user, Perm.VIEW_LOAN)
    return _loan_detail_page(request, selectors.loan_get(user=request.user, pk=pk))


# --- Loan transitions: one POST, one service each -----------------------------------------------------


def _refusal(error: ValidationError) -> str:
    return " ".join(error.messages)


def _form_problem(form) -> str:
    return " ".join(
        f"{form.fields[name].label}: {' '.join(errors)}" if name in form.fields else " ".join(errors)
        for name, errors in form.errors.items()
    )


def _loan_transition(request, pk, *, perm, call, done, form_class=None, prefix=None, anchor="status"):
    """Run one loan service on a POST; a refusal becomes an error message on the loan page."""
    loan = selectors.loan_get(user=request.user, pk=pk)
    require_perm(request.user, perm)
    form = form_class(request.POST, prefix=prefix) if form_class else None
    detail = reverse("finance:loan_detail", args=[loan.pk]) + f"#{anchor}"
    if form is not None and not form.is_valid():
        messages.error(request, _form_problem(form))
        return redirect(detail)
    try:
        call(loan, request.user, **(form.cleaned_data if form else {}))
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, done % {"reference": loan.reference})
    return redirect(detail)


@require_POST
@workspace_page(object_page=True)
def loan_submit(request, pk):
    return _loan_transition(
        request,
        pk,
        perm=Perm.CHANGE_LOAN,
        call=lambda loan, user: services.loan_submit(loan=loan, submitted_by=user),
        done=_("Loan %(reference)s was submitted for approval."),
    )


@require_POST
@workspace_page(object_page=True)
def loan_approve(request, pk):
    return _loan_transition(
        request,
        pk,
        perm=Perm.APPROVE_LOAN,
        call=lambda loan, user: services.loan_approve(loan=loan, approved_by=user),
        done=_("Loan %(reference)s was approved; its repayment schedule is fixed."),
    )


@require_POST
@workspace_page(object_page=True)
def loan_reject(request, pk):
    return _loan_transition(
        request,
        pk,
        perm=Perm.APPROVE_LOAN,
        form_class=ReasonForm,
        prefix="reject",
        call=lambda loan, user, reason: services.loan_reject(loan=loan, rejected_by=user, reason=reason),
        done=_("Loan %(reference)s was rejected."),
    )


@require_POST
@workspace_page(object_page=True)
def loan_disburse(request, pk):
    return _loan_transition(
        request,
        pk,
        perm=Perm.CHANGE_LOAN,
        form_class=DisburseForm,
        prefix="disburse",
        call=lambda loan, user, disbursed_on: services.loan_disburse(
            loan=loan, disbursed_by=user, disbursed_on=disbursed_on
        ),
        done=_("Disbursement of loan %(reference)s was recorded."),
    )


@require_POST
@workspace_page(object_page=True)
def loan_cancel(request, pk):
    return _loan_transition(
        request,
        pk,
        perm=Perm.CHANGE_LOAN,
        form_class=ReasonForm,
        prefix="cancel",
        call=lambda loan, user, reason: services.loan_cancel(loan=loan, cancelled_by=user, reason=reason),
        done=_("Loan %(reference)s was cancelled."),
    )


@require_POST
@workspace_page(object_page=True)
def loan_write_off(request, pk):
    return _loan_transition(
        request,
        pk,
        perm=Perm.APPROVE_LOAN,
        form_class=ReasonForm,
        prefix="write_off",
        call=lambda loan, user, reason: services.loan_write_off(loan=loan, written_off_by=user, reason=reason),
        done=_("Loan %(reference)s was written off."),
    )


# --- Repayments -------------------------------------------------------------------------------------------


@workspace_page(object_page=True)
def repayment_create(request, pk):
    loan = selectors.loan_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.RECORD_REPAYMENT)
    still_owed = services.amount_owed(loan) if loan.status == LoanStatus.DISBURSED else None
    form = RepaymentForm(posted(request), loan=loan, still_owed=still_owed)
    if request.method == "POST" and form.is_valid():
        try:
            repayment = services.repayment_record(loan=loan, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(
                request,
                _("A repayment of %(amount)s was recorded on %(reference)s.")
                % {"amount": money(repayment.amount, repayment.currency), "reference": loan.reference},
            )
            return redirect(reverse("finance:loan_detail", args=[loan.pk]) + "#repayments")
    return render(request, "finance/repayment_form.html", {"form": form, "loan": loan})


def _repayment_action(request, pk, repayment_pk, *, call, done, with_reason=False):
    loan = selectors.loan_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.RECORD_REPAYMENT)
    repayment = get_object_or_404(selectors.repayment_list(user=request.user, loan=loan), pk=repayment_pk)
    detail = reverse("finance:loan_detail", args=[loan.pk]) + "#repayments"
    data = {}
    if with_reason:
        form = ReasonForm(request.POST)
        if not form.is_valid():
            messages.error(request, _form_problem(form))
            return redirect(detail)
        data = form.cleaned_data
    try:
        call(repayment, request.user, **data)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, done)
    return redirect(detail)


@require_POST
@workspace_page(object_page=True)
def repayment_confirm(request, pk, repayment_pk):
    return _repayment_action(
        request,
        pk,
        repayment_pk,
        call=lambda repayment, user: services.repayment_confirm(repayment=repayment, confirmed_by=user),
        done=_("The notified payment was confirmed and applied to the schedule."),
    )


@require_POST
@workspace_page(object_page=True)
def repayment_reject(request, pk, repayment_pk):
    return _repayment_action(
        request,
        pk,
        repayment_pk,
        with_reason=True,
        call=lambda repayment, user, reason: services.repayment_reject(
            repayment=repayment, rejected_by=user, reason=reason
        ),
        done=_("The notified payment was marked as not received."),
    )


@require_POST
@workspace_page(object_page=True)
def repayment_reverse(request, pk, repayment_pk):
    return _repayment_action(
        request,
        pk,
        repayment_pk,
        with_reason=True,
        call=lambda repayment, user, reason: services.repayment_reverse(
            repayment=repayment, reversed_by=user, reason=reason
        ),
        done=_("The repayment was reversed; the remaining payments were applied again."),
    )


# --- Grants and tranches ----------------------------------------------------------------------------------


@workspace_page()
def grant_list(request):
    require_perm(request.user, Perm.VIEW_GRANT)
    page_obj = paginate(request, selectors.grant_list(user=request.user))
    return render(
        request,
        "finance/grant_list.html",
        {"page_obj": page_obj, "grants": page_obj.object_list, "can_add": request.user.has_perm(Perm.ADD_GRANT)},
    )


@workspace_page()
def grant_create(request):
    require_perm(request.user, Perm.ADD_GRANT)
    form = GrantForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.grant_create(created_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Grant %(reference)s was created.") % {"reference": grant.reference})
            return redirect("finance:grant_detail", pk=grant.pk)
    return render(request, "finance/grant_form.html", {"form": form})


@workspace_page(object_page=True)
def grant_detail(request, pk):
    require_perm(request.user, Perm.VIEW_GRANT)
    grant = selectors.grant_get(user=request.user, pk=pk)
    user = request.user
    history = None
    if user.has_perm(Perm.VIEW_HISTORY):
        history = _grant_history(user, grant)
    return render(
        request,
        "finance/grant_detail.html",
        {
            "grant": grant,
            "tranches": grant.tranches.all(),
            "can_change": user.has_perm(Perm.CHANGE_TRANCHE),
            "can_approve": user.has_perm(Perm.APPROVE_TRANCHE),
            "history": history,
            "TrancheStatus": TrancheStatus,
        },
    )


def _grant_history(user, grant: Grant) -> list:
    """Changes to the grant and its tranches, newest first."""
    require_perm(user, Perm.VIEW_HISTORY)
    return history_entries(
        [
            HistorySource(Grant.history.filter(id=grant.pk)),
            HistorySource(
                Tranche.history.filter(grant_id=grant.pk),
                subject=lambda record: _("Tranche %(number)s") % {"number": record.number},
            ),
        ]
    )


def _tranche_action(request, pk, tranche_pk, *, perm, call, done, form_class=None):
    grant = selectors.grant_get(user=request.user, pk=pk)
    require_perm(request.user, perm)
    tranche = get_object_or_404(grant.tranches.all(), pk=tranche_pk)
    detail = reverse("finance:grant_detail", args=[grant.pk]) + "#tranches"
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _form_problem(form))
            return redirect(detail)
        data = form.cleaned_data
    try:
        call(tranche, request.user, **data)
    except ValidationError as error:
        messages.error(request, _refusal(error))
    else:
        messages.success(request, done % {"number": tranche.number})
    return redirect(detail)


@require_POST
@workspace_page(object_page=True)
def tranche_approve(request, pk, tranche_pk):
    return _tranche_action(
        request,
        pk,
        tranche_pk,
        perm=Perm.APPROVE_TRANCHE,
        call=lambda tranche, user: services.tranche_approve(tranche=tranche, approved_by=user),
        done=_("Tranche %(number)s was approved for payment."),
    )


@require_POST
@workspace_page(object_page=True)
def tranche_pay(request, pk, tranche_pk):
    return _tranche_action(
        request,
        pk,
        tranche_pk,
        perm=Perm.CHANGE_TRANCHE,
        form_class=TranchePayForm,
        call=lambda tranche, user, paid_on, payment_reference: services.tranche_pay(
            tranche=tranche, paid_by=user, paid_on=paid_on, payment_reference=payment_reference
        ),
        done=_("Tranche %(number)s was recorded as paid."),
    )


@require_POST
@workspace_page(object_page=True)
def tranche_cancel(request, pk, tranche_pk):
    return _tranche_action(
        request,
        pk,
        tranche_pk,
        perm=Perm.CHANGE_TRANCHE,
        call=lambda tranche, user: services.tranche_cancel(tranche=tranche, cancelled_by=user),
        done=_("Tranche %(number)s was cancelled."),
    )
