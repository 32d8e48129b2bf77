"""What this module shows on the partner portal's pages."""

from django.http import Http404
from django.utils import timezone

from cooperation.roles import Perm
from partners.selectors import user_organisation_ids
from programs.results import selectors
from programs.results.forms.report import number_text
from programs.results.models import Indicator
from programs.results.portal_views import report_url


def portal_home(request, record=None):
    """How many reports the user's organisations owe, and how many are late; None when they report nothing."""
    user = request.user
    if not user.has_perm(Perm.VIEW_RESULTS_REPORT):
        return None
    due = selectors.reports_due(user=user, today=timezone.localdate())
    if not due and not _reports_anything(user):
        return None
    return {"due": len(due), "overdue": sum(1 for entry in due if entry.overdue)}


def _reports_anything(user) -> bool:
    return Indicator.objects.filter(reporter_id__in=user_organisation_ids(user)).exists()


def portal_programme(request, programme):
    """The programme's indicators (baseline → target → actual to date, and whether that is on track) and the
    reports the user's organisations owe for it; None when the programme has no framework."""
    try:
        results = selectors.framework(user=request.user, programme=programme)
    except Http404:
        return None
    indicators = [indicator for result in results for indicator in result.indicators.all()]
    if not indicators:
        return None
    periods = list(programme.reporting_periods.order_by("starts_on"))
    rows = [
        {
            "progress": entry,
            "baseline": number_text(entry.baseline),
            "target": number_text(entry.target),
            "actual": number_text(entry.actual),
        }
        for entry in selectors.indicator_progress(indicators, periods)
    ]
    due = [
        (entry, report_url(entry.period.pk, entry.organisation.pk))
        for entry in selectors.reports_due(user=request.user, today=timezone.localdate(), programme=programme)
    ]
    return {"programme": programme, "rows": rows, "due": due}
