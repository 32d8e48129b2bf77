"""Stipend tranches and the progress reports that gate them, over the API."""

from django.utils.translation import gettext_lazy as _

from cooperation.api.viewsets import CreateByService, RecordViewSet, documented, writes
from programs.scholarships import selectors, services
from programs.scholarships.api.filters import ProgressReportFilter, TrancheFilter
from programs.scholarships.api.serializers import (
    MoveReasonSerializer,
    PaymentSerializer,
    ProgressReportSerializer,
    ProgressReportWriteSerializer,
    StipendTrancheSerializer,
)
from programs.scholarships.models import ProgressReport, StipendTranche
from programs.scholarships.services.stipends import REPORT_MOVE_PERMS, TRANCHE_PERMS


@documented(
    list=_("List stipend tranches"),
    retrieve=_("Show a stipend tranche"),
    moves={
        "approve": (
            _("Approve a scheduled tranche for payment"),
            _("Refused until the progress report due before the tranche is in and accepted."),
        ),
        "pay": _("Record the payment of an approved tranche"),
        "cancel": _("Cancel a tranche not paid yet"),
    },
)
class StipendTrancheViewSet(RecordViewSet):
    # Tranches are scheduled by the enrolment; they only move through the actions.
    model = StipendTranche
    serializer_class = StipendTrancheSerializer
    filterset_class = TrancheFilter

    selectors = (selectors.tranche_list, selectors.tranche_get)
    record_keyword = "tranche"
    move_perms = TRANCHE_PERMS
    moves = {
        "approve": (services.tranche_approve, "approved_by", None),
        "pay": (services.tranche_pay, "paid_by", PaymentSerializer),
        "cancel": (services.tranche_cancel, "cancelled_by", MoveReasonSerializer),
    }


# --- Progress reports ---------------------------------------------------------------------------------------------


@documented(
    list=_("List progress reports"),
    retrieve=_("Show a progress report"),
    create=(
        _("Report an enrolled scholar's term"),
        _("Only the host institution's users, on their own scholars (another institution's is a 404)."),
    ),
    moves={
        "accept": _("Accept a progress report"),
        "return": _("Return a progress report to the host with the reason"),
    },
)
class ProgressReportViewSet(CreateByService, RecordViewSet):
    # No edit or delete: a returned report is replaced by a new one.
    model = ProgressReport
    serializer_class = ProgressReportSerializer
    write_serializer_classes = writes(create=ProgressReportWriteSerializer)
    filterset_class = ProgressReportFilter

    selectors = (selectors.progress_report_list, selectors.progress_report_get)

    record_keyword = "report"
    move_perms = REPORT_MOVE_PERMS
    moves = {
        "accept": (services.progress_report_accept, "accepted_by", None),
        "return": (services.progress_report_return, "returned_by", MoveReasonSerializer),
    }

    def create_record(self, data):
        user = self.request.user
        # Another institution's scholar is never admitted to exist.
        application = selectors.application_get(user=user, pk=data.pop("application"))
        return services.progress_report_submit(application=application, submitted_by=user, **data)
