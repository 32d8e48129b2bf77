"""What the harness measures: each page, API, record, hub, dashboard, export and daily job, with its raw-SQL floor.

An entry's app side is a request through Django's test ``Client`` (or the service a daily job runs); its floor
is the same rows fetched by hand-written SQL on the DB-API connection under Django's (psycopg on PostgreSQL,
sqlite3 on SQLite): the rows of the page plus the count, a record with the rows its page lists, the dashboard's
aggregates over the tables, the reminder run's one anti-join and bulk inserts. Table and column names come from
the models' metadata, so the SQL follows a renamed table; what it selects, joins and sorts is written out here.
"""

# The statements are put together from table names (the models' metadata) and this file's own SQL; every value
# goes in as a parameter.
# ruff: noqa: S608

import datetime
import gzip
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

PAGE_SIZE = 25  # the web lists' pages (cooperation.pages.PAGE_SIZE) and the API's (REST_FRAMEWORK PAGE_SIZE)


def table(label: str) -> str:
    return apps.get_model(label)._meta.db_table


def column(label: str, name: str) -> str:
    return apps.get_model(label)._meta.get_field(name).column


def sql(statement: str) -> str:
    """``statement`` with the DB-API's placeholder: psycopg takes ``%s``, sqlite3 ``?``."""
    return statement.replace("%s", "?") if connection.vendor == "sqlite" else statement


def values(params) -> list:
    """``params`` as the DB-API takes them: sqlite3 gets dates and times as the text Django stores (its own
    adapters for them are deprecated); psycopg adapts them itself."""
    if connection.vendor != "sqlite":
        return list(params)
    adapted = []
    for value in params:
        if isinstance(value, datetime.datetime):
            value = connection.ops.adapt_datetimefield_value(value)
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        adapted.append(value)
    return adapted


def fetch(cursor, statement: str, params=()) -> list:
    cursor.execute(sql(statement), values(params))
    return cursor.fetchall()


def insert(cursor, statement: str, rows: list) -> None:
    cursor.executemany(sql(statement), [values(row) for row in rows])


@dataclass
class Rows:
    """A list's floor: ``SELECT count(*)`` and one page of rows, sorted as the list sorts, with the labels of the
    records it points at (``labels``: field -> the related table's column shown)."""

    model: str
    order: str
    labels: dict = field(default_factory=dict)
    where: str = "TRUE"
    params: tuple = ()
    count_joins: str = ""
    page_extra: Callable | None = None  # (cursor, rows) -> extra rows the page shows for its own records

    def _joins(self) -> tuple[str, str]:
        selected, joins = ["t.*"], []
        model = apps.get_model(self.model)
        for number, (name, label_column) in enumerate(self.labels.items()):
            relation = model._meta.get_field(name)
            alias = f"j{number}"
            joins.append(
                f"LEFT JOIN {relation.related_model._meta.db_table} {alias} "
                f"ON {alias}.{relation.target_field.column} = t.{relation.column}"
            )
            selected.append(f"{alias}.{label_column}")
        return ", ".join(selected), " ".join(joins)

    def count(self, cursor) -> int:
        statement = f"SELECT count(*) FROM {table(self.model)} t {self.count_joins} WHERE {self.where}"
        return fetch(cursor, statement, self.params)[0][0]

    def page(self, cursor, number: int) -> list:
        selected, joins = self._joins()
        statement = (
            f"SELECT {selected} FROM {table(self.model)} t {joins} {self.count_joins} WHERE {self.where} "
            f"ORDER BY {self.order} LIMIT {PAGE_SIZE} OFFSET {(number - 1) * PAGE_SIZE}"
        )
        rows = fetch(cursor, statement, self.params)
        if self.page_extra is not None and rows:
            rows = rows + self.page_extra(cursor, rows)
        return rows

    def floor(self, number: int) -> Callable:
        def run(cursor) -> int:
            self.count(cursor)
            return len(self.page(cursor, number))

        return run


def loan_sums(cursor, rows) -> list:
    """What the loan list shows beside each loan of its page: the installments' totals, for those 25 loans only."""
    ids = [row[0] for row in rows if isinstance(row[0], int)]
    marks = ", ".join(["%s"] * len(ids))
    return fetch(
        cursor,
        f"SELECT loan_id, sum(principal_due), sum(principal_paid), sum(interest_due), sum(interest_paid), "
        f"min(CASE WHEN principal_paid < principal_due THEN due_date END) "
        f"FROM {table('finance.Installment')} WHERE loan_id IN ({marks}) GROUP BY loan_id",
        ids,
    )


# (entry name, web list URL or None, API URL or None, the floor's rows)
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


