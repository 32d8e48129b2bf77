"""Stipend tranches and the progress reports that gate them, over the API."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status

from cooperation.api.exceptions import service_errors
from cooperation.api.viewsets import RecordViewSet, validated_input
from cooperation.roles import Perm
from programs.scholarships import selectors, services
from programs.scholarships.api.filters import ProgressReportFilter, TrancheFilter
from programs.scholarships.api.serializers import (
    MoveReasonSerializer,
    PaymentSerializer,
    ProgressReportSerializer,
    ProgressReportWriteSerializer,
    StipendTrancheSerializer,
)
from programs.scholarships.api.views._moves import move_action
from programs.scholarships.models import (
    ProgressReport,
    StipendTranche,
)


@extend_schema_view(
    list=extend_schema(summary=_("List stipend tranches")),
    retrieve=extend_schema(summary=_("Show a stipend tranche")),
)
@extend_schema(tags=["scholarships"])
class StipendTrancheViewSet(RecordViewSet):
    # Tranches are scheduled by the enrolment; they only move through the actions.
    model = StipendTranche
    serializer_class = StipendTrancheSerializer
    filterset_class = TrancheFilter

    selectors = (selectors.tranche_list, selectors.tranche_get)

    @move_action(
        perm=Perm.APPROVE_STIPEND,
        output=StipendTrancheSerializer,
        summary=_("Approve a scheduled tranche for payment"),
        description=_("Refused until the progress report due before the tranche is in and accepted."),
    )
    def approve(self, request, *args, **kwargs):
        tranche = self.get_object()
        with service_errors():
            services.tranche_approve(tranche=tranche, approved_by=request.user)
        return self.detail_response(tranche)

    @move_action(
        perm=Perm.CHANGE_STIPEND,
        output=StipendTrancheSerializer,
        body=PaymentSerializer,
        summary=_("Record the payment of an approved tranche"),
    )
    def pay(self, request, *args, **kwargs):
        tranche = self.get_object()
        data = validated_input(self, PaymentSerializer)
        with service_errors():
            services.tranche_pay(tranche=tranche, paid_by=request.user, **data)
        return self.detail_response(tranche)

    @move_action(
        perm=Perm.CHANGE_STIPEND,
        output=StipendTrancheSerializer,
        body=MoveReasonSerializer,
        summary=_("Cancel a tranche not paid yet"),
    )
    def cancel(self, request, *args, **kwargs):
        tranche = self.get_object()
        data = validated_input(self, MoveReasonSerializer)
        with service_errors():
            services.tranche_cancel(tranche=tranche, cancelled_by=request.user, **data)
        return self.detail_response(tranche)


# --- Progress reports ---------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("List progress reports")),
    retrieve=extend_schema(summary=_("Show a progress report")),
    create=extend_schema(
        summary=_("Report an enrolled scholar's term"),
        description=_("Only the host institution's users, on their own scholars (another institution's is a 404)."),
        request=ProgressReportWriteSerializer,
        responses={201: ProgressReportSerializer},
    ),
)
@extend_schema(tags=["scholarships"])
class ProgressReportViewSet(RecordViewSet):
    # No edit or delete: a returned report is replaced by a new one.
    model = ProgressReport
    serializer_class = ProgressReportSerializer
    write_serializer_classes = {"POST": ProgressReportWriteSerializer}
    filterset_class = ProgressReportFilter

    selectors = (selectors.progress_report_list, selectors.progress_report_get)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        # Another institution's scholar is never admitted to exist.
        application = selectors.application_get(user=request.user, pk=data.pop("application"))
        with service_errors():
            report = services.progress_report_submit(application=application, submitted_by=request.user, **data)
        return self.detail_response(report, status_code=status.HTTP_201_CREATED)

    @move_action(
        perm=Perm.CHANGE_PROGRESS_REPORT, output=ProgressReportSerializer, summary=_("Accept a progress report")
    )
    def accept(self, request, *args, **kwargs):
        report = self.get_object()
        with service_errors():
            services.progress_report_accept(report=report, accepted_by=request.user)
        return self.detail_response(report)

    @move_action(
        perm=Perm.CHANGE_PROGRESS_REPORT,
        output=ProgressReportSerializer,
        body=MoveReasonSerializer,
        summary=_("Return a progress report to the host with the reason"),
        name="return",
    )
    def return_report(self, request, *args, **kwargs):
        report = self.get_object()
        data = validated_input(self, MoveReasonSerializer)
        with service_errors():
            services.progress_report_return(report=report, returned_by=request.user, **data)
        return self.detail_response(report)
