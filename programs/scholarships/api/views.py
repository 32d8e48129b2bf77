"""Scholarship calls, applications, reviews, stipend tranches, progress reports and exchange activities over the API.

Querysets come from the scholarship selectors, so a partner user reaches only their institution's calls,
scholars, reports, stipends and activities, and a reviewer their own assignments (anything else is 404, even for
a write they could never make); applicants' personal data follows the selectors' ``personal_data_visible`` flag.
Every write and every move is one service call, whose refusals answer 400 with the message next to the field.
"""

from django.db import transaction
from django.http import FileResponse, Http404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import RecordFirstPermission, perm_on_visible_record
from cooperation.api.viewsets import WriteSerializersMixin, record_action, validated_input
from cooperation.roles import Perm
from programs.scholarships import selectors, services
from programs.scholarships.api.filters import ActivityFilter, ProgressReportFilter, ReviewFilter, TrancheFilter
from programs.scholarships.api.serializers import (
    ActivityCreateSerializer,
    ActivityDetailSerializer,
    ActivityReportSerializer,
    ActivitySerializer,
    ActivityUpdateSerializer,
    ApplicationCreateSerializer,
    ApplicationSerializer,
    AttachmentWriteSerializer,
    CallCreateSerializer,
    CallSerializer,
    CallUpdateSerializer,
    CompletionSerializer,
    ConflictSerializer,
    EnrolmentSerializer,
    MoveReasonSerializer,
    PassOverReasonSerializer,
    PaymentSerializer,
    ProgressReportSerializer,
    ProgressReportWriteSerializer,
    ReviewAssignSerializer,
    ReviewSerializer,
    ScoresSerializer,
    StipendTrancheSerializer,
)
from programs.scholarships.filters import ApplicationFilter, CallFilter
from programs.scholarships.models import (
    Application,
    Call,
    ExchangeActivity,
    ProgressReport,
    Review,
    StipendTranche,
)


def _move(*, perm: Perm, **documented):
    return record_action(permission=perm_on_visible_record(perm), **documented)


