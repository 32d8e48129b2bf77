"""Reports for officers: those awaiting review and those overdue, one report's page with its values, narratives,
evidence and history, the review moves (approve, return with comments per indicator), and the download of an
evidence file."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from cooperation.history import HistorySource, history_entries
from cooperation.kept import render_page_kept
from cooperation.pages import PAGE_SIZE, PageMove, paginate, record_actions, record_views, service_call, workspace_page
from cooperation.roles import Perm
from programs.results import selectors, services
from programs.results.files import evidence_response
from programs.results.forms import ReturnForm
from programs.results.models import ActualValue, Narrative, Report

MOVES = {
    "approve": PageMove(
        gettext_lazy("Approve the report"),
        service_call(services.report_approve, "report", "approved_by"),
        gettext_lazy("The report of %(partner)s for %(period)s was approved."),
    ),
    "return": PageMove(
        gettext_lazy("Return to the partner"),
        service_call(services.report_return, "report", "returned_by"),
        gettext_lazy("The report of %(partner)s for %(period)s was returned to the partner."),
        ReturnForm,
        danger=True,
        form_kwargs=lambda report: {"indicators": services.reported_indicators(report.period, report.organisation_id)},
    ),
}


# --- What awaits the officers ---------------------------------------------------------------------------------------


def overdue_reports(user) -> list[selectors.DueReport]:
    """The reports past their due date and not sent, soonest due first, as the review list (and its export) shows
    them."""
    return list(selectors.OverdueReports(user=user))


@workspace_page(perm=Perm.VIEW_RESULTS_REPORT)
def review_list(request):
    user = request.user

    def compute() -> dict:
        return {
            "page_obj": paginate(request, selectors.awaiting_review(user=user)),
            "overdue_page": paginate_named(request, selectors.OverdueReports(user=user), "overdue_page"),
            "today": timezone.localdate(),
            "can_enter": user.has_perm(Perm.ADD_RESULTS_REPORT),
        }

    # Two lists of a national portfolio's reports: kept for each state of the data (cooperation.kept).
    return render_page_kept(request, "results/review_list.html", compute)


def paginate_named(request, rows, parameter: str):
    """A second paginated list on one page, paged by its own ``parameter``."""
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get(parameter))


# --- One report -------------------------------------------------------------------------------------------------


def _history(report: Report) -> list:
    return history_entries(
        [
            HistorySource(Report.history.filter(id=report.pk)),
            HistorySource(
                ActualValue.history.filter(report_id=report.pk).select_related("indicator"),
                subject=lambda record: _("Value: %(indicator)s") % {"indicator": record.indicator.title},
            ),
            HistorySource(
                Narrative.history.filter(report_id=report.pk).select_related("result"),
                subject=lambda record: _("Narrative: %(result)s") % {"result": record.result.title},
            ),
        ]
    )


def _report_page(request, report: Report, refused=None):
    user = request.user
    indicators = list(services.reported_indicators(report.period, report.organisation_id))
    values = selectors.report_values(report)
    rows = [(indicator, values.get(indicator.pk)) for indicator in indicators]
    return render(
        request,
        "results/report_detail.html",
        {
            "report": report,
            "programme": report.period.programme,
            "rows": rows,
            "narratives": report.narratives.select_related("result").order_by(
                "-result__level", "result__position", "result__pk"
            ),
            "evidence": report.evidence.all(),
            "actions": record_actions(
                report,
                user,
                MOVES,
                guard=services.report_move_refusal,
                url_name="results:report_{name}",
                refused=refused,
            ),
            "can_enter": services.report_move_refusal(report, user, "save") is None,
            "history": _history(report) if user.has_perm(Perm.VIEW_HISTORY) else None,
        },
    )


report_detail, report_move = record_views(
    perm=Perm.VIEW_RESULTS_REPORT,
    get=selectors.report_get,
    moves=MOVES,
    perms=services.REPORT_MOVE_PERMS,
    show_page=_report_page,
    page_url="results:report_detail",
    done_values=lambda report: {"partner": report.organisation.name, "period": str(report.period)},
)


@require_GET
@login_required
def evidence_download(request, pk):
    """Stream one evidence file to those who may see its report (the reporting partner's users too); 404 for anyone
    else, so nobody learns whether the file exists."""
    evidence = selectors.evidence_get(user=request.user, pk=pk)
    return evidence_response(evidence)
