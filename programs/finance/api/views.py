"""Loans, repayments, grants and tranches over the API.

Records come from the finance selectors, found before any permission is checked, so a partner user reaches only
their organisation's loans and grants (anything else is 404, whatever they ask of it); every write and every
status change is one finance service call, whose refusals answer 400 with their code next to the field they are
about, and every write answers with the record read back through the selector.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from cooperation.api.viewsets import CreateByService, RecordViewSet, UpdateByService, move_action
from cooperation.roles import Perm
from programs.finance import selectors, services
from programs.finance.api.filters import GrantFilter, LoanFilter, RepaymentFilter, TrancheFilter
from programs.finance.api.serializers import (
    DisburseSerializer,
    GrantSerializer,
    GrantWriteSerializer,
    LoanDetailSerializer,
    LoanSerializer,
    LoanWriteSerializer,
    ReasonSerializer,
    RepaymentDetailSerializer,
    RepaymentSerializer,
    RepaymentWriteSerializer,
    TranchePaySerializer,
    TrancheSerializer,
)
from programs.finance.models import Grant, Loan, Repayment, Tranche

# --- Loans ------------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("List loans"), description=_("Amounts are decimal strings in the loan's currency.")),
    retrieve=extend_schema(summary=_("Show a loan with its repayment schedule")),
    create=extend_schema(summary=_("Draft a loan"), request=LoanWriteSerializer, responses={201: LoanDetailSerializer}),
    update=extend_schema(
        summary=_("Replace a draft loan's terms"), request=LoanWriteSerializer, responses={200: LoanDetailSerializer}
    ),
    partial_update=extend_schema(
        summary=_("Change some terms of a draft loan"),
        request=LoanWriteSerializer,
        responses={200: LoanDetailSerializer},
    ),
)
@extend_schema(tags=["loans"])
class LoanViewSet(CreateByService, UpdateByService, RecordViewSet):
    # No delete: a loan ends as rejected, cancelled, repaid or written off and keeps its history.
    model = Loan
    selectors = (selectors.loan_list, selectors.loan_get)
    ordering = ("-created_at", "-pk")
    record_keyword = "loan"
    create_service = (services.loan_create, "created_by")
    update_service = (services.loan_update, "updated_by")
    serializer_class = LoanSerializer
    write_serializer_classes = {"POST": LoanWriteSerializer, "PUT": LoanWriteSerializer, "PATCH": LoanWriteSerializer}
    filterset_class = LoanFilter

    def get_serializer_class(self):
        if self.action == "retrieve":
            return LoanDetailSerializer
        return super().get_serializer_class()

    def get_output_serializer(self, loan, **kwargs):
        # The schedule with today's arrears; each installment knows the loan's currency without a query per row.
        schedule = list(selectors.loan_schedule(loan=loan))
        for installment in schedule:
            installment.loan = loan
        return LoanDetailSerializer(loan, context={**self.get_serializer_context(), "schedule": schedule}, **kwargs)

    submit = move_action(
        services.loan_submit,
        actor="submitted_by",
        permission=Perm.CHANGE_LOAN,
        output=LoanDetailSerializer,
        summary=_("Submit a draft loan for approval"),
    )
    approve = move_action(
        services.loan_approve,
        actor="approved_by",
        permission=Perm.APPROVE_LOAN,
        output=LoanDetailSerializer,
        summary=_("Approve a submitted loan"),
        description=_("By a manager who did not create it. The repayment schedule is generated now."),
    )
    reject = move_action(
        services.loan_reject,
        actor="rejected_by",
        permission=Perm.APPROVE_LOAN,
        input=ReasonSerializer,
        output=LoanDetailSerializer,
        summary=_("Reject a submitted loan"),
    )
    disburse = move_action(
        services.loan_disburse,
        actor="disbursed_by",
        permission=Perm.CHANGE_LOAN,
        input=DisburseSerializer,
        output=LoanDetailSerializer,
        summary=_("Record that an approved loan was disbursed"),
    )
    cancel = move_action(
        services.loan_cancel,
        actor="cancelled_by",
        permission=Perm.CHANGE_LOAN,
        input=ReasonSerializer,
        output=LoanDetailSerializer,
        summary=_("Cancel a loan before it is disbursed"),
    )
    write_off = move_action(
        services.loan_write_off,
        actor="written_off_by",
        permission=Perm.APPROVE_LOAN,
        input=ReasonSerializer,
        output=LoanDetailSerializer,
        summary=_("Write off an active loan"),
    )


# --- Repayments -------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("List repayments")),
    retrieve=extend_schema(summary=_("Show a repayment and how it was allocated")),
    create=extend_schema(
        summary=_("Record or notify a repayment"),
        description=_(
            "A finance officer records money received: it is confirmed and allocated to the schedule at once, "
            "oldest installment first, interest before principal. A partner user notifies a payment of their "
            "organisation: it waits as pending until an officer confirms it."
        ),
        request=RepaymentWriteSerializer,
        responses={201: RepaymentDetailSerializer},
    ),
)
@extend_schema(tags=["repayments"])
class RepaymentViewSet(CreateByService, RecordViewSet):
    # No delete: a wrong repayment is reversed with a reason and stays on record.
    model = Repayment
    selectors = (selectors.repayment_list, selectors.repayment_get)
    record_keyword = "repayment"
    serializer_class = RepaymentSerializer
    write_serializer_classes = {"POST": RepaymentWriteSerializer}
    filterset_class = RepaymentFilter

    def get_serializer_class(self):
        if self.action == "retrieve":
            return RepaymentDetailSerializer
        return super().get_serializer_class()

    def get_output_serializer(self, *args, **kwargs):
        return RepaymentDetailSerializer(*args, context=self.get_serializer_context(), **kwargs)

    def create_record(self, data):
        user, loan = self.request.user, data.pop("loan")
        if user.has_perm(Perm.RECORD_REPAYMENT):
            return services.repayment_record(loan=loan, recorded_by=user, **data)
        return services.repayment_notify(loan=loan, notified_by=user, **data)

    confirm = move_action(
        services.repayment_confirm,
        actor="confirmed_by",
        permission=Perm.RECORD_REPAYMENT,
        output=RepaymentDetailSerializer,
        summary=_("Confirm a notified payment"),
        description=_("The money arrived: the payment is allocated to the schedule."),
    )
    reject = move_action(
        services.repayment_reject,
        actor="rejected_by",
        permission=Perm.RECORD_REPAYMENT,
        input=ReasonSerializer,
        output=RepaymentDetailSerializer,
        summary=_("Reject a notified payment that never arrived"),
    )
    reverse = move_action(
        services.repayment_reverse,
        actor="reversed_by",
        permission=Perm.RECORD_REPAYMENT,
        input=ReasonSerializer,
        output=RepaymentDetailSerializer,
        summary=_("Reverse a confirmed repayment"),
        description=_("It stays on record; the loan's other repayments are allocated again from scratch."),
    )


# --- Grants and tranches ----------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("List grants and transfers with their tranches")),
    retrieve=extend_schema(summary=_("Show a grant with its tranches")),
    create=extend_schema(
        summary=_("Create a grant and its scheduled tranches"),
        request=GrantWriteSerializer,
        responses={201: GrantSerializer},
    ),
)
@extend_schema(tags=["grants"])
class GrantViewSet(CreateByService, RecordViewSet):
    model = Grant
    selectors = (selectors.grant_list, selectors.grant_get)
    ordering = ("-created_at", "-pk")
    create_service = (services.grant_create, "created_by")
    serializer_class = GrantSerializer
    write_serializer_classes = {"POST": GrantWriteSerializer}
    filterset_class = GrantFilter

    def list_queryset(self):
        return (
            super().list_queryset().prefetch_related(Prefetch("tranches", queryset=Tranche.objects.order_by("number")))
        )


@extend_schema_view(
    list=extend_schema(summary=_("List grant tranches")),
    retrieve=extend_schema(summary=_("Show a grant tranche")),
)
@extend_schema(tags=["grants"])
class TrancheViewSet(RecordViewSet):
    """Tranches are created with their grant; each then moves scheduled → approved → paid (or cancelled)."""

    model = Tranche
    selectors = (selectors.tranche_list, selectors.tranche_get)
    ordering = ("grant_id", "number")
    record_keyword = "tranche"
    serializer_class = TrancheSerializer
    filterset_class = TrancheFilter

    approve = move_action(
        services.tranche_approve,
        actor="approved_by",
        permission=Perm.APPROVE_TRANCHE,
        output=TrancheSerializer,
        summary=_("Approve a scheduled tranche for payment"),
        description=_("By a manager who did not create the grant."),
    )
    pay = move_action(
        services.tranche_pay,
        actor="paid_by",
        permission=Perm.CHANGE_TRANCHE,
        input=TranchePaySerializer,
        output=TrancheSerializer,
        summary=_("Pay an approved tranche"),
    )
    cancel = move_action(
        services.tranche_cancel,
        actor="cancelled_by",
        permission=Perm.CHANGE_TRANCHE,
        output=TrancheSerializer,
        summary=_("Cancel a tranche not yet paid"),
    )