@dataclass
class Entry:
    name: str
    kind: str  # page, api, record, hub, dashboard, export, job
    app: Callable[[], int]  # one request (or run): the bytes (or reminders) it produced; raises on a failure
    floor: Callable  # (cursor) -> rows fetched by hand-written SQL
    url: str = ""
    note: str = ""
    rolled_back: bool = False  # app and floor run in a transaction that is rolled back (they write)


class Failed(Exception):
    pass


@dataclass
class Context:
    """The client, signed in as a manager, and the records the entries point at."""

    client: Client
    weights: dict = field(default_factory=dict)  # url -> (bytes, gzipped bytes)

    def get(self, url: str) -> int:
        response = self.client.get(url)
        if response.status_code != 200:
            raise Failed(f"{url} answered {response.status_code}")
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url not in self.weights:
            self.weights[url] = (len(body), len(gzip.compress(body, 6)))
        return len(body)

    def api_count(self, url: str) -> int:
        response = self.client.get(url)
        if response.status_code != 200:
            raise Failed(f"{url} answered {response.status_code}")
        return int(response.json().get("count", 0))


def with_page(url: str, number: int) -> str:
    return url if number <= 1 else f"{url}{'&' if '?' in url else '?'}page={number}"


def first_id(cursor, label: str, where: str = "TRUE", order: str = "t.id") -> int | None:
    rows = fetch(cursor, f"SELECT t.id FROM {table(label)} t WHERE {where} ORDER BY {order} LIMIT 1")
    return rows[0][0] if rows else None


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
        if api_url:
            app_total = ctx.api_count(api_url)
            note = "" if app_total == total else f"API counts {app_total:,}, floor {total:,}"
            api_last = max(1, math.ceil(app_total / PAGE_SIZE))
            for label, number in (("first", 1), ("last", api_last)):
                url = with_page(api_url, number)
                entries.append(
                    Entry(f"{name} API, {label}", "api", lambda url=url: ctx.get(url), rows.floor(number), url, note)
                )
    return entries


def record_floor(statements: list[tuple[str, tuple]]) -> Callable:
    def run(cursor) -> int:
        return sum(len(fetch(cursor, statement, params)) for statement, params in statements)

    return run


