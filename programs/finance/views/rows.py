"""Repayments on a loan's page and tranches on a grant's page: each row's moves are POSTs that call one service,
then go back to the page with the outcome as a message."""

from functools import partial

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.access import require_perm
from cooperation.history import HistorySource, history_entries
from cooperation.pages import PageMove, form_page, list_view, posted, row_move_view, service_call, workspace_page
from cooperation.roles import Perm
from cooperation.templatetags.kerjasama import money
from programs.finance import selectors, services
from programs.finance.api.filters import GrantFilter
from programs.finance.forms import (
    GrantForm,
    ReasonForm,
    RepaymentForm,
    TranchePayForm,
    chosen_partner_flags,
    preselected,
)
from programs.finance.models import Grant, Tranche
from programs.finance.services.guards import REPAYMENT_MOVE_PERMS, TRANCHE_MOVE_PERMS

# --- Repayments -------------------------------------------------------------------------------------------


@workspace_page(object_page=True)
def repayment_create(request, pk):
    loan = selectors.loan_get(user=request.user, pk=pk)
    require_perm(request.user, Perm.RECORD_REPAYMENT)
    still_owed = services.amount_owed(loan) if services.payment_refusal(loan) is None else None
    return form_page(
        request,
        RepaymentForm(posted(request), loan=loan, still_owed=still_owed),
        partial(services.repayment_record, loan=loan, recorded_by=request.user),
        done=lambda repayment: (
            _("A repayment of %(amount)s was recorded on %(reference)s.")
            % {"amount": money(repayment.amount, repayment.currency), "reference": loan.reference},
            reverse("finance:loan_detail", args=[loan.pk]) + "#repayments",
        ),
        template="finance/repayment_form.html",
        context={"loan": loan},
    )


REPAYMENT_MOVES = {
    "confirm": PageMove(
        gettext_lazy("Confirm"),
        service_call(services.repayment_confirm, "repayment", "confirmed_by"),
        gettext_lazy("The notified payment was confirmed and applied to the schedule."),
        anchor="#repayments",
    ),
    "reject": PageMove(
        gettext_lazy("Not received"),
        service_call(services.repayment_reject, "repayment", "rejected_by"),
        gettext_lazy("The notified payment was marked as not received."),
        ReasonForm,
        anchor="#repayments",
    ),
    "reverse": PageMove(
        gettext_lazy("Reverse"),
        service_call(services.repayment_reverse, "repayment", "reversed_by"),
        gettext_lazy("The repayment was reversed; the remaining payments were applied again."),
        ReasonForm,
        anchor="#repayments",
    ),
}

repayment_move = row_move_view(
    get=selectors.loan_get,
    rows=lambda loan, user: selectors.repayment_list(user=user, loan=loan),
    moves=REPAYMENT_MOVES,
    perms=REPAYMENT_MOVE_PERMS,
    page_url="finance:loan_detail",
    row_kwarg="repayment_pk",
    done_values=lambda repayment: {},
)


# --- Grants and tranches ----------------------------------------------------------------------------------


grant_list = list_view(
    "finance/grant_list.html",
    selectors.grant_list,
    name="grants",
    perm=Perm.VIEW_GRANT,
    add_perm=Perm.ADD_GRANT,
    filters=GrantFilter,  # ?programme= and ?recipient=, the links of the programme and partner pages
)


@workspace_page(perm=Perm.ADD_GRANT)
def grant_create(request):
    form = GrantForm(posted(request), initial=preselected(request, "programme", "recipient"))
    return form_page(
        request,
        form,
        partial(services.grant_create, created_by=request.user),
        done=lambda grant: (
            _("Grant %(reference)s was created.") % {"reference": grant.reference},
            reverse("finance:grant_detail", args=[grant.pk]),
        ),
        template="finance/grant_form.html",
        context={"risk_flags": chosen_partner_flags(form, "recipient")},
    )


@workspace_page(object_page=True, perm=Perm.VIEW_GRANT)
def grant_detail(request, pk):
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


TRANCHE_MOVES = {
    "approve": PageMove(
        gettext_lazy("Approve"),
        service_call(services.tranche_approve, "tranche", "approved_by"),
        gettext_lazy("Tranche %(number)s was approved for payment."),
        anchor="#tranches",
    ),
    "pay": PageMove(
        gettext_lazy("Record payment"),
        service_call(services.tranche_pay, "tranche", "paid_by"),
        gettext_lazy("Tranche %(number)s was recorded as paid."),
        TranchePayForm,
        anchor="#tranches",
    ),
    "cancel": PageMove(
        gettext_lazy("Cancel tranche"),
        service_call(services.tranche_cancel, "tranche", "cancelled_by"),
        gettext_lazy("Tranche %(number)s was cancelled."),
        anchor="#tranches",
    ),
}

tranche_move = row_move_view(
    get=selectors.grant_get,
    rows=lambda grant, user: grant.tranches.all(),
    moves=TRANCHE_MOVES,
    perms=TRANCHE_MOVE_PERMS,
    page_url="finance:grant_detail",
    row_kwarg="tranche_pk",
    done_values=lambda tranche: {"number": tranche.number},
)
