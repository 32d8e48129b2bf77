"""Scholarship calls with their rubric over the API."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cooperation.api.viewsets import CreateByService, PagedByIds, RecordViewSet, UpdateByService, documented, writes
from programs.scholarships import selectors, services
from programs.scholarships.api.serializers import CallCreateSerializer, CallSerializer, CallUpdateSerializer
from programs.scholarships.filters import CallFilter
from programs.scholarships.models import Call

# The call's stipend as the services take it (one field each) -> where the API's input nests it.
STIPEND_FIELDS = {
    "stipend_amount": ("stipend", "amount"),
    "stipend_currency": ("stipend", "currency"),
    "stipend_frequency": ("stipend", "frequency"),
}


def _call_data(validated: dict) -> dict:
    data = dict(validated)
    stipend = data.pop("stipend", None)
    if stipend is not None:
        data.update({field: stipend[part] for field, (_stipend, part) in STIPEND_FIELDS.items()})
    if "criteria" in data:
        data["criteria"] = [dict(line) for line in data["criteria"]]
    return data


@documented(
    list=(
        _("List scholarship calls"),
        _("Partner users see the calls their institution hosts. `state` is upcoming, open or closed."),
    ),
    retrieve=_("Show a scholarship call with its rubric"),
    create=_("Open a scholarship call with its rubric"),
    update=_("Replace a call's details"),
    partial_update=(
        _("Change some details of a call"),
        _("`criteria`, when given, replaces the rubric; refused once a reviewer has scored against it."),
    ),
)
class CallViewSet(PagedByIds, CreateByService, UpdateByService, RecordViewSet):
    # No delete: a call keeps its applications and history.
    model = Call
    rows_selector = staticmethod(selectors.call_rows)  # sorted and paged without the counts and related rows
    serializer_class = CallSerializer
    write_serializer_classes = writes(create=CallCreateSerializer, update=CallUpdateSerializer)
    filterset_class = CallFilter

    selectors = (selectors.call_list, selectors.call_get)
    ordering = ("-opens_on", "title", "pk")
    list_prefetch = ("criteria", "eligible_countries")
    service_error_fields = STIPEND_FIELDS

    def page_selector(self, ids, *, user):
        return selectors.call_page(
            ids, user=user, rows=selectors.call_list(user=user).prefetch_related(*self.list_prefetch)
        )

    def create_record(self, data):
        return services.call_create(created_by=self.request.user, **_call_data(data))

    def update_record(self, call, data):
        data = _call_data(data)
        criteria = data.pop("criteria", None)
        with transaction.atomic():
            services.call_update(call=call, updated_by=self.request.user, **data)
            if criteria is not None:
                services.call_set_criteria(call=call, updated_by=self.request.user, criteria=criteria)