def record_entries(ctx: Context, cursor) -> list[Entry]:
    """A loan, a shipment and an application (records), a programme and a partner (hubs): the record's row and
    the rows its page lists."""
    entries = []
    loan = first_id(cursor, "finance.Loan", "EXISTS (SELECT 1 FROM finance_repayment r WHERE r.loan_id = t.id)")
    if loan is None:
        loan = first_id(cursor, "finance.Loan")
    if loan is not None:
        floor = record_floor(
            [
                (
                    f"SELECT l.*, b.name, p.code FROM {table('finance.Loan')} l "
                    f"JOIN {table('partners.Organisation')} b ON b.id = l.borrower_id "
                    f"JOIN {table('programs.Programme')} p ON p.id = l.programme_id WHERE l.id = %s",
                    (loan,),
                ),
                (f"SELECT * FROM {table('finance.Installment')} WHERE loan_id = %s ORDER BY number", (loan,)),
                (
                    f"SELECT * FROM {table('finance.Repayment')} WHERE loan_id = %s "
                    f"ORDER BY paid_on DESC, created_at DESC",
                    (loan,),
                ),
            ]
        )
        url = f"/finance/loans/{loan}/"
        entries.append(Entry("loan page", "record", lambda url=url: ctx.get(url), floor, url))
    shipment = first_id(cursor, "shipments.Shipment", order="t.id DESC")
    if shipment is not None:
        floor = record_floor(
            [
                (
                    f"SELECT s.*, c.name, p.code FROM {table('shipments.Shipment')} s "
                    f"JOIN {table('partners.Organisation')} c ON c.id = s.consignee_id "
                    f"JOIN {table('programs.Programme')} p ON p.id = s.programme_id WHERE s.id = %s",
                    (shipment,),
                ),
                (f"SELECT * FROM {table('shipments.ShipmentItem')} WHERE shipment_id = %s ORDER BY id", (shipment,)),
                (
                    f"SELECT * FROM {table('shipments.TrackingEvent')} WHERE shipment_id = %s ORDER BY occurred_at",
                    (shipment,),
                ),
                (
                    f"SELECT * FROM {table('shipments.Receipt')} WHERE shipment_id = %s ORDER BY received_on",
                    (shipment,),
                ),
            ]
        )
        url = f"/shipments/{shipment}/"
        entries.append(Entry("shipment page", "record", lambda url=url: ctx.get(url), floor, url))
    application = first_id(cursor, "scholarships.Application", order="t.id DESC")
    if application is not None:
        floor = record_floor(
            [
                (
                    f"SELECT a.*, c.title FROM {table('scholarships.Application')} a "
                    f"JOIN {table('scholarships.Call')} c ON c.id = a.call_id WHERE a.id = %s",
                    (application,),
                ),
                (f"SELECT * FROM {table('scholarships.Review')} WHERE application_id = %s", (application,)),
                (f"SELECT * FROM {table('scholarships.Attachment')} WHERE application_id = %s", (application,)),
                (f"SELECT * FROM {table('scholarships.StipendTranche')} WHERE application_id = %s", (application,)),
            ]
        )
        url = f"/scholarships/applications/{application}/"
        entries.append(Entry("application page", "record", lambda url=url: ctx.get(url), floor, url))
    programme = first_id(
        cursor, "programs.Programme", f"EXISTS (SELECT 1 FROM {table('finance.Loan')} l WHERE l.programme_id = t.id)"
    ) or first_id(cursor, "programs.Programme")
    if programme is not None:
        per_module = " UNION ALL ".join(
            f"SELECT '{label}', count(*) FROM {table(label)} WHERE programme_id = %s"
            for label in ("finance.Loan", "finance.Grant", "shipments.Shipment", "budgets.BudgetLine", "results.Result")
        )
        floor = record_floor(
            [
                (f"SELECT * FROM {table('programs.Programme')} WHERE id = %s", (programme,)),
                (
                    f"SELECT pa.*, o.name FROM {table('programs.Participation')} pa "
                    f"JOIN {table('partners.Organisation')} o ON o.id = pa.organisation_id WHERE pa.programme_id = %s",
                    (programme,),
                ),
                (
                    f"SELECT * FROM {table('programs.ProgrammeUpdate')} WHERE programme_id = %s "
                    f"ORDER BY reported_on DESC LIMIT 10",
                    (programme,),
                ),
                (per_module, (programme,) * 5),
            ]
        )
        url = f"/programmes/{programme}/"
        entries.append(Entry("programme page (hub)", "hub", lambda url=url: ctx.get(url), floor, url))
    partner = first_id(
        cursor, "partners.Organisation", f"EXISTS (SELECT 1 FROM {table('finance.Loan')} l WHERE l.borrower_id = t.id)"
    ) or first_id(cursor, "partners.Organisation")
    if partner is not None:
        floor = record_floor(
            [
                (f"SELECT * FROM {table('partners.Organisation')} WHERE id = %s", (partner,)),
                (f"SELECT * FROM {table('partners.Contact')} WHERE organisation_id = %s ORDER BY name", (partner,)),
                (
                    f"SELECT pa.*, p.code FROM {table('programs.Participation')} pa "
                    f"JOIN {table('programs.Programme')} p ON p.id = pa.programme_id WHERE pa.organisation_id = %s",
                    (partner,),
                ),
                (
                    f"SELECT currency_id, status, count(*), sum(principal) FROM {table('finance.Loan')} "
                    f"WHERE borrower_id = %s GROUP BY currency_id, status",
                    (partner,),
                ),
                (f"SELECT count(*) FROM {table('shipments.Shipment')} WHERE consignee_id = %s", (partner,)),
            ]
        )
        url = f"/partners/{partner}/"
        entries.append(Entry("partner page (hub)", "hub", lambda url=url: ctx.get(url), floor, url))
    return entries


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
    return entries


def export_entry(ctx: Context) -> Entry:
    """The loan list as CSV, written in the request whatever its size (the background export is another path)."""
    url = "/exports/finance.loans.csv"

    def app() -> int:
        with override_settings(EXPORT_BACKGROUND_ROWS=10**9):
            return ctx.get(url)

    def floor(cursor) -> int:
        rows = fetch(
            cursor,
            f"SELECT l.*, b.name, p.code FROM {table('finance.Loan')} l "
            f"JOIN {table('partners.Organisation')} b ON b.id = l.borrower_id "
            f"JOIN {table('programs.Programme')} p ON p.id = l.programme_id ORDER BY l.created_at DESC",
        )
        return len(rows)

    return Entry("loan list export (CSV)", "export", app, floor, url)


