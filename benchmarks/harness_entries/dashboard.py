"""The dashboard, plain and with each filter, against its aggregates computed by hand over the tables: read back
while nothing changes; as its first view after a change, when it is shown as last computed while the worker
refreshes it; and the worker's refresh itself, which is how long the page says it is catching up."""

# The statements are put together from table names (the models' metadata) and this file's own SQL; every value
# goes in as a parameter.
# ruff: noqa: S608

import datetime
from collections.abc import Callable

from benchmarks.harness_entries.common import (
    Context,
    Entry,
    after_a_change,
    fetch,
    record_floor,
    refreshed_by_the_worker,
    table,
)


def dashboard_filters(cursor) -> list[tuple[str, str, str, tuple]]:
    """(label, query string, the floor's narrowing of programmes as SQL over ``p``, its parameters) for the plain
    dashboard and each filter, with a value the data holds."""
    programme = table("programs.Programme")
    countries = f"{programme}_recipient_countries"
    filters = [("plain", "", "TRUE", ())]
    status = fetch(cursor, f"SELECT status FROM {programme} GROUP BY status ORDER BY count(*) DESC LIMIT 1")
    if status:
        filters.append(("status", f"status={status[0][0]}", "p.status = %s", (status[0][0],)))
    currency = fetch(cursor, f"SELECT currency_id FROM {table('finance.Loan')} LIMIT 1")
    if currency:
        code = currency[0][0]
        filters.append(("currency", f"currency={code}", "TRUE", ()))
    country = fetch(cursor, f"SELECT country_id FROM {countries} GROUP BY country_id ORDER BY count(*) DESC LIMIT 1")
    if country:
        code = country[0][0]
        filters.append(
            (
                "country",
                f"country={code}",
                f"EXISTS (SELECT 1 FROM {countries} rc WHERE rc.programme_id = p.id AND rc.country_id = %s)",
                (code,),
            )
        )
    filters.append(("form", "form=financial", "p.is_financial", ()))
    objective = fetch(
        cursor,
        f"SELECT objective FROM {table('programs.ProgrammeObjective')} "
        f"GROUP BY objective ORDER BY count(*) DESC LIMIT 1",
    )
    if objective:
        value = objective[0][0]
        filters.append(
            (
                "objective",
                f"objective={value}",
                f"EXISTS (SELECT 1 FROM {table('programs.ProgrammeObjective')} o "
                f"WHERE o.programme_id = p.id AND o.objective = %s)",
                (value,),
            )
        )
    code = fetch(cursor, f"SELECT code FROM {programme} ORDER BY id LIMIT 1")
    if code:
        filters.append(("programme", f"programme={code[0][0]}", "p.code = %s", (code[0][0],)))
    filters.append(("period", "period=this_year", "TRUE", ()))
    return filters


def dashboard_floor(narrowing: str, params: tuple, currency: str | None) -> Callable:
    """The dashboard's figures computed at request time by hand-written aggregates over the whole tables: programmes
    by status; loans, outstanding principal and the portfolio at risk (arrears over 30 days) by currency; grants,
    shipments, applications, results reports by status; budget against spending."""
    programmes = f"SELECT p.id FROM {table('programs.Programme')} p WHERE {narrowing}"
    in_currency = "AND l.currency_id = %s" if currency else ""
    loan_params = params + ((currency,) if currency else ())
    today = datetime.date.today()
    statements = [
        (f"SELECT p.status, count(*) FROM {table('programs.Programme')} p WHERE {narrowing} GROUP BY p.status", params),
        (
            f"SELECT l.currency_id, l.status, count(*), sum(l.principal) FROM {table('finance.Loan')} l "
            f"WHERE l.programme_id IN ({programmes}) {in_currency} GROUP BY l.currency_id, l.status",
            loan_params,
        ),
        (
            f"SELECT l.currency_id, sum(i.principal_due - i.principal_paid), "
            f"sum(CASE WHEN i.due_date < %s AND i.principal_paid < i.principal_due "
            f"THEN i.principal_due - i.principal_paid ELSE 0 END) "
            f"FROM {table('finance.Installment')} i JOIN {table('finance.Loan')} l ON l.id = i.loan_id "
            f"WHERE l.status = 'disbursed' AND l.programme_id IN ({programmes}) {in_currency} GROUP BY l.currency_id",
            (today - datetime.timedelta(days=30), *loan_params),
        ),
        (
            f"SELECT g.currency_id, tr.status, count(*), sum(tr.amount) FROM {table('finance.Grant')} g "
            f"JOIN {table('finance.Tranche')} tr ON tr.grant_id = g.id "
            f"WHERE g.programme_id IN ({programmes}) GROUP BY g.currency_id, tr.status",
            params,
        ),
        (
            f"SELECT s.status, count(*) FROM {table('shipments.Shipment')} s "
            f"WHERE s.programme_id IN ({programmes}) GROUP BY s.status",
            params,
        ),
        (
            f"SELECT a.status, count(*) FROM {table('scholarships.Application')} a "
            f"JOIN {table('scholarships.Call')} c ON c.id = a.call_id "
            f"WHERE c.programme_id IN ({programmes}) GROUP BY a.status",
            params,
        ),
        (
            f"SELECT r.status, count(*) FROM {table('results.Report')} r "
            f"JOIN {table('results.Period')} pe ON pe.id = r.period_id "
            f"WHERE pe.programme_id IN ({programmes}) GROUP BY r.status",
            params,
        ),
        (
            f"SELECT b.programme_id, sum(b.amount), (SELECT sum(e.amount) FROM {table('budgets.Expenditure')} e "
            f"WHERE e.programme_id = b.programme_id) "
            f"FROM {table('budgets.BudgetLine')} b WHERE b.programme_id IN ({programmes}) GROUP BY b.programme_id",
            params,
        ),
    ]
    return record_floor(statements)


def dashboard_entries(ctx: Context, cursor) -> list[Entry]:
    from programs.reporting.views import DASHBOARD

    entries = []
    for label, query, narrowing, params in dashboard_filters(cursor):
        url = "/dashboard/" + (f"?{query}" if query else "")
        currency = query.split("=", 1)[1] if label == "currency" else None
        entries.append(
            Entry(
                f"dashboard, {label}",
                "dashboard",
                lambda url=url: ctx.get(url),
                dashboard_floor(narrowing, params, currency),
                url,
            )
        )
        floor = entries[-1].floor
        entries.append(after_a_change(f"dashboard, {label}", "dashboard", ctx, floor, url))
        entries.append(refreshed_by_the_worker(f"dashboard, {label}", "job", ctx, floor, url, DASHBOARD))
    return entries
