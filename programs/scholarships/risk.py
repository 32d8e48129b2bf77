"""This module's risk flag on a partner: progress reports overdue on the scholars it hosts."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import ngettext

from cooperation.risk import Level, RiskFlag
from programs.scholarships.models import Application
from programs.scholarships.references import application_reference
from programs.scholarships.selectors.hub import report_standing

NAMED_IN_FLAG = 3
REPORTS_OVERDUE = "scholarships.reports_overdue"


def _reports_url(organisation) -> str:
    try:
        return reverse("partners:detail", args=[organisation.pk]) + "#scholarships-hub"
    except NoReverseMatch:
        return ""


def partner_flags(organisation) -> list[RiskFlag]:
    """ "Scholar progress reports overdue": the host institution's enrolled scholars whose report is past its due
    date (and the grace days, ``SCHOLARSHIPS_REPORT_GRACE_DAYS``) with none in hand."""
    overdue = report_standing(Application.objects.filter(call__host=organisation)).overdue
    if not overdue:
        return []
    count = len(overdue)
    references = ", ".join(application_reference(owed.scholar.pk) for owed in overdue[:NAMED_IN_FLAG])
    message = ngettext(
        "%(count)d scholar progress report overdue: %(references)s",
        "%(count)d scholar progress reports overdue: %(references)s",
        count,
    ) % {"count": count, "references": references + ("…" if count > NAMED_IN_FLAG else "")}
    return [RiskFlag(REPORTS_OVERDUE, message, Level.WARNING, count, _reports_url(organisation))]
