"""The dashboard exports every table and chart it shows, a sheet each, narrowed by its filters, to those who may
open it."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Objective, Programme
from tests.cooperation.reference.rates import rate
from tests.programs.reporting.test_dashboard_filters import _programme

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 15)
SOURCE = "reporting.dashboard"

HEADINGS = [
    "Key figures",
    "Total budget by currency",
    "Programmes by form of cooperation",
    "Programmes by status",
    "Programmes by recipient country",
    "Loan portfolio",
    "Repayments expected and received",
    "Shipments by status",
    "In transit",
    "On-time arrivals",
    "Discrepancy rate",
    "Delivered value by destination country",
    "Delayed shipments",
    "Applications and awards per call",
    "Scholars by status",
    "Scholars by gender",
    "Scholars by nationality",
    "Stipends paid against scheduled",
    "Participants reached by activity kind",
    "Participants by activity kind and gender",
    "Indicators by progress",
    "Progress by cooperation goal",
    "Budgets by programme",
    "Budgets and actuals by currency",
    "Budgets and actuals in the reporting currency",
    "Budget lines over budget",
    "Latest programme updates",
]


def sheet(heading: str) -> str:
    """The heading as a sheet title, which stops at 31 characters."""
    return heading[:31].rstrip()


# Sheets of amounts whose first column is the currency (the small portfolio fills each of them).
MONEY_SHEETS = (
    "Total budget by currency",
    "Loan portfolio",
    "Repayments expected and received",
    "In transit",
    "Stipends paid against scheduled",
    "Budgets and actuals by currency",
)


@pytest.fixture(autouse=True)
def _today_and_rates(monkeypatch, settings):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    settings.REPORTING_CURRENCY = "USD"
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 800
    rate(datetime.date(2025, 1, 1), "EUR", "USD", "1.10")


@pytest.fixture
def two_programmes():
    """ALPHA-1 in Indonesia, in USD, in 2026; BETA-1 in the Philippines, in EUR, in 2025."""
    return (
        _programme("ALPHA-1", country_code="ID", money="USD", year=2026, objective=Objective.DEVELOPMENT),
        _programme("BETA-1", country_code="PH", money="EUR", year=2025, objective=Objective.HUMANITARIAN_AID),
    )


def _export(client, user, file_format="xlsx", **params):
    client.force_login(user)
    return client.get(reverse("exports:export", args=[SOURCE, file_format]), params)


def _content(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _workbook(response):
    assert response.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(_content(response)))


def _rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def _records(sheet) -> list[dict]:
    header, *rows = _rows(sheet)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_the_workbook_has_a_sheet_per_table_and_chart_with_headers(client, manager, two_programmes):
    workbook = _workbook(_export(client, manager))

    assert workbook.sheetnames == [sheet(heading) for heading in HEADINGS]
    for worksheet in workbook.worksheets:
        header = _rows(worksheet)[0]
        assert header and all(header), worksheet.title
    figures = {row["Figure"]: row["Value"] for row in _records(workbook["Key figures"])}
    assert figures["Programmes"] == 2 and figures["Shipments"] == 2 and figures["Scholarship calls"] == 2
    by_country = {row["Country"]: row["Programmes"] for row in _records(workbook["Programmes by recipient country"])}
    assert by_country == {"Indonesia": 1, "Philippines (the)": 1}
    repayments = _records(workbook[sheet("Repayments expected and received")])
    assert isinstance(repayments[0]["Month"], datetime.datetime) and isinstance(repayments[0]["Expected"], float)
    in_transit = _records(workbook["In transit"])
    assert in_transit == [{"Currency": "EUR", "Value": 3000}, {"Currency": "USD", "Value": 3000}]
    calls = _records(workbook[sheet("Applications and awards per call")])
    assert sorted(row["Applications"] for row in calls) == [1, 1]
    updates = _records(workbook["Latest programme updates"])
    assert {row["Title"] for row in updates} == {"News from ALPHA-1", "News from BETA-1"}
    assert all(isinstance(row["Reported on"], datetime.datetime) for row in updates)
    budgets = _records(workbook["Budgets by programme"])
    assert [row["Programme"] for row in budgets] == ["ALPHA-1", "BETA-1"]
    # In the reporting currency: BETA-1's EUR 10,000 at 1.10.
    assert [(row["Budget"], row["Spent"], row["Currency"]) for row in budgets] == [
        (10000, 100, "USD"),
        (11000, 110, "USD"),
    ]


def test_the_loan_portfolio_holds_the_figures_the_page_shows(client, manager, two_programmes):
    client.force_login(manager)
    page = client.get(reverse("reporting:dashboard"))
    shown = {row.currency.code: row for row in page.context["finance"]["portfolio"]}

    exported = {row["Currency"]: row for row in _records(_workbook(_export(client, manager))["Loan portfolio"])}

    assert sorted(exported) == sorted(shown) == ["EUR", "USD"]
    for code, row in shown.items():
        assert Decimal(str(exported[code]["Outstanding principal"])) == row.outstanding_principal
        assert Decimal(str(exported[code]["Disbursed"])) == row.disbursed == Decimal("12000.00")
        assert Decimal(str(exported[code]["Overdue"])) == row.overdue
        assert Decimal(str(exported[code]["PAR30 (%)"])) == row.par30
        assert Decimal(str(exported[code]["PAR90 (%)"])) == row.par90
        assert exported[code]["Active loans"] == row.active_loans == 1


def test_a_currency_leaves_only_its_rows_in_the_money_sheets(client, manager, two_programmes):
    workbook = _workbook(_export(client, manager, currency="USD"))

    for title in MONEY_SHEETS:
        rows = _rows(workbook[sheet(title)])[1:]
        assert rows, title
        assert {row[0] for row in rows} == {"USD"}, title
    assert [row["Programme"] for row in _records(workbook["Budgets by programme"])] == ["ALPHA-1"]
    figures = {row["Figure"]: row["Value"] for row in _records(workbook["Key figures"])}
    assert figures["Programmes"] == 1


def test_a_period_counts_what_was_disbursed_within_it_as_on_the_page(client, manager, two_programmes):
    workbook = _workbook(_export(client, manager, period_start="2026-01-01", period_end="2026-06-30"))

    portfolio = {row["Currency"]: row for row in _records(workbook["Loan portfolio"])}
    assert portfolio["USD"]["Disbursed in the period"] == 12000
    assert portfolio["EUR"]["Disbursed in the period"] == 0  # BETA-1's loan was disbursed in 2025
    months = [row["Month"].date() for row in _records(workbook[sheet("Repayments expected and received")])]
    assert min(months) == datetime.date(2026, 1, 1) and max(months) == datetime.date(2026, 6, 1)


def test_an_invalid_filter_leaves_the_figures_whole_as_on_the_page(client, manager, two_programmes):
    workbook = _workbook(_export(client, manager, currency="XXX"))

    codes = [row["Currency"] for row in _records(workbook["Loan portfolio"])]
    assert codes == ["EUR", "USD"]


def test_the_csv_holds_each_table_under_its_title(client, manager, two_programmes):
    response = _export(client, manager, "csv", country="PH")

    assert response.status_code == 200
    text = _content(response).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    titles = {row[0] for row in rows if len(row) == 1}
    for title in ("Key figures", "Loan portfolio", "Programmes by form of cooperation", "Latest programme updates"):
        assert title in titles
    portfolio = rows.index(["Loan portfolio"])
    assert rows[portfolio + 1][:3] == ["Currency", "Outstanding principal", "Disbursed"]
    assert rows[portfolio + 2][0] == "EUR" and rows[portfolio + 3] == []  # only BETA-1's loan, then a blank line
    assert "News from BETA-1" in text and "News from ALPHA-1" not in text


def test_the_buttons_carry_the_dashboards_filters(client, manager, two_programmes):
    client.force_login(manager)
    html = client.get(reverse("reporting:dashboard"), {"currency": "USD", "period": "this_year"}).content.decode()

    assert "Export every table of this dashboard:" in html
    xlsx = reverse("exports:export", args=[SOURCE, "xlsx"])
    assert f'href="{xlsx}?currency=USD&amp;period=this_year"' in html


@pytest.mark.parametrize(("role", "status"), [("partner_user", 403), ("officer", 403), ("auditor", 200)])
def test_the_export_is_for_those_who_may_open_the_dashboard(client, request, two_programmes, role, status):
    user = request.getfixturevalue(role)
    client.force_login(user)

    assert client.get(reverse("reporting:dashboard")).status_code == status
    assert _export(client, user).status_code == status
    assert _export(client, user, "csv").status_code == status


def test_the_query_count_is_the_same_for_3_and_12_programmes(client, manager):
    params = {"country": "ID", "currency": "USD", "period": "this_year"}

    def queries(count: int) -> int:
        start = Programme.objects.count()
        for index in range(start, start + count):
            _programme(
                f"Q-{index}",
                country_code=("ID", "PH")[index % 2],
                money=("USD", "EUR")[index % 2],
                year=2026,
                objective=Objective.DEVELOPMENT,
            )
        _export(client, manager, **params)  # fixes the rates of the new dates
        with CaptureQueriesContext(connection) as captured:
            response = _export(client, manager, **params)
        _workbook(response)
        return len(captured)

    assert queries(3) == queries(9)