class _RecordViewSet(WriteSerializersMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Lists and one record through the selectors; ``get_record`` finds one record the user may see, or 404."""

    permission_classes = [RecordFirstPermission]
    filter_backends = [DjangoFilterBackend]
    lookup_value_converter = "int"
    model = None

    def list_queryset(self):
        raise NotImplementedError

    def get_record(self, pk):
        raise NotImplementedError

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no user to scope by
            return self.model.objects.none()
        return self.list_queryset()

    def get_object(self):
        record = self.get_record(self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    def _detail(self, record, status_code=status.HTTP_200_OK) -> Response:
        # Read back through the selector: the answer shows what is stored, as this user may see it.
        record = self.get_record(record.pk)
        return Response(self.get_output_serializer(record).data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        return Response(self.get_output_serializer(self.get_object()).data)


# --- Calls --------------------------------------------------------------------------------------------------------

STIPEND_FIELDS = {
    "stipend_amount": ("stipend", "amount"),
    "stipend_currency": ("stipend", "currency"),
    "stipend_frequency": ("stipend", "frequency"),
}


def _call_data(validated: dict) -> dict:
    data = dict(validated)
    stipend = data.pop("stipend", None)
    if stipend is not None:
        data.update(
            stipend_amount=stipend["amount"],
            stipend_currency=stipend["currency"],
            stipend_frequency=stipend["frequency"],
        )
    if "criteria" in data:
        data["criteria"] = [dict(line) for line in data["criteria"]]
    return data


@extend_schema_view(
    list=extend_schema(
        summary=_("List scholarship calls"),
        description=_("Partner users see the calls their institution hosts. `state` is upcoming, open or closed."),
    ),
    retrieve=extend_schema(summary=_("Show a scholarship call with its rubric")),
    create=extend_schema(
        summary=_("Open a scholarship call with its rubric"),
        request=CallCreateSerializer,
        responses={201: CallSerializer},
    ),
    update=extend_schema(
        summary=_("Replace a call's details"), request=CallUpdateSerializer, responses={200: CallSerializer}
    ),
    partial_update=extend_schema(
        summary=_("Change some details of a call"),
        description=_("`criteria`, when given, replaces the rubric; refused once a reviewer has scored against it."),
        request=CallUpdateSerializer,
        responses={200: CallSerializer},
    ),
)
@extend_schema(tags=["scholarships"])
class CallViewSet(_RecordViewSet):
    # No delete: a call keeps its applications and history.
    model = Call
    serializer_class = CallSerializer
    write_serializer_classes = {
        "POST": CallCreateSerializer,
        "PUT": CallUpdateSerializer,
        "PATCH": CallUpdateSerializer,
    }
    filterset_class = CallFilter

    def list_queryset(self):
        return (
            selectors.call_list(user=self.request.user)
            .prefetch_related("criteria", "eligible_countries")
            .order_by("-opens_on", "title", "pk")
        )

    def get_record(self, pk):
        return selectors.call_get(user=self.request.user, pk=pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors(STIPEND_FIELDS):
            call = services.call_create(created_by=request.user, **_call_data(serializer.validated_data))
        return self._detail(call, status_code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        call = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = _call_data(serializer.validated_data)
        criteria = data.pop("criteria", None)
        with service_errors(STIPEND_FIELDS), transaction.atomic():
            services.call_update(call=call, updated_by=request.user, **data)
            if criteria is not None:
                services.call_set_criteria(call=call, updated_by=request.user, criteria=criteria)
        return self._detail(call)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)


# --- Applications -------------------------------------------------------------------------------------------------


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
class ApplicationViewSet(_RecordViewSet):
    # No edit or delete: an application is what the applicant sent; its status moves through the actions.
    model = Application
    serializer_class = ApplicationSerializer
    write_serializer_classes = {"POST": ApplicationCreateSerializer}
    filterset_class = ApplicationFilter

    def list_queryset(self):
        return (
            selectors.application_list(user=self.request.user)
            .prefetch_related("attachments")
            .order_by("-submitted_on", "-pk")
        )

    def get_record(self, pk):
        return selectors.application_get(user=self.request.user, pk=pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            application = services.application_submit(submitted_by=request.user, **serializer.validated_data)
        return self._detail(application, status_code=status.HTTP_201_CREATED)

    def _run(self, service, actor: str, body=None, **kwargs) -> Response:
        application = self.get_object()
        data = validated_input(self, body) if body else {}
        with service_errors():
            service(application=application, **{actor: self.request.user}, **data, **kwargs)
        return self._detail(application)

    @_move(
        perm=Perm.CHANGE_APPLICATION, output=ApplicationSerializer, summary=_("Find a submitted application eligible")
    )
    def mark_eligible(self, request, *args, **kwargs):
        return self._run(services.application_mark_eligible, "decided_by")

    @_move(
        perm=Perm.CHANGE_APPLICATION,
        output=ApplicationSerializer,
        body=MoveReasonSerializer,
        summary=_("Find a submitted application ineligible, with the reason"),
    )
    def mark_ineligible(self, request, *args, **kwargs):
        return self._run(services.application_mark_ineligible, "decided_by", MoveReasonSerializer)

    @_move(
        perm=Perm.CHANGE_APPLICATION,
        output=ApplicationSerializer,
        body=PassOverReasonSerializer,
        summary=_("Shortlist an eligible, reviewed application"),
        description=_("Passing over a better-ranked eligible application needs a reason."),
    )
    def shortlist(self, request, *args, **kwargs):
        return self._run(services.application_shortlist, "decided_by", PassOverReasonSerializer)

    @_move(
        perm=Perm.CHANGE_APPLICATION,
        output=ApplicationSerializer,
        body=PassOverReasonSerializer,
        summary=_("Propose a shortlisted application for an award"),
        description=_("A manager who did not propose it approves or rejects the proposal, within the quota."),
    )
    def propose_award(self, request, *args, **kwargs):
        return self._run(services.application_propose_award, "proposed_by", PassOverReasonSerializer)

    @_move(perm=Perm.APPROVE_AWARD, output=ApplicationSerializer, summary=_("Approve a proposed award"))
    def approve_award(self, request, *args, **kwargs):
        return self._run(services.application_approve_award, "approved_by")

    @_move(
        perm=Perm.APPROVE_AWARD,
        output=ApplicationSerializer,
        body=MoveReasonSerializer,
        summary=_("Reject a proposed award"),
        description=_("The application stays shortlisted and may be proposed again."),
    )
    def reject_award(self, request, *args, **kwargs):
        return self._run(services.application_reject_award, "rejected_by", MoveReasonSerializer)

    @_move(perm=Perm.RECORD_AWARD_RESPONSE, output=ApplicationSerializer, summary=_("Record that the scholar accepted"))
    def accept_award(self, request, *args, **kwargs):
        return self._run(services.application_accept_award, "recorded_by")

    @_move(
        perm=Perm.RECORD_AWARD_RESPONSE,
        output=ApplicationSerializer,
        body=PassOverReasonSerializer,
        summary=_("Record that the scholar declined"),
        description=_("The place goes back to the call."),
    )
    def decline_award(self, request, *args, **kwargs):
        return self._run(services.application_decline_award, "recorded_by", PassOverReasonSerializer)

    @_move(
        perm=Perm.CONFIRM_ENROLMENT,
        output=ApplicationSerializer,
        body=EnrolmentSerializer,
        summary=_("Confirm the scholar's enrolment"),
        description=_("Only the host institution's users; the stipend tranches are scheduled from that date."),
    )
    def confirm_enrolment(self, request, *args, **kwargs):
        return self._run(services.application_confirm_enrolment, "confirmed_by", EnrolmentSerializer)

    @_move(
        perm=Perm.CHANGE_APPLICATION,
        output=ApplicationSerializer,
        body=MoveReasonSerializer,
        summary=_("Withdraw an application or scholarship"),
    )
    def withdraw(self, request, *args, **kwargs):
        return self._run(services.application_withdraw, "withdrawn_by", MoveReasonSerializer)

    @_move(
        perm=Perm.CHANGE_APPLICATION,
        output=ApplicationSerializer,
        body=MoveReasonSerializer,
        summary=_("End an application or scholarship"),
    )
    def terminate(self, request, *args, **kwargs):
        return self._run(services.application_terminate, "terminated_by", MoveReasonSerializer)

    @_move(
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
        return self._detail(application, status_code=status.HTTP_201_CREATED)

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
        try:
            handle = attachment.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        response = FileResponse(
            handle, as_attachment=True, filename=attachment.original_name, content_type="application/pdf"
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response


# --- Reviews ------------------------------------------------------------------------------------------------------


def _score_errors(error: exceptions.ValidationError) -> exceptions.ValidationError:
    """The service names a criterion's error ``criterion_<id>``; the client sent it as ``scores[<id>]``."""
    detail = dict(error.detail)
    scores = {key.removeprefix("criterion_"): detail.pop(key) for key in list(detail) if key.startswith("criterion_")}
    if scores:
        detail["scores"] = scores
    return exceptions.ValidationError(detail)


@extend_schema_view(
    list=extend_schema(
        summary=_("List review assignments"),
        description=_("Officers, managers and auditors see every assignment; a reviewer sees their own."),
    ),
    retrieve=extend_schema(summary=_("Show a review with its scores")),
    create=extend_schema(
        summary=_("Assign a reviewer to an application under review"),
        request=ReviewAssignSerializer,
        responses={201: ReviewSerializer},
    ),
)
@extend_schema(tags=["scholarships"])
class ReviewViewSet(_RecordViewSet):
    model = Review
    serializer_class = ReviewSerializer
    write_serializer_classes = {"POST": ReviewAssignSerializer}
    filterset_class = ReviewFilter

    def list_queryset(self):
        return selectors.review_list(user=self.request.user)

    def get_record(self, pk):
        return selectors.visible_review_get(user=self.request.user, pk=pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            review = services.review_assign(assigned_by=request.user, **serializer.validated_data)
        return self._detail(review, status_code=status.HTTP_201_CREATED)

    @_move(
        perm=Perm.REVIEW_APPLICATION,
        output=ReviewSerializer,
        body=ScoresSerializer,
        summary=_("Score every criterion of the rubric"),
        description=_(
            "Only the reviewer assigned. Scoring again while the application is under review replaces the scores; "
            "refused once a conflict of interest is declared."
        ),
    )
    def score(self, request, *args, **kwargs):
        review = self.get_object()
        data = validated_input(self, ScoresSerializer)
        try:
            with service_errors():
                services.review_submit_scores(review=review, reviewer=request.user, **data)
        except exceptions.ValidationError as error:
            raise _score_errors(error) from error
        return self._detail(review)

    @_move(
        perm=Perm.REVIEW_APPLICATION,
        output=ReviewSerializer,
        body=ConflictSerializer,
        summary=_("Declare a conflict of interest"),
        description=_("The reviewer is recused; any scores they gave no longer count."),
    )
    def declare_conflict(self, request, *args, **kwargs):
        review = self.get_object()
        data = validated_input(self, ConflictSerializer)
        with service_errors():
            services.review_declare_conflict(review=review, reviewer=request.user, note=data["conflict_note"])
        return self._detail(review)


# --- Stipend tranches ---------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary=_("List stipend tranches")),
    retrieve=extend_schema(summary=_("Show a stipend tranche")),
)
@extend_schema(tags=["scholarships"])
class StipendTrancheViewSet(_RecordViewSet):
    # Tranches are scheduled by the enrolment; they only move through the actions.
    model = StipendTranche
    serializer_class = StipendTrancheSerializer
    filterset_class = TrancheFilter

    def list_queryset(self):
        return selectors.tranche_list(user=self.request.user)

    def get_record(self, pk):
        return selectors.tranche_get(user=self.request.user, pk=pk)

    @_move(
        perm=Perm.APPROVE_STIPEND,
        output=StipendTrancheSerializer,
        summary=_("Approve a scheduled tranche for payment"),
        description=_("Refused until the progress report due before the tranche is in and accepted."),
    )
    def approve(self, request, *args, **kwargs):
        tranche = self.get_object()
        with service_errors():
            services.tranche_approve(tranche=tranche, approved_by=request.user)
        return self._detail(tranche)

    @_move(
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
        return self._detail(tranche)

    @_move(
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
        return self._detail(tranche)


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
class ProgressReportViewSet(_RecordViewSet):
    # No edit or delete: a returned report is replaced by a new one.
    model = ProgressReport
    serializer_class = ProgressReportSerializer
    write_serializer_classes = {"POST": ProgressReportWriteSerializer}
    filterset_class = ProgressReportFilter

    def list_queryset(self):
        return selectors.progress_report_list(user=self.request.user)

    def get_record(self, pk):
        return selectors.progress_report_get(user=self.request.user, pk=pk)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        # Another institution's scholar is never admitted to exist.
        application = selectors.application_get(user=request.user, pk=data.pop("application"))
        with service_errors():
            report = services.progress_report_submit(application=application, submitted_by=request.user, **data)
        return self._detail(report, status_code=status.HTTP_201_CREATED)

    @_move(perm=Perm.CHANGE_PROGRESS_REPORT, output=ProgressReportSerializer, summary=_("Accept a progress report"))
    def accept(self, request, *args, **kwargs):
        report = self.get_object()
        with service_errors():
            services.progress_report_accept(report=report, accepted_by=request.user)
        return self._detail(report)

    @_move(
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
        return self._detail(report)


# --- Exchange activities ------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary=_("List exchange activities"),
        description=_("Partner users see the activities their organisation hosts or takes part in."),
    ),
    retrieve=extend_schema(summary=_("Show an exchange activity with its participants")),
    create=extend_schema(
        summary=_("Plan an exchange activity"), request=ActivityCreateSerializer, responses={201: ActivitySerializer}
    ),
    update=extend_schema(
        summary=_("Replace an activity's details"),
        request=ActivityUpdateSerializer,
        responses={200: ActivitySerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change some details of an activity"),
        request=ActivityUpdateSerializer,
        responses={200: ActivitySerializer},
    ),
)
@extend_schema(tags=["scholarships"])
class ActivityViewSet(_RecordViewSet):
    model = ExchangeActivity
    serializer_class = ActivitySerializer
    write_serializer_classes = {
        "POST": ActivityCreateSerializer,
        "PUT": ActivityUpdateSerializer,
        "PATCH": ActivityUpdateSerializer,
    }
    filterset_class = ActivityFilter

    def get_serializer_class(self):
        if self.action == "retrieve":
            return ActivityDetailSerializer
        return super().get_serializer_class()

    def list_queryset(self):
        return selectors.activity_list(user=self.request.user).prefetch_related("partners").order_by("-starts_on", "pk")

    def get_record(self, pk):
        return selectors.activity_get(user=self.request.user, pk=pk)

    def retrieve(self, request, *args, **kwargs):
        activity = self.get_object()
        context = {
            **self.get_serializer_context(),
            "participants": selectors.activity_participants(user=request.user, activity=activity),
        }
        return Response(ActivityDetailSerializer(activity, context=context).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with service_errors():
            activity = services.activity_create(created_by=request.user, **serializer.validated_data)
        return self._detail(activity, status_code=status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        activity = self.get_object()
        serializer = self.get_serializer(data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        with service_errors():
            services.activity_update(activity=activity, updated_by=request.user, **serializer.validated_data)
        return self._detail(activity)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @_move(
        perm=Perm.REPORT_EXCHANGE_ACTIVITY,
        output=ActivitySerializer,
        body=ActivityReportSerializer,
        summary=_("Report participants by gender and the outcomes"),
        description=_(
            "The host partner or an officer. `participants`, when given, replaces the list of names; the list may "
            "be partial but never names more people of a gender than its count."
        ),
    )
    def report(self, request, *args, **kwargs):
        activity = self.get_object()
        data = validated_input(self, ActivityReportSerializer)
        if "participants" in data:
            data["participants"] = [dict(line) for line in data["participants"]]
        with service_errors():
            services.activity_report(activity=activity, reported_by=request.user, **data)
        return self._detail(activity)
