"""Scholarship applications over the API: recording them, their files, and every move of their lifecycle
(each one service, which asks the application's guard first)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action

from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import RecordFirstPermission, perm_on_visible_record
from cooperation.api.viewsets import CreateByService, RecordViewSet, documented, record_action, validated_input, writes
from cooperation.roles import Perm
from programs.scholarships import selectors, services
from programs.scholarships.api.serializers import (
    ApplicationCreateSerializer,
    ApplicationSerializer,
    AttachmentWriteSerializer,
    CompletionSerializer,
    EnrolmentSerializer,
    MoveReasonSerializer,
    PassOverReasonSerializer,
    ProposeAwardSerializer,
)
from programs.scholarships.filters import ApplicationFilter
from programs.scholarships.models import Application
from programs.scholarships.services.guards import APPLICATION_MOVE_PERMS
from programs.scholarships.views.applications import attachment_response


@documented(
    list=(
        _("List scholarship applications"),
        _(
            "Partner users see their institution's scholars (applications awarded at some point); reviewers the "
            "applications assigned to them. `email`, `date_of_birth` and `attachments` are null unless "
            "`personal_data_visible`: officers and managers, the application's reviewers who are not recused, and "
            "the host institution after the award."
        ),
    ),
    retrieve=_("Show a scholarship application"),
    create=(
        _("Record an application received"),
        _(
            "Refused after the call closes, for a nationality the call does not accept, and for a second "
            "application with the same email. Attachments are added at /applications/{id}/attachments/."
        ),
    ),
    moves={
        "mark_eligible": _("Find a submitted application eligible"),
        "mark_ineligible": _("Find a submitted application ineligible, with the reason"),
        "shortlist": (
            _("Shortlist an eligible, reviewed application"),
            _("Passing over a better-ranked eligible application needs a reason."),
        ),
        "propose_award": (
            _("Propose a shortlisted application for an award"),
            _("A manager who did not propose it approves or rejects the proposal, within the quota."),
        ),
        "approve_award": _("Approve a proposed award"),
        "reject_award": (
            _("Reject a proposed award"),
            _("The application stays shortlisted and may be proposed again."),
        ),
        "accept_award": _("Record that the scholar accepted"),
        "decline_award": (_("Record that the scholar declined"), _("The place goes back to the call.")),
        "confirm_enrolment": (
            _("Confirm the scholar's enrolment"),
            _("Only the host institution's users; the stipend tranches are scheduled from that date."),
        ),
        "withdraw": _("Withdraw an application or scholarship"),
        "terminate": _("End an application or scholarship"),
        "complete": _("Record that an enrolled scholar completed"),
    },
)
class ApplicationViewSet(CreateByService, RecordViewSet):
    # No edit or delete: an application is what the applicant sent; its status moves through the actions.
    model = Application
    serializer_class = ApplicationSerializer
    write_serializer_classes = writes(create=ApplicationCreateSerializer)
    filterset_class = ApplicationFilter

    selectors = (selectors.application_list, selectors.application_get)
    ordering = ("-submitted_on", "-pk")
    list_prefetch = ("attachments",)
    move_perms = APPLICATION_MOVE_PERMS
    create_service = (services.application_submit, "submitted_by")

    def list_queryset(self):
        # Sorted, filtered and paged without the figures, which are read for the page's rows alone.
        return selectors.application_rows(user=self.request.user).order_by(*self.ordering)

    def paginate_queryset(self, queryset):
        if self.action != "list":
            return super().paginate_queryset(queryset)
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True))
        if ids is None:
            return None
        rows = selectors.application_list(user=self.request.user).prefetch_related(*self.list_prefetch)
        return selectors.application_page(ids, user=self.request.user, rows=rows)

    moves = {
        "mark_eligible": (services.application_mark_eligible, "decided_by", None),
        "mark_ineligible": (services.application_mark_ineligible, "decided_by", MoveReasonSerializer),
        "shortlist": (services.application_shortlist, "decided_by", PassOverReasonSerializer),
        "propose_award": (services.application_propose_award, "proposed_by", ProposeAwardSerializer),
        "approve_award": (services.application_approve_award, "approved_by", None),
        "reject_award": (services.application_reject_award, "rejected_by", MoveReasonSerializer),
        "accept_award": (services.application_accept_award, "recorded_by", None),
        "decline_award": (services.application_decline_award, "recorded_by", PassOverReasonSerializer),
        "confirm_enrolment": (services.application_confirm_enrolment, "confirmed_by", EnrolmentSerializer),
        "withdraw": (services.application_withdraw, "withdrawn_by", MoveReasonSerializer),
        "terminate": (services.application_terminate, "terminated_by", MoveReasonSerializer),
        "complete": (services.application_complete, "completed_by", CompletionSerializer),
    }

    @record_action(
        permission=perm_on_visible_record(Perm.ADD_APPLICATION),
        output=ApplicationSerializer,
        body=AttachmentWriteSerializer,
        summary=_("Add a PDF file to an application under review"),
        name="attachments",
        created=True,
        upload=True,
    )
    def add_attachment(self, request, *args, **kwargs):
        application = self.get_object()
        data = validated_input(self, AttachmentWriteSerializer)
        with service_errors():
            services.attachment_add(application=application, uploaded_by=request.user, file=data["file"])
        return self.detail_response(application, status_code=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Download an applicant's file"),
        description=_("Only for those who may see the applicant's personal data; 404 for anyone else."),
        parameters=[OpenApiParameter("attachment_pk", int, OpenApiParameter.PATH)],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="attachments/<int:attachment_pk>",
        url_name="attachment",
        permission_classes=[RecordFirstPermission],
        filter_backends=[],
    )
    def download_attachment(self, request, *args, **kwargs):
        attachment = selectors.attachment_get(
            user=request.user, pk=kwargs["attachment_pk"], application_id=kwargs["pk"]
        )
        return attachment_response(attachment)
