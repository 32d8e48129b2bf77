"""Loans, repayments, grants and tranches over the API.

Querysets come from the finance selectors, so a partner user reaches only
their organisation's loans and grants (anything else is 404); every write and
every status change is one finance service call, whose refusals answer 400
with the message next to the field it is about.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import perm_required
from cooperation.api.viewsets import WriteSerializersMixin, record_action, validated_input
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
    return record_action(permission=perm_required(perm), name=url_path, **documented)


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
class LoanViewSet(WriteSerializersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    # No delete: a loan ends as rejected, cancelled, repaid or written off and keeps its history.
    serializer_class = LoanSerializer
    write_serializer_classes = {"POST": LoanWriteSerializer, "PUT": LoanWriteSerializer, "PATCH": LoanWriteSerializer}
    filter_backends = [DjangoFilterBackend]
    filterset_class = LoanFilter
    lookup_value_converter = "int"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return LoanDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to scope by
            return Loan.objects.none()
        return selectors.loan_list(user=self.request.user).order_by("-created_at", "-pk")

    def get_object(self):
        loan = selectors.loan_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, loan)
        return loan

    def _detail(self, loan: Loan, *, reload: bool = True, status_code=status.HTTP_200_OK) -> Response:
        # Read back through the selector: the answer shows what is stored, with today's arrears.
        if reload:
            loan = selectors.loan_get(user=self.request.user, pk=loan.pk)
        schedule = list(selectors.loan_schedule(loan=loan))
        for installment in schedule:
            installment.loan = loan  # the currency of every amount, without a query per row
        context = {**self.get_serializer_context(), "schedule": schedule}
        return Response(LoanDetailSerializer(loan, context=context).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return self._detail(self.get_object(), reload=False)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            loan = services.loan_create(created_by=request.user, **serializer.validated_data)
        return self._detail(loan, status_code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        loan = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.loan_update(loan=loan, updated_by=request.user, **serializer.validated_data)
        return self._detail(loan)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @_transition(perm=Perm.CHANGE_LOAN, output=LoanDetailSerializer, summary=_("Submit a draft loan for approval"))
    def submit(self, request, *args, **kwargs):
        loan = self.get_object()
        with service_errors():
            services.loan_submit(loan=loan, submitted_by=request.user)
        return self._detail(loan)

    @_transition(
        perm=Perm.APPROVE_LOAN,
        output=LoanDetailSerializer,
        summary=_("Approve a submitted loan"),
        description=_("By a manager who did not create it. The repayment schedule is generated now."),
    )
    def approve(self, request, *args, **kwargs):
        loan = self.get_object()
        with service_errors():
            services.loan_approve(loan=loan, approved_by=request.user)
        return self._detail(loan)

    @_transition(
        perm=Perm.APPROVE_LOAN, output=LoanDetailSerializer, body=ReasonSerializer, summary=_("Reject a submitted loan")
    )
    def reject(self, request, *args, **kwargs):
        loan = self.get_object()
        data = validated_input(self, ReasonSerializer)
        with service_errors():
            services.loan_reject(loan=loan, rejected_by=request.user, **data)
        return self._detail(loan)

    @_transition(
        perm=Perm.CHANGE_LOAN,
        output=LoanDetailSerializer,
        body=DisburseSerializer,
        summary=_("Record that an approved loan was disbursed"),
    )
    def disburse(self, request, *args, **kwargs):
        loan = self.get_object()
        data = validated_input(self, DisburseSerializer)
        with service_errors():
            services.loan_disburse(loan=loan, disbursed_by=request.user, **data)
        return self._detail(loan)

    @_transition(
        perm=Perm.CHANGE_LOAN,
        output=LoanDetailSerializer,
        body=ReasonSerializer,
        summary=_("Cancel a loan before it is disbursed"),
    )
    def cancel(self, request, *args, **kwargs):
        loan = self.get_object()
        data = validated_input(self, ReasonSerializer)
        with service_errors():
            services.loan_cancel(loan=loan, cancelled_by=request.user, **data)
        return self._detail(loan)

    @_transition(
        perm=Perm.APPROVE_LOAN,
        output=LoanDetailSerializer,
        body=ReasonSerializer,
        summary=_("Write off an active loan"),
        url_path="write-off",
    )
    def write_off(self, request, *args, **kwargs):
        loan = self.get_object()
        data = validated_input(self, ReasonSerializer)
        with service_errors():
            services.loan_write_off(loan=loan, written_off_by=request.user, **data)
        return self._detail(loan)


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
class RepaymentViewSet(
    WriteSerializersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    # No delete: a wrong repayment is reversed with a reason and stays on record.
    serializer_class = RepaymentSerializer
    write_serializer_classes = {"POST": RepaymentWriteSerializer}
    filter_backends = [DjangoFilterBackend]
    filterset_class = RepaymentFilter
    lookup_value_converter = "int"

    def get_serializer_class(self):
        if self.action == "retrieve":
            return RepaymentDetailSerializer
        return super().get_serializer_class()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Repayment.objects.none()
        return selectors.repayment_list(user=self.request.user)

    def get_object(self):
        repayment = selectors.repayment_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, repayment)
        return repayment

    def _detail(self, repayment: Repayment, status_code=status.HTTP_200_OK) -> Response:
        repayment = selectors.repayment_get(user=self.request.user, pk=repayment.pk)
        return Response(
            RepaymentDetailSerializer(repayment, context=self.get_serializer_context()).data, status=status_code
        )

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        loan = data.pop("loan")
        with service_errors():
            if request.user.has_perm(Perm.RECORD_REPAYMENT):
                repayment = services.repayment_record(loan=loan, recorded_by=request.user, **data)
            else:
                repayment = services.repayment_notify(loan=loan, notified_by=request.user, **data)
        return self._detail(repayment, status_code=status.HTTP_201_CREATED)

    @_transition(
        perm=Perm.RECORD_REPAYMENT,
        output=RepaymentDetailSerializer,
        summary=_("Confirm a notified payment"),
        description=_("The money arrived: the payment is allocated to the schedule."),
    )
    def confirm(self, request, *args, **kwargs):
        repayment = self.get_object()
        with service_errors():
            services.repayment_confirm(repayment=repayment, confirmed_by=request.user)
        return self._detail(repayment)

    @_transition(
        perm=Perm.RECORD_REPAYMENT,
        output=RepaymentDetailSerializer,
        body=ReasonSerializer,
        summary=_("Reject a notified payment that never arrived"),
    )
    def reject(self, request, *args, **kwargs):
        repayment = self.get_object()
        data = validated_input(self, ReasonSerializer)
        with service_errors():
            services.repayment_reject(repayment=repayment, rejected_by=request.user, **data)
        return self._detail(repayment)

    @_transition(
        perm=Perm.RECORD_REPAYMENT,
        output=RepaymentDetailSerializer,
        body=ReasonSerializer,
        summary=_("Reverse a confirmed repayment"),
        description=_("It stays on record; the loan's other repayments are allocated again from scratch."),
    )
    def reverse(self, request, *args, **kwargs):
        repayment = self.get_object()
        data = validated_input(self, ReasonSerializer)
        with service_errors():
            services.repayment_reverse(repayment=repayment, reversed_by=request.user, **data)
        return self._detail(repayment)


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
class GrantViewSet(WriteSerializersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = GrantSerializer
    write_serializer_classes = {"POST": GrantWriteSerializer}
    filter_backends = [DjangoFilterBackend]
    filterset_class = GrantFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Grant.objects.none()
        tranches = Prefetch("tranches", queryset=Tranche.objects.order_by("number"))
        return selectors.grant_list(user=self.request.user).prefetch_related(tranches).order_by("-created_at", "-pk")

    def get_object(self):
        grant = selectors.grant_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, grant)
        return grant

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            grant = services.grant_create(created_by=request.user, **serializer.validated_data)
        grant = selectors.grant_get(user=request.user, pk=grant.pk)
        return Response(self.get_output_serializer(grant).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary=_("List grant tranches")),
    retrieve=extend_schema(summary=_("Show a grant tranche")),
)
@extend_schema(tags=["grants"])
class TrancheViewSet(WriteSerializersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tranches are created with their grant; each then moves scheduled → approved → paid (or cancelled)."""

    serializer_class = TrancheSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TrancheFilter
    lookup_value_converter = "int"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Tranche.objects.none()
        return selectors.tranche_list(user=self.request.user).order_by("grant_id", "number")

    def get_object(self):
        tranche = selectors.tranche_get(user=self.request.user, pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, tranche)
        return tranche

    def _detail(self, tranche: Tranche) -> Response:
        tranche = selectors.tranche_get(user=self.request.user, pk=tranche.pk)
        return Response(TrancheSerializer(tranche, context=self.get_serializer_context()).data)

    @_transition(
        perm=Perm.APPROVE_TRANCHE,
        output=TrancheSerializer,
        summary=_("Approve a scheduled tranche for payment"),
        description=_("By a manager who did not create the grant."),
    )
    def approve(self, request, *args, **kwargs):
        tranche = self.get_object()
        with service_errors():
            services.tranche_approve(tranche=tranche, approved_by=request.user)
        return self._detail(tranche)

    @_transition(
        perm=Perm.CHANGE_TRANCHE,
        output=TrancheSerializer,
        body=TranchePaySerializer,
        summary=_("Pay an approved tranche"),
    )
    def pay(self, request, *args, **kwargs):
        tranche = self.get_object()
        data = validated_input(self, TranchePaySerializer)
        with service_errors():
            services.tranche_pay(tranche=tranche, paid_by=request.user, **data)
        return self._detail(tranche)

    @_transition(perm=Perm.CHANGE_TRANCHE, output=TrancheSerializer, summary=_("Cancel a tranche not yet paid"))
    def cancel(self, request, *args, **kwargs):
        tranche = self.get_object()
        with service_errors():
            services.tranche_cancel(tranche=tranche, cancelled_by=request.user)
        return self._detail(tranche)
