"""Restructuring an active loan: the officer's proposal with its before and after, and the manager's decision."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.forms import add_service_error
from cooperation.pages import PageMove, posted, record_actions, record_views, service_call, workspace_page
from cooperation.roles import Perm
from programs.finance import selectors
from programs.finance.forms import ReasonForm, RestructuringForm
from programs.finance.models import Loan
from programs.finance.services import restructurings as services

RESTRUCTURING_PAGE_MOVES = {
    "approve": PageMove(
        gettext_lazy("Approve and apply"),
        service_call(services.restructuring_approve, "restructuring", "approved_by"),
        gettext_lazy("The restructuring of loan %(reference)s was approved; the new schedule applies."),
    ),
    "reject": PageMove(
        gettext_lazy("Reject"),
        service_call(services.restructuring_reject, "restructuring", "rejected_by"),
        gettext_lazy("The restructuring of loan %(reference)s was rejected."),
        form_class=ReasonForm,
        danger=True,
    ),
    "reverse": PageMove(
        gettext_lazy("Reverse"),
        service_call(services.restructuring_reverse, "restructuring", "reversed_by"),
        gettext_lazy("The restructuring of loan %(reference)s was reversed; the old schedule applies again."),
        form_class=ReasonForm,
        danger=True,
    ),
}


def _initial(loan: Loan, today) -> dict:
    """The form's starting values: the loan's rate, as many installments as are still owed, from the next one."""
    unpaid = [item for item in loan.schedule.order_by("number") if not item.is_paid]
    upcoming = [item.due_date for item in unpaid if item.due_date > today]
    return {
        "annual_rate": loan.annual_rate,
        "installments": max(len(unpaid), 1),
        "grace_periods": 0,
        "first_due_date": upcoming[0] if upcoming else None,
        "arrears": services.restructuring.ArrearsTreatment.CAPITALISE,
    }


@workspace_page(object_page=True, perm=Perm.CHANGE_LOAN)
def loan_restructure(request, pk):
    """Propose new terms for an active loan; "Preview" shows the before and after without saving."""
    loan = selectors.loan_get(user=request.user, pk=pk)
    refusal = services.propose_refusal(loan, request.user)
    if refusal is not None:
        messages.error(request, refusal.message)
        return redirect("finance:loan_detail", pk=loan.pk)
    today = timezone.localdate()
    form = RestructuringForm(posted(request), initial=_initial(loan, today))
    preview = None
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        reason = values.pop("reason")
        try:
            if "preview" in request.POST:
                old, plan = services.check_terms(loan, values, as_of=today)
                before, after = services.comparison(loan, old, plan)
                preview = selectors.Comparison(today, before, after, plan)
            else:
                record = services.restructuring_propose(loan=loan, proposed_by=request.user, reason=reason, **values)
                messages.success(
                    request,
                    _("The restructuring of loan %(reference)s was proposed; a manager decides on it.")
                    % {"reference": loan.reference},
                )
                return redirect("finance:restructuring_detail", pk=record.pk)
        except ValidationError as error:
            add_service_error(form, error)
    return render(
        request, "finance/restructuring_form.html", {"loan": loan, "form": form, "comparison": preview, "today": today}
    )


def _restructuring_page(request, record, refused=None):
    today = timezone.localdate()
    try:
        found, problems = selectors.restructuring_comparison(record, today=today), []
    except ValidationError as error:
        found, problems = None, error.messages
    actions = record_actions(
        record,
        request.user,
        RESTRUCTURING_PAGE_MOVES,
        guard=services.restructuring_move_refusal,
        url_name="finance:restructuring_{name}",
        refused=refused,
    )
    return render(
        request,
        "finance/restructuring_detail.html",
        {
            "record": record,
            "loan": record.loan,
            "comparison": found,
            "problems": problems,
            "actions": actions,
            "history": selectors.restructuring_history(user=request.user, record=record)
            if request.user.has_perm(Perm.VIEW_HISTORY)
            else None,
        },
    )


restructuring_detail, restructuring_move = record_views(
    perm=Perm.VIEW_LOAN,
    get=selectors.restructuring_get,
    moves=RESTRUCTURING_PAGE_MOVES,
    perms=services.RESTRUCTURING_MOVE_PERMS,
    show_page=_restructuring_page,
    page_url="finance:restructuring_detail",
    done_values=lambda record: {"reference": record.loan.reference},
)
