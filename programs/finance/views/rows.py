"""Repayments on a loan's page and tranches on a grant's page: each row's moves are POSTs that call one service,
then go back to the page with the outcome as a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cooperation.access import require_perm
from cooperation.history import HistorySource, history_entries
from cooperation.pages import form_problems, paginate, posted, workspace_page
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


def _repayment_move(request, pk, repayment_pk, *, call, done, form_class=None):
    loan = selectors.loan_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.RECORD_REPAYMENT)
    repayment = get_object_or_404(selectors.repayment_list(user=request.user, loan=loan), pk=repayment_pk)
    page_url = reverse("finance:loan_detail", args=[loan.pk]) + "#repayments"
    return _row_move(request, repayment, page_url, call=call, done=done, form_class=form_class)


@require_POST
@workspace_page(object_page=True)
def repayment_confirm(request, pk, repayment_pk):
    return _repayment_move(
        request,
        pk,
        repayment_pk,
        call=lambda repayment, user: services.repayment_confirm(repayment=repayment, confirmed_by=user),
        done=_("The notified payment was confirmed and applied to the schedule."),
    )


@require_POST
@workspace_page(object_page=True)
def repayment_reject(request, pk, repayment_pk):
    return _repayment_move(
        request,
        pk,
        repayment_pk,
        form_class=ReasonForm,
        call=lambda repayment, user, reason: services.repayment_reject(
            repayment=repayment, rejected_by=user, reason=reason
        ),
        done=_("The notified payment was marked as not received."),
    )


@require_POST
@workspace_page(object_page=True)
def repayment_reverse(request, pk, repayment_pk):
    return _repayment_move(
        request,
        pk,
        repayment_pk,
        form_class=ReasonForm,
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


def _tranche_move(request, pk, tranche_pk, *, perm, call, done, form_class=None):
    grant = selectors.grant_get(user=request.user, pk=pk)
    require_perm(request.user, perm)
    tranche = get_object_or_404(grant.tranches.all(), pk=tranche_pk)
    page_url = reverse("finance:grant_detail", args=[grant.pk]) + "#tranches"
    return _row_move(
        request, tranche, page_url, call=call, done=done % {"number": tranche.number}, form_class=form_class
    )


@require_POST
@workspace_page(object_page=True)
def tranche_approve(request, pk, tranche_pk):
    return _tranche_move(
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
    return _tranche_move(
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
    return _tranche_move(
        request,
        pk,
        tranche_pk,
        perm=Perm.CHANGE_TRANCHE,
        call=lambda tranche, user: services.tranche_cancel(tranche=tranche, cancelled_by=user),
        done=_("Tranche %(number)s was cancelled."),
    )
