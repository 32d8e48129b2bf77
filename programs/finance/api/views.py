"""Loans, repayments, grants and tranches over the API.

Records come from the finance selectors, found before any permission is checked, so a partner user reaches only
their organisation's loans and grants (anything else is 404, whatever they ask of it); every write and every
status change is one finance service call, whose refusals answer 400 with their code next to the field they are
about, and every write answers with the record read back through the selector.
"""

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from django_filters.utils import translate_validation
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response

from cooperation.api.permissions import perm_required
from cooperation.api.viewsets import CreateByService, RecordViewSet, UpdateByService, documented, writes
from cooperation.roles import Perm
from programs.finance import selectors, services
from programs.finance.api.ageing import AgeingSerializer
from programs.finance.api.filters import GrantFilter, LoanFilter, PortfolioFilter, RepaymentFilter, TrancheFilter
from programs.finance.api.serializers import (
    DisburseSerializer,
    GrantSerializer,
    GrantWriteSerializer,
    LoanCreateSerializer,
    LoanDetailSerializer,
    LoanSerializer,
    LoanWriteSerializer,
    MoratoriumSerializer,
    MoratoriumWriteSerializer,
    PortfolioSerializer,
    ReasonSerializer,
    RepaymentDetailSerializer,
    RepaymentSerializer,
    RepaymentWriteSerializer,
    RestructuringSerializer,
    RestructuringWriteSerializer,
    TranchePaySerializer,
    TrancheSerializer,
)
from programs.finance.models import Grant, Loan, LoanRestructuring, Moratorium, Repayment, Tranche
from programs.finance.services import moratoria, restructurings
from programs.finance.services.guards import LOAN_MOVE_PERMS, REPAYMENT_MOVE_PERMS, TRANCHE_MOVE_PERMS

# --- Loans ------------------------------------------------------------------------------------------------


def _portfolio_figures(name: str, serializer):
    """A read of the loans' figures at ``loans/<name>/``: whoever may view loans, the portfolio's filters, no pages."""
    return action(
        detail=False,
        methods=["get"],
        url_path=name,
        url_name=name,
        permission_classes=[perm_required(Perm.VIEW_LOAN)],
        filter_backends=[DjangoFilterBackend],
        filterset_class=PortfolioFilter,
        pagination_class=None,
        serializer_class=serializer,
    )


@documented(
    tag="loans",
    list=(_("List loans"), _("Amounts are decimal strings in the loan's currency.")),
    retrieve=_("Show a loan with its repayment schedule"),
    create=_("Draft a loan"),
    update=_("Replace a draft loan's terms"),
    partial_update=_("Change some terms of a draft loan"),
    moves={
        "submit": _("Submit a draft loan for approval"),
        "approve": (
            _("Approve a submitted loan"),
            _("By a manager who did not create it. The repayment schedule is generated now."),
        ),
        "reject": _("Reject a submitted loan"),
        "disburse": _("Record that an approved loan was disbursed"),
        "cancel": _("Cancel a loan before it is disbursed"),
        "write_off": _("Write off an active loan"),
    },
)
class LoanViewSet(CreateByService, UpdateByService, RecordViewSet):
    # No delete: a loan ends as rejected, cancelled, repaid or written off and keeps its history.
    model = Loan
    selectors = (selectors.loan_list, selectors.loan_get)
    ordering = ("-created_at", "-pk")
    detail_serializer_class = LoanDetailSerializer
    move_perms = LOAN_MOVE_PERMS
    create_service = (services.loan_create, "created_by")
    update_service = (services.loan_update, "updated_by")
    serializer_class = LoanSerializer
    write_serializer_classes = writes(create=LoanCreateSerializer, update=LoanWriteSerializer)
    filterset_class = LoanFilter
    moves = {
        "submit": (services.loan_submit, "submitted_by", None),
        "approve": (services.loan_approve, "approved_by", None),
        "reject": (services.loan_reject, "rejected_by", ReasonSerializer),
        "disburse": (services.loan_disburse, "disbursed_by", DisburseSerializer),
        "cancel": (services.loan_cancel, "cancelled_by", ReasonSerializer),
        "write_off": (services.loan_write_off, "written_off_by", ReasonSerializer),
    }

    def get_output_serializer(self, loan, **kwargs):
        # The schedule with today's arrears; each installment knows the loan's currency without a query per row.
        schedule = list(selectors.loan_schedule(loan=loan))
        for installment in schedule:
            installment.loan = loan
        return LoanDetailSerializer(loan, context={**self.get_serializer_context(), "schedule": schedule}, **kwargs)

    @extend_schema(
        tags=["loans"],
        summary=_("The loan portfolio per currency"),
        description=_(
            "Of the loans you may see (a partner user: those their organisation borrows), per currency and never "
            "added across currencies: principal committed, disbursed, outstanding and in arrears, and the portfolio "
            "at risk over 30 and 90 days (the whole outstanding principal of each active loan with an installment "
            "that many days late), as an amount and in percent of the outstanding principal."
        ),
        responses={200: PortfolioSerializer},
        filters=True,
    )
    @_portfolio_figures("portfolio", PortfolioSerializer)
    def portfolio(self, request, *args, **kwargs):
        today = timezone.localdate()
        loans = self.filter_queryset(Loan.objects.all())
        currencies = selectors.loan_portfolio(user=request.user, loans=loans, today=today)
        return Response(PortfolioSerializer({"as_of": today, "currencies": currencies}).data)

    @extend_schema(
        tags=["loans"],
        summary=_("Arrears ageing per currency"),
        description=_(
            "Of the active loans you may see (a partner user: those their organisation borrows) that are in "
            "arrears today, per currency and never added across currencies: how many loans and how much "
            "outstanding principal are 1–30, 31–60, 61–90, 91–180 and over 180 days past due, counted from the due "
            "date of each loan's oldest unpaid installment."
        ),
        responses={200: AgeingSerializer},
        filters=True,
    )
    @_portfolio_figures("ageing", AgeingSerializer)
    def ageing(self, request, *args, **kwargs):
        today = timezone.localdate()
        filters = PortfolioFilter(request.query_params, queryset=Loan.objects.none(), request=request)
        if not filters.is_valid():
            raise translate_validation(filters.errors)
        programme, currency = filters.form.cleaned_data.get("programme"), filters.form.cleaned_data.get("currency")
        currencies = selectors.arrears_ageing(
            user=request.user,
            today=today,
            programmes=None if programme is None else [programme],
            currency=None if currency is None else currency.code,
        )
        return Response(AgeingSerializer({"as_of": today, "currencies": currencies}).data)


