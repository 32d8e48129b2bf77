"""Every list page and list API, first and last page, against the count and the page's rows fetched by hand."""

# The statements are put together from table names (the models' metadata) and this file's own SQL; every value
# goes in as a parameter.
# ruff: noqa: S608

import math

from benchmarks.harness_entries.common import (
    PAGE_SIZE,
    Context,
    Entry,
    Rows,
    after_a_change,
    after_own_change,
    loan_sums,
    with_page,
)


def lists() -> list[tuple[str, str | None, str | None, Rows]]:
    return [
        (
            "exchange rates",
            "/rates/",
            "/api/v1/exchange-rates/",
            Rows("reference.ExchangeRate", 't."on" DESC, t.from_currency_id, t.to_currency_id'),
        ),
        ("partners", "/partners/", "/api/v1/partners/", Rows("partners.Organisation", "t.name", {"country": "name"})),
        (
            "programmes",
            "/programmes/",
            "/api/v1/programmes/",
            Rows("programs.Programme", "t.created_at DESC, t.code", {"budget_currency": "code"}),
        ),
        (
            "participations",
            None,
            "/api/v1/participations/",
            Rows("programs.Participation", "t.role, j0.name", {"organisation": "name", "programme": "code"}),
        ),
        (
            "programme updates",
            None,
            "/api/v1/programme-updates/",
            Rows("programs.ProgrammeUpdate", "t.reported_on DESC, t.created_at DESC", {"programme": "code"}),
        ),
        (
            "loans",
            "/finance/loans/",
            "/api/v1/loans/",
            Rows(
                "finance.Loan",
                "t.created_at DESC",
                {"borrower": "name", "programme": "code", "currency": "code"},
                page_extra=loan_sums,
            ),
        ),
        (
            "repayments",
            None,
            "/api/v1/repayments/",
            Rows("finance.Repayment", "t.paid_on DESC, t.created_at DESC", {"loan": "reference"}),
        ),
        (
            "grants",
            "/finance/grants/",
            "/api/v1/grants/",
            Rows("finance.Grant", "t.created_at DESC", {"recipient": "name", "programme": "code"}),
        ),
        ("grant tranches", None, "/api/v1/tranches/", Rows("finance.Tranche", "t.grant_id, t.number")),
        (
            "shipments",
            "/shipments/",
            "/api/v1/shipments/",
            Rows("shipments.Shipment", "t.created_at DESC", {"consignee": "name", "programme": "code"}),
        ),
        ("shipment items", None, "/api/v1/shipment-items/", Rows("shipments.ShipmentItem", "t.shipment_id, t.id")),
        ("tracking events", None, "/api/v1/tracking-events/", Rows("shipments.TrackingEvent", "t.occurred_at, t.id")),
        ("receipts", None, "/api/v1/receipts/", Rows("shipments.Receipt", "t.received_on, t.id")),
        (
            "scholarship calls",
            "/scholarships/calls/",
            "/api/v1/scholarship-calls/",
            Rows("scholarships.Call", "t.opens_on DESC, t.title", {"programme": "code"}),
        ),
        (
            "scholarship applications",
            "/scholarships/applications/",
            "/api/v1/scholarship-applications/",
            Rows("scholarships.Application", "t.submitted_on DESC, t.id DESC", {"call": "title"}),
        ),
        (
            "scholarship reviews",
            "/scholarships/reviews/",
            "/api/v1/scholarship-reviews/",
            Rows("scholarships.Review", "t.application_id, t.id"),
        ),
        (
            "stipends",
            "/scholarships/stipends/",
            "/api/v1/stipend-tranches/",
            Rows("scholarships.StipendTranche", "t.application_id, t.number"),
        ),
        (
            "progress reports",
            "/scholarships/reports/",
            "/api/v1/progress-reports/",
            Rows("scholarships.ProgressReport", "t.application_id, t.period_end, t.id"),
        ),
        (
            "exchange activities",
            "/scholarships/activities/",
            "/api/v1/exchange-activities/",
            Rows("scholarships.ExchangeActivity", "t.starts_on DESC, t.title"),
        ),
        ("results", None, "/api/v1/results/", Rows("results.Result", "t.programme_id, t.level DESC, t.position, t.id")),
        ("indicators", None, "/api/v1/indicators/", Rows("results.Indicator", "t.result_id, t.position, t.id")),
        (
            "reporting periods",
            None,
            "/api/v1/reporting-periods/",
            Rows("results.Period", "t.programme_id, t.starts_on"),
        ),
        (
            "results reports",
            "/results/reports/",
            "/api/v1/results-reports/",
            Rows("results.Report", "t.period_id DESC, j0.name", {"organisation": "name"}),
        ),
        (
            "budget lines",
            None,
            "/api/v1/budget-lines/",
            Rows("budgets.BudgetLine", "t.programme_id, t.period_start, t.category, t.id"),
        ),
        (
            "expenditures",
            "/budgets/expenditures/",
            "/api/v1/expenditures/",
            Rows("budgets.Expenditure", "t.spent_on DESC, t.id DESC", {"budget_line": "category"}),
        ),
        ("documents", "/documents/", "/api/v1/documents/", Rows("documents.Document", "t.dated DESC, t.id DESC")),
    ]


def list_entries(ctx: Context, cursor) -> list[Entry]:
    entries = []
    for name, page_url, api_url, rows in lists():
        total = rows.count(cursor)
        last = max(1, math.ceil(total / PAGE_SIZE))
        if page_url:
            for label, number in (("first", 1), ("last", last)):
                url = with_page(page_url, number)
                entries.append(
                    Entry(f"{name} page, {label}", "page", lambda url=url: ctx.get(url), rows.floor(number), url)
                )
                entries.append(after_a_change(f"{name} page, {label}", "page", ctx, rows.floor(number), url))
                entries.append(after_own_change(f"{name} page, {label}", "page", ctx, rows.floor(number), url))
        if api_url:
            app_total = ctx.api_count(api_url)
            note = "" if app_total == total else f"API counts {app_total:,}, floor {total:,}"
            api_last = max(1, math.ceil(app_total / PAGE_SIZE))
            for label, number in (("first", 1), ("last", api_last)):
                url = with_page(api_url, number)
                entries.append(
                    Entry(f"{name} API, {label}", "api", lambda url=url: ctx.get(url), rows.floor(number), url, note)
                )
                entries.append(after_a_change(f"{name} API, {label}", "api", ctx, rows.floor(number), url))
                entries.append(after_own_change(f"{name} API, {label}", "api", ctx, rows.floor(number), url))
    return entries
