"""The dashboard's results section: how the programmes' indicators stand (on track, at risk, off track), by the
cooperation goals the programmes serve, and the partners' reports overdue or waiting for review. It narrows to the
dashboard's programmes; progress is as of today and indicators carry no currency, so the currency and the period
leave it as it is."""

import datetime

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from programs.models import Programme
from programs.reporting.charts import ChartRow, horizontal_bar_chart
from programs.reporting.scope import DashboardScope
from programs.results.selectors import Status, results_dashboard


def results_section(*, user, today: datetime.date, scope: DashboardScope | None = None) -> dict | None:
    """The results section's context, or None for a user who may not see results."""
    narrowed = scope is not None and scope.narrows_programmes
    programmes = Programme.objects.filter(pk__in=scope.programme_ids) if narrowed else None
    figures = results_dashboard(user=user, today=today, programmes=programmes)
    if figures is None:
        return None
    rows = [ChartRow(status.label, figures.counts[status], intcomma(figures.counts[status])) for status in Status]
    return {
        "figures": figures,
        "narrowed_to": scope.narrowed_to(currency=False, period=False) if scope else "",
        "statuses": list(Status),
        "status_chart": {
            "chart": horizontal_bar_chart(rows, slug="indicator-status", title=_("Indicators by progress")),
            "category": _("Progress"),
            "value_heading": _("Indicators"),
        },
    }
