"""The loan list and a loan's page with its moves: each move is a POST to its own URL that asks the loan's guard
and calls one finance service; a refusal shows the page again with the reason."""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy

from cooperation.kept import render_kept, render_refreshed
from cooperation.pages import (
    Column,
    PageMove,
    list_view,
    record_actions,
    record_views,
    service_call,
)
from cooperation.risk import partner_risk_flags
from cooperation.roles import Perm
from programs.finance import selectors, services
from programs.finance.filters import LoanListFilter
from programs.finance.forms import DisburseForm, ReasonForm
from programs.finance.models import Allocation, Loan, LoanStatus
from programs.finance.services.guards import LOAN_MOVE_PERMS
from programs.finance.services.restructurings import propose_refusal
from programs.finance.views.drafting import ScheduleTable, loan_schedule_table

LOAN_COLUMNS = [
    Column(gettext_lazy("Reference"), "reference"),
    Column(gettext_lazy("Borrower"), "borrower"),
    Column(gettext_lazy("Programme"), "programme"),
    Column(gettext_lazy("Principal"), "principal", numeric=True),
    Column(gettext_lazy("Outstanding principal"), "outstanding", numeric=True),
    Column(gettext_lazy("Overdue"), "overdue", numeric=True),
    Column(gettext_lazy("Grant element"), numeric=True),
    Column(gettext_lazy("Status"), "status"),
]

# Filters shown without opening "More filters"; the rest stay folded so a phone reaches the table.
MAIN_FILTERS = ("q", "status", "overdue")

LOAN_PAGE_MOVES = {
    "submit": PageMove(
        gettext_lazy("Submit for approval"),
        service_call(services.loan_submit, "loan", "submitted_by"),
        gettext_lazy("Loan %(reference)s was submitted for approval."),
    ),
    "approve": PageMove(
        gettext_lazy("Approve"),
        service_call(services.loan_approve, "loan", "approved_by"),
        gettext_lazy("Loan %(reference)s was approved; its repayment schedule is fixed."),
    ),
    "reject": PageMove(
        gettext_lazy("Reject"),
        service_call(services.loan_reject, "loan", "rejected_by"),
        gettext_lazy("Loan %(reference)s was rejected."),
        form_class=ReasonForm,
        danger=True,
    ),
    "disburse": PageMove(
        gettext_lazy("Record disbursement"),
        service_call(services.loan_disburse, "loan", "disbursed_by"),
        gettext_lazy("Disbursement of loan %(reference)s was recorded."),
        form_class=DisburseForm,
    ),
    "cancel": PageMove(
        gettext_lazy("Cancel loan"),
        service_call(services.loan_cancel, "loan", "cancelled_by"),
        gettext_lazy("Loan %(reference)s was cancelled."),
        form_class=ReasonForm,
        danger=True,
    ),
    "write_off": PageMove(
        gettext_lazy("Write off"),
        service_call(services.loan_write_off, "loan", "written_off_by"),
        gettext_lazy("Loan %(reference)s was written off."),
        form_class=ReasonForm,
        danger=True,
    ),
}


loan_list = list_view(
    "finance/loan_list.html",
    selectors.loan_list,
    name="loans",
    perm=Perm.VIEW_LOAN,
    add_perm=Perm.ADD_LOAN,
    filters=LoanListFilter,
    main=MAIN_FILTERS,
    columns=LOAN_COLUMNS,
    prepare=selectors.with_grant_elements,  # computed from each loan's terms: no query per row
)


def _repayments_with_moves(user, loan: Loan, shown: int | None) -> tuple[list, int]:
    """The loan's latest ``shown`` repayments (all of them when None), each with the moves its row offers
    (``repayment.moves``), and how many it has in all."""
    repayments = selectors.repayment_list(user=user, loan=loan)
    count = repayments.count()
    listed = (
        repayments.select_related(None)
        .select_related("currency", "recorded_by")
        .prefetch_related(
            Prefetch(
                "allocations",
                queryset=Allocation.objects.select_related("installment").order_by("installment__number"),
            )
        )
    )
    listed = list(listed if shown is None else listed[:shown])
    for repayment in listed:
        repayment.loan = loan  # the page's own loan: its moves are judged on it without reading it again
        repayment.moves = services.open_moves(
            repayment, user, services.REPAYMENT_MOVES, services.repayment_move_refusal
        )
    return listed, count


