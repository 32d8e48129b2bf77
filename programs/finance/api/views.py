"""Loans, repayments, grants and tranches over the API.

Records come from the finance selectors, found before any permission is checked, so a partner user reaches only
their organisation's loans and grants (anything else is 404, whatever they ask of it); every write and every
status change is one finance service call, whose refusals answer 400 with their code next to the field they are
about, and every write answers with the record read back through the selector.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import perm_on_visible_record
from cooperation.api.viewsets import RecordViewSet, record_action, validated_input
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


def _transition(*, perm: Perm, url_path=None, **documented):
    return record_action(permission=perm_on_visible_record(perm), name=url_path, **documented)


class _FinanceViewSet(RecordViewSet):
    """One answer for every move: find the record, check the body, call one service, read the record back."""

    def run_move(self, call, body=None) -> Response:
        record = self.get_object()
        data = validated_input(self, body) if body is not None else {}
        with service_errors():
            call(record, self.request.user, **data)
        return self.detail_response(record)

    def create_with(self, call) -> Response:
        serializer = self.get_serializer(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            record = call(self.request.user, dict(serializer.validated_data))
        return self.detail_response(record, status.HTTP_201_CREATED)


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
class LoanViewSet(_FinanceViewSet):
    # No delete: a loan ends as rejected, cancelled, repaid or written off and keeps its history.
    model = Loan
    selectors = (selectors.loan_list, selectors.loan_get)
    ordering = ("-created_at", "-pk")
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

    def create(self, request, *args, **kwargs):
        return self.create_with(lambda user, data: services.loan_create(created_by=user, **data))

    def update(self, request, *args, **kwargs):
        loan = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.loan_update(loan=loan, updated_by=request.user, **serializer.validated_data)
        return self.detail_response(loan)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @_transition(perm=Perm.CHANGE_LOAN, output=LoanDetailSerializer, summary=_("Submit a draft loan for approval"))
    def submit(self, request, *args, **kwargs):
        return self.run_move(lambda loan, user: services.loan_submit(loan=loan, submitted_by=user))

    @_transition(
        perm=Perm.APPROVE_LOAN,
        output=LoanDetailSerializer,
        summary=_("Approve a submitted loan"),
        description=_("By a manager who did not create it. The repayment schedule is generated now."),
    )
    def approve(self, request, *args, **kwargs):
        return self.run_move(lambda loan, user: services.loan_approve(loan=loan, approved_by=user))

    @_transition(
        perm=Perm.APPROVE_LOAN, output=LoanDetailSerializer, body=ReasonSerializer, summary=_("Reject a submitted loan")
    )
    def reject(self, request, *args, **kwargs):
        return self.run_move(
            lambda loan, user, **data: services.loan_reject(loan=loan, rejected_by=user, **data), ReasonSerializer
        )

    @_transition(
        perm=Perm.CHANGE_LOAN,
        output=LoanDetailSerializer,
        body=DisburseSerializer,
        summary=_("Record that an approved loan was disbursed"),
    )
    def disburse(self, request, *args, **kwargs):
        return self.run_move(
            lambda loan, user, **data: services.loan_disburse(loan=loan, disbursed_by=user, **data), DisburseSerializer
        )

    @_transition(
        perm=Perm.CHANGE_LOAN,
        output=LoanDetailSerializer,
        body=ReasonSerializer,
        summary=_("Cancel a loan before it is disbursed"),
    )
    def cancel(self, request, *args, **kwargs):
        return self.run_move(
            lambda loan, user, **data: services.loan_cancel(loan=loan, cancelled_by=user, **data), ReasonSerializer
        )

    @_transition(
        perm=Perm.APPROVE_LOAN,
        output=LoanDetailSerializer,
        body=ReasonSerializer,
        summary=_("Write off an active loan"),
        url_path="write-off",
    )
    def write_off(self, request, *args, **kwargs):
        return self.run_move(
            lambda loan, user, **data: services.loan_write_off(loan=loan, written_off_by=user, **data), ReasonSerializer
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
class RepaymentViewSet(_FinanceViewSet):
    # No delete: a wrong repayment is reversed with a reason and stays on record.
    model = Repayment
    selectors = (selectors.repayment_list, selectors.repayment_get)
    serializer_class = RepaymentSerializer
    write_serializer_classes = {"POST": RepaymentWriteSerializer}
    filterset_class = RepaymentFilter

    def get_serializer_class(self):
        if self.action == "retrieve":
            return RepaymentDetailSerializer
        return super().get_serializer_class()

    def get_output_serializer(self, *args, **kwargs):
        return RepaymentDetailSerializer(*args, context=self.get_serializer_context(), **kwargs)

    def create(self, request, *args, **kwargs):
        def record_or_notify(user, data):
            loan = data.pop("loan")
            if user.has_perm(Perm.RECORD_REPAYMENT):
                return services.repayment_record(loan=loan, recorded_by=user, **data)
            return services.repayment_notify(loan=loan, notified_by=user, **data)

        return self.create_with(record_or_notify)

    @_transition(
        perm=Perm.RECORD_REPAYMENT,
        output=RepaymentDetailSerializer,
        summary=_("Confirm a notified payment"),
        description=_("The money arrived: the payment is allocated to the schedule."),
    )
    def confirm(self, request, *args, **kwargs):
        return self.run_move(lambda repayment, user: services.repayment_confirm(repayment=repayment, confirmed_by=user))

    @_transition(
        perm=Perm.RECORD_REPAYMENT,
        output=RepaymentDetailSerializer,
        body=ReasonSerializer,
        summary=_("Reject a notified payment that never arrived"),
    )
    def reject(self, request, *args, **kwargs):
        return self.run_move(
            lambda repayment, user, **data: services.repayment_reject(repayment=repayment, rejected_by=user, **data),
            ReasonSerializer,
        )

    @_transition(
        perm=Perm.RECORD_REPAYMENT,
        output=RepaymentDetailSerializer,
        body=ReasonSerializer,
        summary=_("Reverse a confirmed repayment"),
        description=_("It stays on record; the loan's other repayments are allocated again from scratch."),
    )
    def reverse(self, request, *args, **kwargs):
        return self.run_move(
            lambda repayment, user, **data: services.repayment_reverse(repayment=repayment, reversed_by=user, **data),
            ReasonSerializer,
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
class GrantViewSet(_FinanceViewSet):
    model = Grant
    selectors = (selectors.grant_list, selectors.grant_get)
    ordering = ("-created_at", "-pk")
    serializer_class = GrantSerializer
    write_serializer_classes = {"POST": GrantWriteSerializer}
    filterset_class = GrantFilter

    def list_queryset(self):
        return (
            super().list_queryset().prefetch_related(Prefetch("tranches", queryset=Tranche.objects.order_by("number")))
        )

    def create(self, request, *args, **kwargs):
        return self.create_with(lambda user, data: services.grant_create(created_by=user, **data))


@extend_schema_view(
    list=extend_schema(summary=_("List grant tranches")),
    retrieve=extend_schema(summary=_("Show a grant tranche")),
)
@extend_schema(tags=["grants"])
class TrancheViewSet(_FinanceViewSet):
    """Tranches are created with their grant; each then moves scheduled → approved → paid (or cancelled)."""

    model = Tranche
    selectors = (selectors.tranche_list, selectors.tranche_get)
    ordering = ("grant_id", "number")
    serializer_class = TrancheSerializer
    filterset_class = TrancheFilter

    @_transition(
        perm=Perm.APPROVE_TRANCHE,
        output=TrancheSerializer,
        summary=_("Approve a scheduled tranche for payment"),
        description=_("By a manager who did not create the grant."),
    )
    def approve(self, request, *args, **kwargs):
        return self.run_move(lambda tranche, user: services.tranche_approve(tranche=tranche, approved_by=user))

    @_transition(
        perm=Perm.CHANGE_TRANCHE,
        output=TrancheSerializer,
        body=TranchePaySerializer,
        summary=_("Pay an approved tranche"),
    )
    def pay(self, request, *args, **kwargs):
        return self.run_move(
            lambda tranche, user, **data: services.tranche_pay(tranche=tranche, paid_by=user, **data),
            TranchePaySerializer,
        )

    @_transition(perm=Perm.CHANGE_TRANCHE, output=TrancheSerializer, summary=_("Cancel a tranche not yet paid"))
    def cancel(self, request, *args, **kwargs):
        return self.run_move(lambda tranche, user: services.tranche_cancel(tranche=tranche, cancelled_by=user))
