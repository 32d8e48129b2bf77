"""A programme's results framework over the API: results, indicators with their targets, and reporting periods.

Whoever may see a programme's framework reads it (a partner user: the programmes their organisation takes part in;
anything else is 404); officers build it. Every write is one service call, whose refusals answer 400 beside the
field they are about.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.response import Response

from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import perm_on_visible_record, perm_required
from cooperation.api.viewsets import (
    CreateByService,
    DestroyByService,
    RecordViewSet,
    UpdateByService,
    documented,
    record_action,
    validated_input,
    writes,
)
from cooperation.roles import Perm
from programs.results import selectors, services
from programs.results.api.permissions import FrameworkPermission
from programs.results.api.serializers import (
    IndicatorCreateSerializer,
    IndicatorSerializer,
    IndicatorUpdateSerializer,
    PeriodSerializer,
    PlanSerializer,
    PlanWriteSerializer,
    ResultCreateSerializer,
    ResultSerializer,
    ResultUpdateSerializer,
    TargetsSerializer,
)
from programs.results.api.views.errors import targets_errors
from programs.results.filters import IndicatorFilter, PeriodFilter, ResultFilter
from programs.results.models import Indicator, Period, Result

REVISION = _(
    "Once values measured against the indicator were approved, a change needs a `revision_reason` (refused with "
    "`revision_reason_required` otherwise), kept in its history."
)


@documented(
    list=(
        _("List results"),
        _("The results of the programmes whose framework you may see, highest level first within a programme."),
    ),
    retrieve=_("Show a result"),
    create=_("Add a result to a programme's framework"),
    update=_("Replace a result's level, title, description and the result it serves"),
    partial_update=_("Change some details of a result"),
    destroy=(
        _("Remove a result"),
        _("With its indicators and targets; refused (`locked`) once anything was reported against it."),
    ),
)
class ResultViewSet(CreateByService, UpdateByService, DestroyByService, RecordViewSet):
    model = Result
    serializer_class = ResultSerializer
    write_serializer_classes = writes(create=ResultCreateSerializer, update=ResultUpdateSerializer)
    permission_classes = [FrameworkPermission]
    filterset_class = ResultFilter
    selectors = (selectors.result_list, selectors.result_get)
    ordering = ("programme__code", "-level", "position", "pk")
    list_prefetch = ("indicators",)
    create_service = (services.result_create, "created_by")
    update_service = (services.result_update, "updated_by")
    destroy_service = (services.result_delete, "deleted_by")


@documented(
    list=(
        _("List indicators"),
        _(
            "The indicators of the programmes whose framework you may see, with their baseline, overall target, "
            "each period's target, unit (and its IATI measure code), direction, reporter and dimensions."
        ),
    ),
    retrieve=_("Show an indicator with its targets"),
    create=(
        _("Add an indicator to a result"),
        _("A money indicator names its currency; the reporter is a partner taking part in the programme."),
    ),
    update=(_("Replace an indicator"), REVISION),
    partial_update=(_("Change some details of an indicator"), REVISION),
)
class IndicatorViewSet(CreateByService, UpdateByService, RecordViewSet):
    # No delete: an indicator goes with its result, before anything is reported against it.
    model = Indicator
    serializer_class = IndicatorSerializer
    write_serializer_classes = writes(create=IndicatorCreateSerializer, update=IndicatorUpdateSerializer)
    permission_classes = [FrameworkPermission]
    filterset_class = IndicatorFilter
    selectors = (selectors.indicator_list, selectors.indicator_get)
    ordering = ("result__programme__code", "-result__level", "result__position", "position", "pk")
    create_service = (services.indicator_create, "created_by")
    update_service = (services.indicator_update, "updated_by")

    @record_action(
        permission=perm_on_visible_record(Perm.CHANGE_FRAMEWORK),
        output=IndicatorSerializer,
        body=TargetsSerializer,
        summary=_("Set the indicator's target for reporting periods"),
        description=_(
            "Each row sets one period's target; an empty value clears it, periods not sent keep theirs. Errors come "
            "back at the row's position (`targets.0.value`). "
        )
        + REVISION,
    )
    def targets(self, request, *args, **kwargs):
        indicator = self.get_object()
        data = validated_input(self, TargetsSerializer)
        periods = [row["period"] for row in data["targets"]]
        targets, unknown = {}, []
        for index, row in enumerate(data["targets"]):
            try:
                targets[selectors.period_get(user=request.user, pk=row["period"])] = row["value"]
            except Http404:
                unknown.append(index)
        if unknown:
            missing = _("This period is not one of the programme's reporting periods.")
            rows = [{"period": [missing]} if index in unknown else {} for index in range(len(periods))]
            raise exceptions.ValidationError({"targets": rows})
        try:
            services.targets_set(
                indicator=indicator,
                targets=targets,
                set_by=request.user,
                revision_reason=data.get("revision_reason", ""),
            )
        except DjangoValidationError as error:
            raise targets_errors(error, periods) from error
        return self.detail_response(indicator)


@documented(
    list=(
        _("List reporting periods"),
        _("Cut from each programme's dates by its reporting plan; each says when its reports are due."),
    ),
    retrieve=_("Show a reporting period"),
)
class PeriodViewSet(RecordViewSet):
    model = Period
    serializer_class = PeriodSerializer
    permission_classes = [FrameworkPermission]
    filterset_class = PeriodFilter
    selectors = (selectors.period_list, selectors.period_get)
    ordering = ("programme__code", "starts_on", "pk")

    @extend_schema(
        summary=_("Set how often a programme's partners report"),
        description=_(
            "The programme's periods are cut again from its planned dates: periods already begun or reported stay "
            "as they are. Refused (`no_periods`) while the programme has no planned start and end."
        ),
        request=PlanWriteSerializer,
        responses={200: PlanSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="plan",
        url_name="plan",
        permission_classes=[perm_required(Perm.CHANGE_FRAMEWORK)],
        filter_backends=[],
        pagination_class=None,
        serializer_class=PlanSerializer,
        write_serializer_classes={"POST": PlanWriteSerializer},
    )
    def plan(self, request, *args, **kwargs):
        data = validated_input(self, PlanWriteSerializer)
        with service_errors():
            plan = services.plan_set(set_by=request.user, **data)
        return Response(PlanSerializer(plan, context=self.get_serializer_context()).data)