def reminder_floor(today: datetime.date) -> Callable:
    """The set-based reminder run by hand: ONE anti-join select of the installments owed a reminder today (each
    stage's window of due dates without a log of its kind or a later one), then the bulk inserts of the log rows,
    the portal notifications and the outbox rows (one per contact)."""
    from cooperation.outbox.models import OutboxMessage
    from programs.finance import reminders

    def run(cursor) -> int:
        current = reminders.stages(today)
        logs, installments = table("finance.ReminderLog"), table("finance.Installment")
        windows, params = [], []
        for stage in current:
            later = reminders.kinds_from(stage.kind)
            windows.append(
                f"(i.due_date BETWEEN %s AND %s AND NOT EXISTS (SELECT 1 FROM {logs} r WHERE r.installment_id = i.id "
                f"AND r.kind IN ({', '.join(['%s'] * len(later))})))"
            )
            params += [stage.first_due, stage.last_due, *later]
        due = fetch(
            cursor,
            f"SELECT i.id, i.due_date, i.loan_id, l.borrower_id, l.reference FROM {installments} i "
            f"JOIN {table('finance.Loan')} l ON l.id = i.loan_id "
            f"WHERE i.due_date BETWEEN %s AND %s AND l.status = 'disbursed' "
            f"AND (i.principal_paid < i.principal_due OR i.interest_paid < i.interest_due) "
            f"AND ({' OR '.join(windows)})",
            [current[-1].first_due, current[0].last_due, *params],
        )
        if not due:
            return 0
        now, run_id = timezone.now(), uuid.uuid4().hex if connection.vendor == "sqlite" else uuid.uuid4()
        kinds = {row[0]: reminders.stage_kind(row[1], today, current) for row in due}
        insert(
            cursor,
            f"INSERT INTO {logs} (installment_id, kind, created_at, run, run_on) VALUES (%s, %s, %s, %s, %s)",
            [(row[0], kinds[row[0]], now, run_id, today) for row in due],
        )
        borrowers = sorted({row[3] for row in due})
        contacts = fetch(
            cursor,
            f"SELECT organisation_id, email FROM {table('partners.Contact')} WHERE receives_reminders "
            f"AND is_active AND email <> '' AND organisation_id IN ({', '.join(['%s'] * len(borrowers))})",
            borrowers,
        )
        insert(
            cursor,
            f"INSERT INTO {table('partners.Notification')} (organisation_id, title, body, link, created_at) "
            f"VALUES (%s, %s, %s, %s, %s)",
            [(row[3], f"Reminder {row[4]}", "", "", now) for row in due],
        )
        by_borrower: dict = {}
        for organisation, email in contacts:
            by_borrower.setdefault(organisation, []).append(email)
        outbox = [
            (f"floor:{row[0]}:{kinds[row[0]]}:{email}:{run_id}", email, f"Reminder {row[4]}", "", now)
            for row in due
            for email in by_borrower.get(row[3], [])
        ]
        insert(
            cursor,
            f"INSERT INTO {OutboxMessage._meta.db_table} (kind, dedupe_key, recipient, reply_to, subject, body, "
            f"language, sensitive, status, attempts, next_attempt_at, last_error, created_at) "
            f"VALUES ('floor', %s, %s, '', %s, %s, 'en', FALSE, 'pending', 0, %s, '', %s)",
            [(key, email, subject, body, when, when) for key, email, subject, body, when in outbox],
        )
        return len(due)

    return run


def reminder_entry(today: datetime.date) -> Entry:
    from programs.finance.reminders import send_due_reminders

    def app() -> int:
        return len(send_due_reminders(today=today))

    return Entry(
        f"loan reminders run ({today.isoformat()})",
        "job",
        app,
        reminder_floor(today),
        note="rolled back after each round",
        rolled_back=True,
    )


def rolled_back(function: Callable, *args):
    """``function(*args)`` in a transaction (a savepoint inside one) that is rolled back whatever it wrote."""
    result = None
    with transaction.atomic():
        result = function(*args)
        transaction.set_rollback(True)
    return result


def reminder_day(cursor) -> datetime.date:
    """A day with reminders to send: today, unless today has none, then the due date owed most reminders."""
    from programs.finance import reminders

    today = datetime.date.today()
    with transaction.atomic():
        count = reminders.due_installments(today).count()
        transaction.set_rollback(True)
    if count:
        return today
    row = fetch(
        cursor,
        f"SELECT i.due_date FROM {table('finance.Installment')} i JOIN {table('finance.Loan')} l ON l.id = i.loan_id "
        f"WHERE l.status = 'disbursed' AND i.principal_paid < i.principal_due GROUP BY i.due_date "
        f"ORDER BY count(*) DESC LIMIT 1",
    )
    return (row[0][0] + datetime.timedelta(days=1)) if row else today


def all_entries(ctx: Context, cursor) -> list[Entry]:
    return [
        *list_entries(ctx, cursor),
        *record_entries(ctx, cursor),
        *dashboard_entries(ctx, cursor),
        export_entry(ctx),
        reminder_entry(reminder_day(cursor)),
    ]
