"""The manager dashboard's loan portfolio: figures per currency, PAR30/PAR90, and the monthly repayment chart."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.finance.selectors import CurrencyMonths, MonthAmounts
from programs.reporting.finance import repayment_chart
from tests.factories import currency
from tests.programs.finance.factories import disbursed_loan, recorded_repayment

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def portfolio(today):
    """USD: one loan 66 days late (only its first installment paid) and one not yet due; JPY: one current loan."""
    late = disbursed_loan(principal=Decimal("12000.00"))
    first = late.schedule.get(number=1)
    recorded_repayment(late, first.total_due, paid_on=datetime.date(2026, 2, 15))
    recorded_repayment(late, "100.00", paid_on=datetime.date(2026, 5, 5))
    current = disbursed_loan(
        principal=Decimal("6000.00"),
        disbursement_date=datetime.date(2026, 5, 1),
        first_repayment_date=datetime.date(2026, 6, 1),
    )
    yen = disbursed_loan(
        principal=Decimal("1000000"),
        currency=currency("JPY"),
        annual_rate=Decimal("0"),
        installments=10,
        disbursement_date=datetime.date(2026, 5, 1),
        first_repayment_date=datetime.date(2026, 6, 10),
    )
    return late, current, yen


def _row(response, code):
    [row] = [row for row in response.context["finance"]["portfolio"] if row.currency.code == code]
    return row


def test_dashboard_shows_the_portfolio_per_currency(client, manager, portfolio):
    late, current, yen = portfolio
    client.force_login(manager)

    response = client.get(reverse("reporting:dashboard"))

    assert response.status_code == 200
    html = response.content.decode()
    usd = _row(response, "USD")
    first = late.schedule.get(number=1)
    # 100.00 of May's payment went to the second installment's interest and principal.
    late_outstanding = Decimal("12000.00") - first.principal_due - late.schedule.get(number=2).principal_paid
    assert usd.outstanding_principal == late_outstanding + Decimal("6000.00")
    assert usd.disbursed == Decimal("18000.00")
    assert usd.collected_this_month == Decimal("100.00")
    unpaid_late = [late.schedule.get(number=n).outstanding for n in (2, 3, 4)]
    assert usd.overdue == sum(unpaid_late)
    june = late.schedule.get(number=5).total_due + current.schedule.get(number=1).total_due
    assert usd.due_next_30_days == june
    assert usd.at_risk_30 == late_outstanding
    assert usd.at_risk_90 == 0
    par30 = (100 * late_outstanding / usd.outstanding_principal).quantize(Decimal("0.01"))
    assert f"{par30}%" in html
    assert "0.00%" in html  # PAR90
    assert "USD 18,000.00" in html
    assert "USD 100.00" in html

    jpy = _row(response, "JPY")
    assert jpy.outstanding_principal == Decimal("1000000")
    assert "JPY 1,000,000" in html and "JPY 1,000,000.00" not in html
    assert jpy.par30 == 0


def test_monthly_chart_per_currency_with_a_table_alternative(client, manager, portfolio):
    late, _, _ = portfolio
    client.force_login(manager)

    response = client.get(reverse("reporting:dashboard"))

    html = response.content.decode()
    charts = {chart.currency.code: chart for chart in response.context["finance"]["charts"]}
    # Nothing of the yen loan fell due or was paid yet: it has no chart.
    assert set(charts) == {"USD"}
    usd = charts["USD"]
    assert [column.month for column in usd.columns][0] == datetime.date(2025, 6, 1)
    assert [column.month for column in usd.columns][-1] == datetime.date(2026, 5, 1)
    february = usd.columns[8]
    assert february.full_label == "February 2026"
    first = late.schedule.get(number=1).total_due
    assert february.expected == february.received == first
    may = usd.columns[11]
    assert may.received == Decimal("100.00")
    assert may.expected == late.schedule.get(number=4).total_due
    assert '<title id="chart-repayments-usd-title">Repayments expected and received, USD</title>' in html
    assert f'<td class="num" data-label="Expected">USD {first:,.2f}</td>' in html
    # Inline SVG only: nothing for a browser to fetch or run.
    section = html.split('id="finance"')[1].split('aria-labelledby="updates-heading"')[0]
    assert "<svg" in section and "<script" not in section


def test_auditor_sees_the_portfolio(client, auditor, portfolio):
    client.force_login(auditor)
    response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    assert 'id="loan-portfolio"' in response.content.decode()


def test_no_loans_says_so(client, manager, today):
    client.force_login(manager)
    response = client.get(reverse("reporting:dashboard"))
    assert response.context["finance"]["portfolio"] == []
    assert "No loans to show." in response.content.decode()


def test_dashboard_queries_do_not_grow_with_the_number_of_loans(client, manager, today):
    def make(count):
        for index in range(count):
            loan = disbursed_loan(principal=Decimal("1200.00"), currency=currency("EUR" if index % 2 else "USD"))
            recorded_repayment(loan, "10.00", paid_on=datetime.date(2026, 3, 1))

    client.force_login(manager)
    make(5)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reporting:dashboard"))
    make(45)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reporting:dashboard"))
    assert sum(row.active_loans for row in response.context["finance"]["portfolio"]) == 50
    assert len(many.captured_queries) == len(few.captured_queries)


def test_chart_bars_scale_to_the_largest_amount():
    months = [
        MonthAmounts(datetime.date(2026, 1, 1), Decimal("1000.00"), Decimal("0")),
        MonthAmounts(datetime.date(2026, 2, 1), Decimal("500.00"), Decimal("0.01")),
        MonthAmounts(datetime.date(2026, 3, 1), Decimal("0"), Decimal("1000.00")),
    ]
    chart = repayment_chart(CurrencyMonths(currency=currency("USD"), months=months), plot_height=100)

    january, february, march = chart.columns
    assert january.expected_height == 100 and january.received_height == 0
    assert february.expected_height == 50
    assert february.received_height == 1.0  # a tiny amount stays visible
    assert march.received_height == 100
    assert january.expected_y == chart.baseline_y - 100
    assert january.year_label == "2026" and february.year_label == ""
    assert chart.scale_display == "USD 1,000.00"
    assert february.received_x == february.expected_x + chart.bar_width
