"""Budget lines, expenditures and a programme's budget against its actuals over the API.

Officers and managers read and write, auditors read, partner users get nothing (404 on one record, an empty or
refused list). Every write is one service call, whose refusals answer 400 beside the field they are about."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from cooperation.api.exceptions import service_errors
from cooperation.api.permissions import perm_on_visible_record
from cooperation.api.viewsets import (
    CreateByService,
    RecordViewSet,
    UpdateByService,
    documented,
    record_action,
    validated_input,
    writes,
)
from cooperation.roles import Perm
from programs.budgets import selectors, services
from programs.budgets.api.serializers import (
    BudgetLineCreateSerializer,
    BudgetLineSerializer,
    BudgetLineUpdateSerializer,
    ExpenditureCreateSerializer,
    ExpenditureSerializer,
    ExpenditureUpdateSerializer,
    ProgrammeBudgetSerializer,
    ReceiptSerializer,
)
from programs.budgets.filters import BudgetLineFilter, ExpenditureFilter
from programs.budgets.models import BudgetLine, Expenditure
from programs.models import Programme


@documented(
    tag="budgets",
    list=(_("List budget lines"), _("The budget lines of every programme, by programme and period.")),
    retrieve=_("Show a budget line"),
    create=_("Add a budget line to a programme"),
    update=(
        _("Revise a budget line"),
        _(
            "A change of amount, currency, type or status needs a `reason` (refused with `reason_required` "
            "otherwise), which the line's history keeps."
        ),
    ),
    partial_update=_("Revise some details of a budget line"),
)
class BudgetLineViewSet(CreateByService, UpdateByService, RecordViewSet):
    model = BudgetLine
    serializer_class = BudgetLineSerializer
    write_serializer_classes = writes(create=BudgetLineCreateSerializer, update=BudgetLineUpdateSerializer)
    filterset_class = BudgetLineFilter
    selectors = (selectors.line_list, selectors.line_get)
    ordering = ("programme__code", "period_start", "category", "pk")
    record_keyword = "line"
    create_service = (services.line_create, "created_by")
    update_service = (services.line_update, "updated_by")


@documented(
    tag="budgets",
    list=(_("List expenditures"), _("Expenditures recorded by officers, newest first.")),
    retrieve=_("Show an expenditure"),
    create=(
        _("Record an expenditure"),
        _("Its receipt is sent afterwards with `POST /expenditures/{id}/receipt/` (a form with the file)."),
    ),
    update=_("Correct an expenditure"),
    partial_update=_("Correct some details of an expenditure"),
)
class ExpenditureViewSet(CreateByService, UpdateByService, RecordViewSet):
    model = Expenditure
    serializer_class = ExpenditureSerializer
    write_serializer_classes = writes(create=ExpenditureCreateSerializer, update=ExpenditureUpdateSerializer)
    filterset_class = ExpenditureFilter
    selectors = (selectors.expenditure_list, selectors.expenditure_get)
    ordering = ("-spent_on", "-pk")
    create_service = (services.expenditure_create, "recorded_by")
    update_service = (services.expenditure_update, "updated_by")

    @record_action(
        permission=perm_on_visible_record(Perm.CHANGE_EXPENDITURE),
        output=ExpenditureSerializer,
        body=ReceiptSerializer,
        summary=_("Add or replace an expenditure's receipt"),
        description=_("A photo (JPEG or PNG) or a PDF, checked by its content; refused with `invalid_file`."),
        upload=True,
    )
    def receipt(self, request, pk=None):
        expenditure = self.get_object()
        data = validated_input(self, ReceiptSerializer)
        with service_errors():
            services.expenditure_update(expenditure=expenditure, updated_by=request.user, receipt=data["receipt"])
        return self.detail_response(expenditure)


class SignedIn(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class ProgrammeBudgetViewSet(viewsets.GenericViewSet):
    """``/programmes/{id}/budget/``: one programme's budget against its actuals. Whoever may not read budgets gets
    a 404, as for a programme that does not exist."""

    permission_classes = [SignedIn]
    lookup_value_converter = "int"
    queryset = Programme.objects.none()
    serializer_class = ProgrammeBudgetSerializer

    @extend_schema(
        tags=["budgets"],
        summary=_("A programme's budget against its actuals"),
        description=_(
            "Each line, each period and the programme: budget, committed, spent, remaining and burn rate in the "
            "line's currency when every amount is in it, and always in the reporting currency (each amount at the "
            "rate of its own date; a missing rate is named in `missing`, never counted as zero); and what no line "
            "holds (`unbudgeted`)."
        ),
        responses={200: ProgrammeBudgetSerializer},
    )
    @action(detail=True, methods=["get"], url_path="budget", url_name="budget", filter_backends=[])
    def budget(self, request, pk=None):
        programme = selectors.programme_for_budget(user=request.user, pk=pk)
        budget = selectors.programme_budget(user=request.user, programme=programme)
        return Response(ProgrammeBudgetSerializer(budget).data)
