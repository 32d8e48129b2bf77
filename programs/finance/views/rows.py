"""Repayments on a loan's page and tranches on a grant's page: each row's moves are POSTs that call one service,
then go back to the page with the outcome as a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cooperation.access import require_perm
from cooperation.history import HistorySource, history_entries
from cooperation.pages import form_problems, list_page, posted, saved_from, workspace_page
from cooperation.roles import Perm
from cooperation.templatetags.kerjasama import money
from programs.finance import selectors, services
from programs.finance.forms import GrantForm, ReasonForm, RepaymentForm, TranchePayForm
from programs.finance.models import Grant, Tranche


def _row_move(request, record, page_url: str, *, call, done: str, form_class=None):
    """Run one service on a row of a record's page; success or refusal is a message on the page."""
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            messages.error(request, form_problems(form))
            return redirect(page_url)
        data = form.cleaned_data
    try:
        call(record, request.user, **data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(page_url)


# --- Repayments -------------------------------------------------------------------------------------------


@workspace_page(object_page=True)
def repayment_create(request, pk):
    loan = selectors.loan_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.RECORD_REPAYMENT)
    still_owed = services.amount_owed(loan) if services.payment_refusal(loan) is None else None
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


def _repayment_move_view(name: str, call, done: str, form_class=None):
    """The POST view of one move on a repayment of a loan's page."""

    @require_POST
    @workspace_page(object_page=True)
    def view(request, pk, repayment_pk):
        loan = selectors.loan_get(user=request.user, pk=pk)
        require_perm(request.user, Perm.RECORD_REPAYMENT)
        repayment = get_object_or_404(selectors.repayment_list(user=request.user, loan=loan), pk=repayment_pk)
        page_url = reverse("finance:loan_detail", args=[loan.pk]) + "#repayments"
        return _row_move(request, repayment, page_url, call=call, done=str(done), form_class=form_class)

    view.__name__ = view.__qualname__ = f"repayment_{name}"
    return view


repayment_confirm = _repayment_move_view(
    "confirm",
    lambda repayment, user: services.repayment_confirm(repayment=repayment, confirmed_by=user),
    gettext_lazy("The notified payment was confirmed and applied to the schedule."),
)
repayment_reject = _repayment_move_view(
    "reject",
    lambda repayment, user, reason: services.repayment_reject(repayment=repayment, rejected_by=user, reason=reason),
    gettext_lazy("The notified payment was marked as not received."),
    ReasonForm,
)
repayment_reverse = _repayment_move_view(
    "reverse",
    lambda repayment, user, reason: services.repayment_reverse(repayment=repayment, reversed_by=user, reason=reason),
    gettext_lazy("The repayment was reversed; the remaining payments were applied again."),
    ReasonForm,
)


# --- Grants and tranches ----------------------------------------------------------------------------------


@workspace_page()
def grant_list(request):
    require_perm(request.user, Perm.VIEW_GRANT)
    return list_page(
        request,
        "finance/grant_list.html",
        selectors.grant_list(user=request.user),
        name="grants",
        can_add=request.user.has_perm(Perm.ADD_GRANT),
    )


@workspace_page()
def grant_create(request):
    require_perm(request.user, Perm.ADD_GRANT)
    form = GrantForm(posted(request))
    grant = saved_from(request, form, services.grant_create, created_by=request.user)
    if grant is not None:
        messages.success(request, _("Grant %(reference)s was created.") % {"reference": grant.reference})
        return redirect("finance:grant_detail", pk=grant.pk)
    return render(request, "finance/grant_form.html", {"form": form})


@workspace_page(object_page=True)
def grant_detail(request, pk):
    require_perm(request.user, Perm.VIEW_GRANT)
    grant = selectors.grant_get(user=request.user, pk=pk)
    user = request.user
    tranches = list(grant.tranches.all())
    for tranche in tranches:
        tranche.grant = grant
        tranche.moves = services.open_moves(tranche, user, services.TRANCHE_MOVES, services.tranche_move_refusal)
    return render(
        request,
        "finance/grant_detail.html",
        {
            "grant": grant,
            "tranches": tranches,
            "can_change": user.has_perm(Perm.CHANGE_TRANCHE),
            "can_approve": user.has_perm(Perm.APPROVE_TRANCHE),
            "history": _grant_history(grant) if user.has_perm(Perm.VIEW_HISTORY) else None,
        },
    )


def _grant_history(grant: Grant) -> list:
    """Changes to the grant and its tranches, newest first."""
    return history_entries(
        [
            HistorySource(Grant.history.filter(id=grant.pk)),
            HistorySource(
                Tranche.history.filter(grant_id=grant.pk),
                subject=lambda record: _("Tranche %(number)s") % {"number": record.number},
            ),
        ]
    )


def _tranche_move_view(name: str, perm: Perm, call, done: str, form_class=None):
    """The POST view of one move on a tranche of a grant's page."""

    @require_POST
    @workspace_page(object_page=True)
    def view(request, pk, tranche_pk):
        grant = selectors.grant_get(user=request.user, pk=pk)
        require_perm(request.user, perm)
        tranche = get_object_or_404(grant.tranches.all(), pk=tranche_pk)
        page_url = reverse("finance:grant_detail", args=[grant.pk]) + "#tranches"
        message = done % {"number": tranche.number}
        return _row_move(request, tranche, page_url, call=call, done=message, form_class=form_class)

    view.__name__ = view.__qualname__ = f"tranche_{name}"
    return view


tranche_approve = _tranche_move_view(
    "approve",
    Perm.APPROVE_TRANCHE,
    lambda tranche, user: services.tranche_approve(tranche=tranche, approved_by=user),
    gettext_lazy("Tranche %(number)s was approved for payment."),
)
tranche_pay = _tranche_move_view(
    "pay",
    Perm.CHANGE_TRANCHE,
    lambda tranche, user, paid_on, payment_reference: services.tranche_pay(
        tranche=tranche, paid_by=user, paid_on=paid_on, payment_reference=payment_reference
    ),
    gettext_lazy("Tranche %(number)s was recorded as paid."),
    TranchePayForm,
)
tranche_cancel = _tranche_move_view(
    "cancel",
    Perm.CHANGE_TRANCHE,
    lambda tranche, user: services.tranche_cancel(tranche=tranche, cancelled_by=user),
    gettext_lazy("Tranche %(number)s was cancelled."),
)
