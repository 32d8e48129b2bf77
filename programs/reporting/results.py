"""The dashboard's results section: how the programmes' indicators stand (on track, at risk, off track), by the
cooperation goals the programmes serve, and the partners' reports overdue or waiting for review. It narrows with
the dashboard's filters, like the programme figures."""

import datetime

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from programs.reporting.charts import ChartRow, horizontal_bar_chart
from programs.reporting.selectors import dashboard_programmes
from programs.results.selectors import Status, results_dashboard


def results_section(*, user, today: datetime.date, **scope) -> dict | None:
    """The results section's context, or None for a user who may not see results."""
    figures = results_dashboard(user=user, today=today, programmes=dashboard_programmes(user=user, **scope))
    if figures is None:
        return None
    rows = [ChartRow(status.label, figures.counts[status], intcomma(figures.counts[status])) for status in Status]
    return {
        "figures": figures,
        "statuses": list(Status),
        "status_chart": {
            "chart": horizontal_bar_chart(rows, slug="indicator-status", title=_("Indicators by progress")),
            "category": _("Progress"),
            "value_heading": _("Indicators"),
        },
    }
