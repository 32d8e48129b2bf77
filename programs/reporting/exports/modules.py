"""The dashboard's scholarships, results and budgets sections as tables."""

from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Table
from programs.reporting.exports.common import chart_table, code, table

CURRENCY = _("Currency")


def scholarship_tables(scholarships: dict | None) -> list[Table]:
    if scholarships is None:
        return []
    figures = scholarships["figures"]
    calls = table(
        "scholarship-calls",
        _("Applications and awards per call"),
        (_("Call"), _("Applications"), _("Eligible"), _("Shortlisted"), _("Awards made"), _("Awards available")),
        [
            (call.title, call.applications, call.eligible, call.shortlisted, call.awards_made, call.awards_available)
            for call in figures.calls
        ],
    )
    stipends = table(
        "stipends",
        _("Stipends paid against scheduled"),
        (
            CURRENCY,
            _("Scheduled"),
            _("Tranches scheduled"),
            _("Due to date"),
            _("Tranches due"),
            _("Paid"),
            _("Tranches paid"),
            _("Paid share (%)"),
        ),
        [
            (
                row.currency.code,
                row.scheduled_amount,
                row.scheduled_count,
                row.due_amount,
                row.due_count,
                row.paid_amount,
                row.paid_count,
                row.paid_percent,
            )
            for row in figures.stipends
        ],
    )
    kinds = [
        (row.label, row.activities, row.women, row.men, row.other_gender, row.total)
        for row in figures.participants_by_kind
    ]
    if kinds:
        by_gender = figures.participants_by_gender
        activities = scholarships["activity_count"]
        kinds.append(
            (
                str(_("All kinds")),
                activities,
                by_gender["women"],
                by_gender["men"],
                by_gender["other_gender"],
                figures.participants_total,
            )
        )
    participants = table(
        "participants",
        _("Participants by activity kind and gender"),
        (_("Kind"), _("Activities"), _("Women"), _("Men"), _("Other / not stated"), _("Total")),
        kinds,
    )
    return [
        calls,
        chart_table("scholars-status", scholarships["status_chart"]),
        chart_table("scholars-gender", scholarships["gender_chart"]),
        chart_table("scholars-nationality", scholarships["nationality_chart"]),
        stipends,
        chart_table("participants-kind", scholarships["participants_chart"]),
        participants,
    ]


def results_tables(results: dict | None) -> list[Table]:
    if results is None:
        return []
    statuses = results["statuses"]
    by_goal = table(
        "results-by-goal",
        _("Progress by cooperation goal"),
        (_("Goal"), *(status.label for status in statuses)),
        [
            (str(row.objective.label), *(row.counts.get(status, 0) for status in statuses))
            for row in results["figures"].by_goal
        ],
    )
    return [chart_table("results-status", results["status_chart"]), by_goal]


def _not_converted(*totals) -> str:
    return "; ".join(str(message) for total in totals for message in total.missing)


def _reporting(total) -> tuple:
    """A total in the reporting currency, as the page shows it, and its currency."""
    figure = total.reporting_figure
    return figure.amount, code(figure.currency)


def budget_tables(budget_actuals: dict | None) -> list[Table]:
    if budget_actuals is None:
        return []
    overview = budget_actuals["overview"]
    overview.read_figures(overview.budgets)  # every programme's, at once
    overall = overview.overall
    in_reporting = (
        _("Budget"),
        CURRENCY,
        _("Committed"),
        CURRENCY,
        _("Spent"),
        CURRENCY,
    )
    by_programme = table(
        "budgets-by-programme",
        _("Budgets by programme"),
        (_("Programme"), *in_reporting, _("Burn rate (%)"), _("Lines over budget"), _("Amounts not converted")),
        [
            (
                budget.programme.code,
                *_reporting(budget.overall.budget_total),
                *_reporting(budget.overall.committed_total),
                *_reporting(budget.overall.actual_total),
                budget.overall.burn_rate_reporting,
                len(budget.over_budget_lines),
                _not_converted(
                    budget.overall.budget_total, budget.overall.committed_total, budget.overall.actual_total
                ),
            )
            for budget in overview.budgets
        ],
    )
    totals = (overall.budget_total, overall.committed_total, overall.actual_total)
    # Not named ``code``: Python 3.12.1 would then take every later ``code(...)`` here for this variable.
    currencies = sorted({currency for total in totals for currency in total.per_currency})
    per_currency = table(
        "budgets-per-currency",
        _("Budgets and actuals by currency"),
        (CURRENCY, _("Budget"), _("Committed, not yet spent"), _("Spent")),
        [(currency, *(total.per_currency.get(currency) for total in totals)) for currency in currencies],
    )
    reporting = table(
        "budgets-reporting",
        _("Budgets and actuals in the reporting currency"),
        (*in_reporting, _("Amounts not converted")),
        [(*(value for total in totals for value in _reporting(total)), _not_converted(*totals))]
        if overview.budgets
        else [],
    )
    over_budget = table(
        "budget-lines-over-budget",
        _("Budget lines over budget"),
        (_("Programme"), _("Category"), _("Period start"), _("Period end"), _("Budget"), _("Spent"), CURRENCY),
        [
            (
                figures.line.programme.code,
                str(figures.line.get_category_display()),
                figures.line.period_start,
                figures.line.period_end,
                figures.budget,
                figures.actual,
                code(figures.currency),
            )
            for figures in budget_actuals["over_budget"]
        ],
    )
    return [by_programme, per_currency, reporting, over_budget]
