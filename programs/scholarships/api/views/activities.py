"""Exchange activities over the API."""

from django.utils.translation import gettext_lazy as _
from rest_framework.response import Response

from cooperation.api.viewsets import (
    CreateByService,
    RecordViewSet,
    UpdateByService,
    documented,
    move_action,
    writes,
)
from cooperation.roles import Perm
from programs.scholarships import selectors, services
from programs.scholarships.api.filters import ActivityFilter
from programs.scholarships.api.serializers import (
    ActivityCreateSerializer,
    ActivityDetailSerializer,
    ActivityReportSerializer,
    ActivitySerializer,
    ActivityUpdateSerializer,
)
from programs.scholarships.models import ExchangeActivity


@documented(
    list=(
        _("List exchange activities"),
        _("Partner users see the activities their organisation hosts or takes part in."),
    ),
    retrieve=_("Show an exchange activity with its participants"),
    create=_("Plan an exchange activity"),
    update=_("Replace an activity's details"),
    partial_update=_("Change some details of an activity"),
)
class ActivityViewSet(CreateByService, UpdateByService, RecordViewSet):
    model = ExchangeActivity
    serializer_class = ActivitySerializer
    write_serializer_classes = writes(create=ActivityCreateSerializer, update=ActivityUpdateSerializer)
    filterset_class = ActivityFilter
    selectors = (selectors.activity_list, selectors.activity_get)
    ordering = ("-starts_on", "pk")
    list_prefetch = ("partners",)
    record_keyword = "activity"
    create_service = (services.activity_create, "created_by")
    update_service = (services.activity_update, "updated_by")

    def get_serializer_class(self):
        # Retrieve answers with the participants; every write with the activity's list shape.
        if self.action == "retrieve":
            return ActivityDetailSerializer
        return super().get_serializer_class()

    def retrieve(self, request, *args, **kwargs):
        activity = self.get_object()
        context = {
            **self.get_serializer_context(),
            "participants": selectors.activity_participants(user=request.user, activity=activity),
        }
        return Response(ActivityDetailSerializer(activity, context=context).data)

    report = move_action(
        services.activity_report,
        "reported_by",
        ActivityReportSerializer,
        permission=Perm.REPORT_EXCHANGE_ACTIVITY,
        summary=_("Report participants by gender and the outcomes"),
        description=_(
            "The host partner or an officer. `participants`, when given, replaces the list of names; the list may "
            "be partial but never names more people of a gender than its count."
        ),
    )