# The repayments a loan's page lists at first, the latest first; all of them are a link away (``?repayments=all``).
REPAYMENTS_SHOWN = 12

BEFORE_DISBURSEMENT = {LoanStatus.DRAFT, LoanStatus.SUBMITTED, LoanStatus.APPROVED}


# A loan's page adds up its schedule, repayments, reminders and history: after someone else's change it is shown as
# last computed, saying when, while the worker computes it afresh (registered in ``apps.py``); after its reader's own
# change (a repayment they recorded, a move they made) it is computed while they wait
# (``cooperation.kept.render_refreshed``).
LOAN_PAGE = "finance.loan_detail"


def _loan_body(request, loan: Loan, refused=None) -> dict:
    """What the body of ``loan``'s page shows its reader (``refused``: a move refused, shown with its reason)."""
    user = request.user
    today = timezone.localdate()
    whole = request.GET.get("schedule") == "all"
    summary = selectors.loan_schedule_summary(loan=loan, shown=None if whole else selectors.SCHEDULE_SHOWN)
    shown = selectors.loan_schedule(loan=loan, today=today).filter(number__range=(summary.first, summary.last))
    installments = list(shown) if summary.count else []
    every_repayment = request.GET.get("repayments") == "all"
    repayments, repayment_count = _repayments_with_moves(user, loan, None if every_repayment else REPAYMENTS_SHOWN)
    reminders = None
    if user.has_perm(Perm.VIEW_REMINDER):
        reminders = selectors.loan_reminders_with_emails(user=user, loan=loan)
    planned = loan_schedule_table(loan, installments)
    actions = record_actions(
        loan,
        user,
        LOAN_PAGE_MOVES,
        guard=services.loan_move_refusal,
        url_name="finance:loan_{name}",
        refused=refused,
    )
    return {
        "loan": loan,
        "today": today,
        "installments": installments,
        "planned": planned if isinstance(planned, ScheduleTable) else None,
        "planned_problems": [] if isinstance(planned, ScheduleTable) else planned,
        "totals": summary,
        "schedule_shown": selectors.SCHEDULE_SHOWN,
        "actions": actions,
        "repayments": repayments,
        "repayment_count": repayment_count,
        "can_record": services.payment_refusal(loan, user) is None,
        "can_review_repayments": user.has_perm(Perm.RECORD_REPAYMENT),
        "reminders": reminders,
        "can_resend": user.has_perm(Perm.RESEND_MESSAGE),
        "history": selectors.loan_history(user=user, loan=loan) if user.has_perm(Perm.VIEW_HISTORY) else None,
        "can_edit": services.loan_move_refusal(loan, user, "update") is None,
        # Before the money leaves, whoever approves or disburses sees what is wrong with the borrower now.
        "dac": selectors.loan_dac_test(loan, today=today),
        "restructurings": list(selectors.restructuring_list(user=user, loan=loan)),
        "can_restructure": propose_refusal(loan, user) is None,
        "borrower_risk_flags": partner_risk_flags(loan.borrower) if loan.status in BEFORE_DISBURSEMENT else [],
    }


def loan_page_body(request, pk) -> dict:
    """The body of loan ``pk``'s page, as the reader of ``request`` may see it (404 otherwise)."""
    return _loan_body(request, selectors.loan_get(user=request.user, pk=pk))


def _loan_detail_page(request, loan: Loan, refused=None):
    if request.method == "GET" and refused is None:
        return render_refreshed(request, "finance/loan_detail.html", LOAN_PAGE, context={"loan": loan})
    # A move refused shows the page again with the reason: computed for that request alone, never kept.
    return render_kept(
        request,
        "finance/loan_detail.html",
        "finance/_loan_detail_body.html",
        lambda: _loan_body(request, loan, refused),
        context={"loan": loan},
    )


loan_detail, loan_move = record_views(
    perm=Perm.VIEW_LOAN,
    get=selectors.loan_get,
    moves=LOAN_PAGE_MOVES,
    perms=LOAN_MOVE_PERMS,
    show_page=_loan_detail_page,
    page_url="finance:loan_detail",
    done_values=lambda loan: {"reference": loan.reference},
)