# --- Repayments -------------------------------------------------------------------------------------------


@documented(
    tag="repayments",
    list=_("List repayments"),
    retrieve=_("Show a repayment and how it was allocated"),
    create=(
        _("Record or notify a repayment"),
        _(
            "A finance officer records money received: it is confirmed and allocated to the schedule at once, "
            "oldest installment first, interest before principal. A partner user notifies a payment of their "
            "organisation: it waits as pending until an officer confirms it."
        ),
    ),
    moves={
        "confirm": (_("Confirm a notified payment"), _("The money arrived: the payment is allocated to the schedule.")),
        "reject": _("Reject a notified payment that never arrived"),
        "reverse": (
            _("Reverse a confirmed repayment"),
            _("It stays on record; the loan's other repayments are allocated again from scratch."),
        ),
    },
)
class RepaymentViewSet(CreateByService, RecordViewSet):
    # No delete: a wrong repayment is reversed with a reason and stays on record.
    model = Repayment
    selectors = (selectors.repayment_list, selectors.repayment_get)
    detail_serializer_class = RepaymentDetailSerializer
    move_perms = REPAYMENT_MOVE_PERMS
    serializer_class = RepaymentSerializer
    write_serializer_classes = writes(create=RepaymentWriteSerializer)
    filterset_class = RepaymentFilter
    moves = {
        "confirm": (services.repayment_confirm, "confirmed_by", None),
        "reject": (services.repayment_reject, "rejected_by", ReasonSerializer),
        "reverse": (services.repayment_reverse, "reversed_by", ReasonSerializer),
    }

    def create_record(self, data):
        user, loan = self.request.user, data.pop("loan")
        if user.has_perm(Perm.RECORD_REPAYMENT):
            return services.repayment_record(loan=loan, recorded_by=user, **data)
        return services.repayment_notify(loan=loan, notified_by=user, **data)


# --- Restructurings --------------------------------------------------------------------------------------


class OnLoans(BasePermission):
    """Reads need the permission to view loans, a proposal the permission to change them; the selector then finds
    only the records of loans the user may see."""

    def has_permission(self, request, view):
        if request.method not in view.allowed_methods:
            raise MethodNotAllowed(request.method)
        perm = Perm.VIEW_LOAN if request.method in SAFE_METHODS else Perm.CHANGE_LOAN
        user = request.user
        return bool(user and user.is_authenticated and user.is_active and user.has_perm(perm))


