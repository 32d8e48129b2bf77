"""The dashboard's scholarships section: the calls' funnel, who the scholars are, how many finish, stipends paid
against scheduled, and the people exchange activities reached.

Every figure comes from ``scholarship_dashboard``, which aggregates in SQL, so the section costs the same few
queries whatever the number of applications or activities. It shows counts only, never an applicant. Stipends
stay per currency: amounts in different currencies are never added together.
"""

import datetime

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from cooperation.roles import Perm
from programs.reporting.charts import ChartRow, horizontal_bar_chart
from programs.reporting.scope import DashboardScope
from programs.scholarships.selectors import CALLS_SHOWN, scholarship_dashboard
from programs.selectors import CountRow


def _count_chart(rows: list[CountRow], *, slug: str, title: str, category: str, value_heading: str, empty: str):
    chart = horizontal_bar_chart(
        [ChartRow(str(row.label), row.count, intcomma(row.count)) for row in rows], slug=slug, title=title
    )
    return {"chart": chart, "category": category, "value_heading": value_heading, "empty_text": empty}


def scholarships_dashboard(*, user, today: datetime.date, scope: DashboardScope | None = None) -> dict | None:
    """The scholarships section's context, or None for a user who may see neither calls nor activities. The scope
    narrows to its programmes' calls and activities, to calls paying stipends in its currency, and to its period."""
    if not (user.has_perm(Perm.VIEW_CALL) or user.has_perm(Perm.VIEW_EXCHANGE_ACTIVITY)):
        return None
    figures = scholarship_dashboard(user=user, today=today, **(scope.module_arguments() if scope else {}))
    has_scholars = figures.scholar_count > 0
    scholar_charts = {  # status_chart, gender_chart, nationality_chart: scholars counted one way each
        f"{name}_chart": _count_chart(
            rows,
            slug=f"scholar-{name}",
            title=title,
            category=category,
            value_heading=_("Scholars"),
            empty=_("No scholars yet."),
        )
        for name, rows, title, category in (
            ("status", figures.scholars_by_status if has_scholars else [], _("Scholars by status"), _("Status")),
            ("gender", figures.scholars_by_gender if has_scholars else [], _("Scholars by gender"), _("Gender")),
            ("nationality", figures.scholars_by_nationality, _("Scholars by nationality"), _("Nationality")),
        )
    }
    return {
        "figures": figures,
        "narrowed_to": scope.narrowed_to() if scope else "",
        "calls_shown": CALLS_SHOWN,
        "activity_count": sum(row.activities for row in figures.participants_by_kind),
        **scholar_charts,
        "participants_chart": _count_chart(
            [CountRow(row.kind, row.label, row.total) for row in figures.participants_by_kind]
            if figures.participants_total
            else [],
            slug="participants-kind",
            title=_("Participants reached by activity kind"),
            category=_("Kind"),
            value_heading=_("Participants"),
            empty=_("No participants reported yet."),
        ),
    }
