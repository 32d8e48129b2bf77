"""The dashboard's headline figures, its programme figures, loan portfolio, shipments and latest updates as
tables."""

from django.utils.translation import gettext_lazy as _

from cooperation.exports.tables import Table
from programs.reporting.exports.common import chart_table, table

CURRENCY = _("Currency")


def key_figures(sections: dict) -> Table:
    """The single figures the page shows in large type, one row each."""
    rows = [(_("Programmes"), sections["total"])]
    if shipments := sections["shipments"]:
        figures = shipments["figures"]
        rows += [
            (_("Shipments"), shipments["total"]),
            (_("Shipments in transit"), figures.in_transit_count),
            (_("Delayed shipments"), figures.delayed_count),
        ]
    if scholarships := sections["scholarships"]:
        figures = scholarships["figures"]
        rows += [
            (_("Scholarship calls"), figures.call_count),
            (_("Applications"), figures.application_count),
            (_("Awards made"), figures.awards_made),
            (_("Scholars"), figures.scholar_count),
            (_("Scholars who finished"), figures.finished_count),
            (_("Scholars who completed the scholarship"), figures.completed_count),
            (_("Completion rate (%)"), figures.completion_rate if figures.finished_count else None),
        ]
    if results := sections["results"]:
        figures = results["figures"]
        rows += [
            (_("Indicators"), figures.indicators),
            (_("Reports overdue"), figures.overdue),
            (_("Reports awaiting review"), figures.awaiting_review),
        ]
    return table("key-figures", _("Key figures"), (_("Figure"), _("Value")), [(str(a), b) for a, b in rows])


def programme_tables(sections: dict) -> list[Table]:
    budgets = table(
        "budget-totals",
        _("Total budget by currency"),
        (CURRENCY, _("Budget"), _("Programmes")),
        [(total.currency.code, total.total, total.programmes) for total in sections["budgets"]],
    )
    charts = [chart_table(f"programmes-{item['chart'].slug}", item) for item in sections["charts"]]
    return [budgets, *charts]


def finance_tables(finance: dict | None) -> list[Table]:
    if finance is None:
        return []
    in_period = finance["period"] is not None
    portfolio = table(
        "loan-portfolio",
        _("Loan portfolio"),
        (
            CURRENCY,
            _("Outstanding principal"),
            _("Disbursed in the period") if in_period else _("Disbursed"),
            _("Collected in the period") if in_period else _("Collected this month"),
            _("Due in the next 30 days"),
            _("Overdue"),
            _("PAR30 (%)"),
            _("PAR90 (%)"),
            _("Active loans"),
        ),
        [
            (
                row.currency.code,
                row.outstanding_principal,
                row.disbursed,
                row.collected_this_month,
                row.due_next_30_days,
                row.overdue,
                row.par30,
                row.par90,
                row.active_loans,
            )
            for row in finance["portfolio"]
        ],
    )
    repayments = table(
        "repayments",
        _("Repayments expected and received"),
        (CURRENCY, _("Month"), _("Expected"), _("Received")),
        [
            (chart.currency.code, column.month, column.expected, column.received)
            for chart in finance["charts"]
            for column in chart.columns
        ],
    )
    return [portfolio, repayments]


def shipment_tables(shipments: dict | None) -> list[Table]:
    if shipments is None:
        return []
    figures = shipments["figures"]
    return [
        chart_table("shipments-status", shipments["status_chart"]),
        table(
            "shipments-in-transit",
            _("In transit"),
            (CURRENCY, _("Value")),
            [(row.currency.code, row.amount) for row in figures.in_transit_value],
        ),
        table(
            "shipments-on-time",
            _("On-time arrivals"),
            (_("Arrivals"), _("On or before the expected date"), _("On-time arrivals (%)")),
            [(figures.arrived_count, figures.on_time_count, figures.on_time_rate if figures.arrived_count else None)],
        ),
        table(
            "shipments-discrepancy",
            _("Discrepancy rate"),
            (CURRENCY, _("Sent"), _("Damaged or lost"), _("Rate (%)")),
            [(rate.currency.code, rate.sent, rate.not_good, rate.percent) for rate in figures.discrepancy_rates],
        ),
        table(
            "shipments-delivered",
            _("Delivered value by destination country"),
            (_("Country"), _("Received in good condition"), CURRENCY),
            [(row.country.name, row.amount, row.currency.code) for row in figures.delivered_by_country],
        ),
        table(
            "shipments-delayed",
            _("Delayed shipments"),
            (_("Waybill"), _("Consignee"), _("Expected arrival"), _("Days late")),
            [
                (shipment.waybill, str(shipment.consignee), shipment.expected_arrival, shipment.days_late)
                for shipment in shipments["delayed"]
            ],
        ),
    ]


def _reported_by(update) -> str:
    if update.organisation:
        return str(update.organisation)
    if update.author is None:
        return ""
    return update.author.get_full_name() or update.author.username


def updates_table(updates: list) -> Table:
    return table(
        "updates",
        _("Latest programme updates"),
        (_("Reported on"), _("Programme"), _("Reported by"), _("Title"), _("Text")),
        [
            (update.reported_on, update.programme.code, _reported_by(update), update.title, update.body)
            for update in updates
        ],
    )
