"""Scholarship calls with their rubric over the API."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from cooperation.api.viewsets import CreateByService, RecordViewSet, UpdateByService
from programs.scholarships import selectors, services
from programs.scholarships.api.serializers import (
    CallCreateSerializer,
    CallSerializer,
    CallUpdateSerializer,
)
from programs.scholarships.filters import CallFilter
from programs.scholarships.models import (
    Call,
)

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
class CallViewSet(CreateByService, UpdateByService, RecordViewSet):
    # No delete: a call keeps its applications and history.
    model = Call
    serializer_class = CallSerializer
    write_serializer_classes = {
        "POST": CallCreateSerializer,
        "PUT": CallUpdateSerializer,
        "PATCH": CallUpdateSerializer,
    }
    filterset_class = CallFilter

    selectors = (selectors.call_list, selectors.call_get)
    ordering = ("-opens_on", "title", "pk")
    service_error_fields = STIPEND_FIELDS

    def list_queryset(self):
        return super().list_queryset().prefetch_related("criteria", "eligible_countries")

    def create_record(self, data):
        return services.call_create(created_by=self.request.user, **_call_data(data))

    def update_record(self, call, data):
        data = _call_data(data)
        criteria = data.pop("criteria", None)
        with transaction.atomic():
            services.call_update(call=call, updated_by=self.request.user, **data)
            if criteria is not None:
                services.call_set_criteria(call=call, updated_by=self.request.user, criteria=criteria)
