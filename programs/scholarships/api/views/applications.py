"""Scholarship applications over the API: recording them, their files, and every move of their lifecycle
(each one service, which asks the application's guard first)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import RecordFirstPermission, perm_on_visible_record
from cooperation.api.viewsets import RecordViewSet, validated_input
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
)
from programs.scholarships.api.views._moves import move_action
from programs.scholarships.filters import ApplicationFilter
from programs.scholarships.models import (
    Application,
)
from programs.scholarships.views.applications import attachment_response


@extend_schema_view(
    list=extend_schema(
        summary=_("List scholarship applications"),
        description=_(
            "Partner users see their institution's scholars (applications awarded at some point); reviewers the "
            "applications assigned to them. `email`, `date_of_birth` and `attachments` are null unless "
            "`personal_data_visible`: officers and managers, the application's reviewers who are not recused, and "
            "the host institution after the award."
        ),
    ),
    retrieve=extend_schema(summary=_("Show a scholarship application")),
    create=extend_schema(
        summary=_("Record an application received"),
        description=_(
            "Refused after the call closes, for a nationality the call does not accept, and for a second "
            "application with the same email. Attachments are added at /applications/{id}/attachments/."
        ),
        request=ApplicationCreateSerializer,
        responses={201: ApplicationSerializer},
    ),
)
@extend_schema(tags=["scholarships"])
class ApplicationViewSet(RecordViewSet):
    # No edit or delete: an application is what the applicant sent; its status moves through the actions.
    model = Application
    serializer_class = ApplicationSerializer
    write_serializer_classes = {"POST": ApplicationCreateSerializer}
    filterset_class = ApplicationFilter

    selectors = (selectors.application_list, selectors.application_get)
    ordering = ("-submitted_on", "-pk")

    def list_queryset(self):
        return super().list_queryset().prefetch_related("attachments")

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            application = services.application_submit(submitted_by=request.user, **serializer.validated_data)
        return self.detail_response(application, status_code=status.HTTP_201_CREATED)

    def _run(self, service, actor: str, body=None, **kwargs) -> Response:
        application = self.get_object()
        data = validated_input(self, body) if body else {}
        with service_errors():
            service(application=application, **{actor: self.request.user}, **data, **kwargs)
        return self.detail_response(application)

    @move_action(
        perm=Perm.CHANGE_APPLICATION, output=ApplicationSerializer, summary=_("Find a submitted application eligible")
    )
    def mark_eligible(self, request, *args, **kwargs):
        return self._run(services.application_mark_eligible, "decided_by")

    @move_action(
        perm=Perm.CHANGE_APPLICATION,
        output=ApplicationSerializer,
        body=MoveReasonSerializer,
        summary=_("Find a submitted application ineligible, with the reason"),
    )
    def mark_ineligible(self, request, *args, **kwargs):
        return self._run(services.application_mark_ineligible, "decided_by", MoveReasonSerializer)

    @move_action(
        perm=Perm.CHANGE_APPLICATION,
        output=ApplicationSerializer,
        body=PassOverReasonSerializer,
        summary=_("Shortlist an eligible, reviewed application"),
        description=_("Passing over a better-ranked eligible application needs a reason."),
    )
    def shortlist(self, request, *args, **kwargs):
        return self._run(services.application_shortlist, "decided_by", PassOverReasonSerializer)

    @move_action(
        perm=Perm.CHANGE_APPLICATION,
        output=ApplicationSerializer,
        body=PassOverReasonSerializer,
        summary=_("Propose a shortlisted application for an award"),
        description=_("A manager who did not propose it approves or rejects the proposal, within the quota."),
    )
    def propose_award(self, request, *args, **kwargs):
        return self._run(services.application_propose_award, "proposed_by", PassOverReasonSerializer)

    @move_action(perm=Perm.APPROVE_AWARD, output=ApplicationSerializer, summary=_("Approve a proposed award"))
    def approve_award(self, request, *args, **kwargs):
        return self._run(services.application_approve_award, "approved_by")

    @move_action(
        perm=Perm.APPROVE_AWARD,
        output=ApplicationSerializer,
        body=MoveReasonSerializer,
        summary=_("Reject a proposed award"),
        description=_("The application stays shortlisted and may be proposed again."),
    )
    def reject_award(self, request, *args, **kwargs):
        return self._run(services.application_reject_award, "rejected_by", MoveReasonSerializer)

    @move_action(
        perm=Perm.RECORD_AWARD_RESPONSE, output=ApplicationSerializer, summary=_("Record that the scholar accepted")
    )
    def accept_award(self, request, *args, **kwargs):
        return self._run(services.application_accept_award, "recorded_by")

    @move_action(
        perm=Perm.RECORD_AWARD_RESPONSE,
        output=ApplicationSerializer,
        body=PassOverReasonSerializer,
        summary=_("Record that the scholar declined"),
        description=_("The place goes back to the call."),
    )
    def decline_award(self, request, *args, **kwargs):
        return self._run(services.application_decline_award, "recorded_by", PassOverReasonSerializer)

    @move_action(
        perm=Perm.CONFIRM_ENROLMENT,
        output=ApplicationSerializer,
        body=EnrolmentSerializer,
        summary=_("Confirm the scholar's enrolment"),
        description=_("Only the host institution's users; the stipend tranches are scheduled from that date."),
    )
    def confirm_enrolment(self, request, *args, **kwargs):
        return self._run(services.application_confirm_enrolment, "confirmed_by", EnrolmentSerializer)

    @move_action(
        perm=Perm.CHANGE_APPLICATION,
        output=ApplicationSerializer,
        body=MoveReasonSerializer,
        summary=_("Withdraw an application or scholarship"),
    )
    def withdraw(self, request, *args, **kwargs):
        return self._run(services.application_withdraw, "withdrawn_by", MoveReasonSerializer)

    @move_action(
        perm=Perm.CHANGE_APPLICATION,
        output=ApplicationSerializer,
        body=MoveReasonSerializer,
        summary=_("End an application or scholarship"),
    )
    def terminate(self, request, *args, **kwargs):
        return self._run(services.application_terminate, "terminated_by", MoveReasonSerializer)

    @move_action(
        perm=Perm.CHANGE_APPLICATION,
        output=ApplicationSerializer,
        body=CompletionSerializer,
        summary=_("Record that an enrolled scholar completed"),
    )
    def complete(self, request, *args, **kwargs):
        return self._run(services.application_complete, "completed_by", CompletionSerializer)

    @extend_schema(
        summary=_("Add a PDF file to an application under review"),
        request={"multipart/form-data": AttachmentWriteSerializer},
        responses={201: ApplicationSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="attachments",
        url_name="attachments",
        permission_classes=[perm_on_visible_record(Perm.ADD_APPLICATION)],
        parser_classes=[MultiPartParser, FormParser],
        filter_backends=[],
        write_serializer_classes={"POST": AttachmentWriteSerializer},
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