@documented(
    tag="loans",
    list=_("List loan restructurings"),
    retrieve=_("Show a loan restructuring"),
    create=(
        _("Propose a restructuring of an active loan"),
        _(
            "New terms: rate, remaining installments, interest-only installments, first due date, and whether "
            "overdue interest is capitalised or waived. Nothing changes until a manager approves it."
        ),
    ),
    moves={
        "approve": (
            _("Approve a proposed restructuring"),
            _(
                "By a manager who did not propose it. Installments something was paid on stay, reduced to what "
                "was paid; the others are replaced by the new schedule."
            ),
        ),
        "reject": _("Reject a proposed restructuring"),
        "reverse": (
            _("Reverse an approved restructuring"),
            _("The old schedule comes back, when no repayment has been allocated to the new installments."),
        ),
    },
)
class RestructuringViewSet(CreateByService, RecordViewSet):
    # A restructuring is part of its loan: whoever may view the loan reads it; an officer proposes it.
    permission_classes = [OnLoans]
    model = LoanRestructuring
    record_keyword = "restructuring"
    selectors = (selectors.restructuring_list, selectors.restructuring_get)
    ordering = ("-proposed_at", "-pk")
    move_perms = restructurings.RESTRUCTURING_MOVE_PERMS
    create_service = (restructurings.restructuring_propose, "proposed_by")
    serializer_class = RestructuringSerializer
    write_serializer_classes = writes(create=RestructuringWriteSerializer)
    moves = {
        "approve": (restructurings.restructuring_approve, "approved_by", None),
        "reject": (restructurings.restructuring_reject, "rejected_by", ReasonSerializer),
        "reverse": (restructurings.restructuring_reverse, "reversed_by", ReasonSerializer),
    }


@documented(
    tag="loans",
    list=_("List crisis moratoria"),
    retrieve=_("Show a crisis moratorium"),
    create=(
        _("Propose a crisis moratorium"),
        _(
            "No payments for some months on every active loan to recipients in one country and administrative "
            "area, the interest of those months capitalised or waived. Nothing changes until a manager approves it."
        ),
    ),
    moves={
        "approve": (
            _("Approve a crisis moratorium"),
            _("By a manager who did not propose it: every affected loan is restructured at once, or none is."),
        ),
        "reject": _("Reject a crisis moratorium"),
    },
)
class MoratoriumViewSet(CreateByService, RecordViewSet):
    # Moratoria cover many borrowers: staff who see every loan read them (partner users get none); an officer
    # proposes one, a manager decides.
    permission_classes = [OnLoans]
    model = Moratorium
    record_keyword = "moratorium"
    selectors = (selectors.moratorium_list, selectors.moratorium_get)
    ordering = ("-proposed_at", "-pk")
    list_prefetch = ("restructurings",)
    move_perms = moratoria.MORATORIUM_MOVE_PERMS
    create_service = (moratoria.moratorium_propose, "proposed_by")
    serializer_class = MoratoriumSerializer
    write_serializer_classes = writes(create=MoratoriumWriteSerializer)
    moves = {
        "approve": (moratoria.moratorium_approve, "approved_by", None),
        "reject": (moratoria.moratorium_reject, "rejected_by", ReasonSerializer),
    }


# --- Grants and tranches ----------------------------------------------------------------------------------


@documented(
    tag="grants",
    list=_("List grants and transfers with their tranches"),
    retrieve=_("Show a grant with its tranches"),
    create=_("Create a grant and its scheduled tranches"),
)
class GrantViewSet(CreateByService, RecordViewSet):
    model = Grant
    selectors = (selectors.grant_list, selectors.grant_get)
    ordering = ("-created_at", "-pk")
    list_prefetch = (Prefetch("tranches", queryset=Tranche.objects.order_by("number")),)
    create_service = (services.grant_create, "created_by")
    serializer_class = GrantSerializer
    write_serializer_classes = writes(create=GrantWriteSerializer)
    filterset_class = GrantFilter


@documented(
    tag="grants",
    list=_("List grant tranches"),
    retrieve=_("Show a grant tranche"),
    moves={
        "approve": (_("Approve a scheduled tranche for payment"), _("By a manager who did not create the grant.")),
        "pay": _("Pay an approved tranche"),
        "cancel": _("Cancel a tranche not yet paid"),
    },
)
class TrancheViewSet(RecordViewSet):
    """Tranches are created with their grant; each then moves scheduled → approved → paid (or cancelled)."""

    model = Tranche
    selectors = (selectors.tranche_list, selectors.tranche_get)
    ordering = ("grant_id", "number")
    move_perms = TRANCHE_MOVE_PERMS
    serializer_class = TrancheSerializer
    filterset_class = TrancheFilter
    moves = {
        "approve": (services.tranche_approve, "approved_by", None),
        "pay": (services.tranche_pay, "paid_by", TranchePaySerializer),
        "cancel": (services.tranche_cancel, "cancelled_by", None),
    }
