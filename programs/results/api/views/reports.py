"""Partners' results reports over the API: opened for a period, filled in and submitted by the partner (or by an
officer on its behalf), then approved or returned with comments by an officer.

``selectors.report_list`` scopes every list and lookup: a partner user reaches only their organisation's reports,
anything else is 404, even for a move they could never make. Every write and move is one service call, whose
refusals answer 400 with their code beside the field they are about.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _

from cooperation.api.permissions import perm_on_visible_record
from cooperation.api.viewsets import (
    CreateByService,
    PagedByIds,
    RecordViewSet,
    documented,
    record_action,
    validated_input,
    writes,
)
from programs.results import selectors, services
from programs.results.api.serializers import (
    ReportCreateSerializer,
    ReportDetailSerializer,
    ReportSerializer,
    ReportValuesSerializer,
    ReturnSerializer,
)
from programs.results.api.views.errors import report_save_errors
from programs.results.filters import ReportFilter
from programs.results.models import Report


@documented(
    list=(
        _("List results reports"),
        _("Partner users see their organisation's reports; staff every report."),
    ),
    retrieve=_("Show a results report with its values, narratives, evidence and the moves open to you"),
    create=(
        _("Open the report of a partner for a period"),
        _(
            "A partner user opens their organisation's own; an officer may open one on the partner's behalf. The "
            "report already begun is answered if there is one. Refused for a period that has not begun "
            "(`period_not_begun`) and for a partner that reports no indicator of the programme (`not_reporter`)."
        ),
    ),
    moves={
        "submit": (
            _("Submit a report for review"),
            _("Every indicator the partner reports needs its value: a missing one is refused at `value-<indicator>`."),
        ),
        "approve": (
            _("Approve a submitted report"),
            _("Its values become the indicators' actuals and are locked. Not by the officer who entered it."),
        ),
        "return": (
            _("Return a submitted report for correction"),
            _("With a comment on the report, a comment per indicator, or both (`value_required` without any)."),
        ),
    },
)
class ReportViewSet(PagedByIds, CreateByService, RecordViewSet):
    # No edit or delete: values are saved through the `values` action; a report ends approved.
    model = Report
    rows_selector = staticmethod(selectors.report_rows)
    page_selector = staticmethod(selectors.report_page)
    serializer_class = ReportSerializer
    detail_serializer_class = ReportDetailSerializer
    write_serializer_classes = writes(create=ReportCreateSerializer)
    filterset_class = ReportFilter
    selectors = (selectors.report_list, selectors.report_get)
    ordering = ("-period__starts_on", "organisation__name", "pk")
    record_keyword = "report"
    move_perms = services.REPORT_MOVE_PERMS
    create_service = (services.report_open, "opened_by")
    moves = {
        "submit": (services.report_submit, "submitted_by", None),
        "approve": (services.report_approve, "approved_by", None),
        "return": (services.report_return, "returned_by", ReturnSerializer),
    }

    @record_action(
        permission=perm_on_visible_record(services.REPORT_MOVE_PERMS["save"]),
        output=ReportDetailSerializer,
        body=ReportValuesSerializer,
        summary=_("Save the report's values and narratives as a draft"),
        description=_(
            "Each value row replaces what was saved for its indicator (value, text, comment and breakdown by "
            "dimension value id); each narrative row the text on its result. Nothing is saved unless all of it is "
            "right; each error comes back at the position of its row: `values.0.value`, `values.0.breakdown.<dimension "
            "value id>`, `values.0.breakdown.<dimension code>` (`not_adding_up`: the parts of a dimension that covers "
            "everyone add up to another number than the total), `narratives.0.result`."
        ),
    )
    def values(self, request, *args, **kwargs):
        report = self.get_object()
        data = validated_input(self, ReportValuesSerializer)
        values, narratives = data.get("values", []), data.get("narratives", [])
        given = {
            row["indicator"]: {
                "value": row.get("value"),
                "text": row.get("text", ""),
                "comment": row.get("comment", ""),
                "breakdown": row.get("breakdown", {}),
            }
            for row in values
        }
        try:
            services.report_save(
                report=report,
                saved_by=request.user,
                values=given,
                narratives={row["result"]: row["text"] for row in narratives},
            )
        except DjangoValidationError as error:
            raise report_save_errors(error, values, narratives) from error
        return self.detail_response(report)
