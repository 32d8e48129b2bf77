"""The dashboard's filters narrow every section: two programmes in two countries, with loans, shipments, stipends
and budgets in USD and EUR, and the figures each filter leaves on the page."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.models import Objective
from programs.shipments.models import ShipmentStatus
from tests.cooperation.reference.rates import rate
from tests.factories import ProgrammeFactory, ProgrammeObjectiveFactory, ProgrammeUpdateFactory, country, currency
from tests.programs.budgets.factories import BudgetLineFactory, ExpenditureFactory
from tests.programs.finance.factories import disbursed_loan
from tests.programs.scholarships.factories import (
    ApplicationFactory,
    CallFactory,
    ExchangeActivityFactory,
    StipendTrancheFactory,
)
from tests.programs.shipments.factories import ShipmentFactory, ShipmentItemFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 7, 15)
URL = "reporting:dashboard"


@pytest.fixture(autouse=True)
def _today_and_rates(monkeypatch, settings):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    settings.REPORTING_CURRENCY = "USD"
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 800
    rate(datetime.date(2025, 1, 1), "EUR", "USD", "1.10")


def _programme(code: str, *, country_code: str, money: str, year: int, objective: Objective):
    """A programme of every form in one country, budgeted in ``money``, planned for ``year``, with a loan, a
    shipment, a call with one stipend, an activity, a budget line and an update, all in ``money`` and ``year``."""
    programme = ProgrammeFactory(
        code=code,
        is_financial=True,
        is_in_kind=True,
        is_cultural=True,
        budget_currency=currency(money),
        planned_start=datetime.date(year, 1, 1),
        planned_end=datetime.date(year, 12, 31),
        countries=[country_code],
    )
    ProgrammeObjectiveFactory(programme=programme, objective=objective)
    disbursed_loan(
        programme=programme,
        currency=currency(money),
        principal=Decimal("12000.00"),
        disbursement_date=datetime.date(year, 3, 2),
        first_repayment_date=datetime.date(year, 4, 2),
    )
    shipment = ShipmentFactory(
        programme=programme,
        status=ShipmentStatus.DISPATCHED,
        planned_dispatch=datetime.date(year, 3, 1),
        dispatched_on=datetime.date(year, 3, 10),
        expected_arrival=datetime.date(2027, 1, 1),
        destination_country=country(country_code),
    )
    ShipmentItemFactory(shipment=shipment, currency=currency(money), unit_value=Decimal("30.00"))
    call = CallFactory(
        programme=programme,
        stipend_currency=currency(money),
        opens_on=datetime.date(year, 2, 1),
        closes_on=datetime.date(year, 3, 31),
    )
    application = ApplicationFactory(call=call, submitted_on=datetime.date(year, 3, 1))
    StipendTrancheFactory(application=application, currency=currency(money), due_on=datetime.date(year, 4, 1))
    ExchangeActivityFactory(
        programme=programme, starts_on=datetime.date(year, 5, 4), ends_on=datetime.date(year, 5, 8), women=3
    )
    BudgetLineFactory(
        programme=programme,
        currency=currency(money),
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
    )
    ExpenditureFactory(programme=programme, currency=currency(money), spent_on=datetime.date(year, 3, 10))
    ProgrammeUpdateFactory(programme=programme, title=f"News from {code}", reported_on=datetime.date(year, 6, 1))
    return programme


@pytest.fixture
def two_programmes():
    """ALPHA-1 in Indonesia, in USD, in 2026; BETA-1 in the Philippines, in EUR, in 2025 (with one USD loan)."""
    alpha = _programme("ALPHA-1", country_code="ID", money="USD", year=2026, objective=Objective.DEVELOPMENT)
    beta = _programme("BETA-1", country_code="PH", money="EUR", year=2025, objective=Objective.HUMANITARIAN_AID)
    disbursed_loan(
        programme=beta,
        principal=Decimal("5000.00"),
        disbursement_date=datetime.date(2025, 6, 2),
        first_repayment_date=datetime.date(2025, 7, 2),
    )
    return alpha, beta


def _get(client, user, **params):
    client.force_login(user)
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    return response


def _codes(rows) -> list[str]:
    return sorted(row.currency.code for row in rows)


def _figures(response) -> dict:
    """What each section shows, read from the values its template renders."""
    context = response.context
    portfolio = {row.currency.code: row for row in context["finance"]["portfolio"]}
    shipments = context["shipments"]["figures"]
    scholarships = context["scholarships"]["figures"]
    overview = context["budget_actuals"]["overview"]
    return {
        "programmes": context["total"],
        "budget_currencies": _codes(context["budgets"]),
        "loan_currencies": sorted(portfolio),
        "disbursed": {code: row.disbursed for code, row in portfolio.items()},
        "shipment_currencies": _codes(shipments.in_transit_value),
        "shipments": context["shipments"]["total"],
        "calls": scholarships.call_count,
        "applications": scholarships.application_count,
        "stipend_currencies": _codes(scholarships.stipends),
        "participants": scholarships.participants_total,
        "budgeted_programmes": [budget.programme.code for budget in overview.budgets],
        "budget_line_currencies": sorted(overview.overall.budget_total.per_currency),
        "spent_currencies": sorted(overview.overall.actual_total.per_currency),
        "updates": [update.title for update in context["updates"]],
    }


def _narrowed(html: str, section: str) -> str | None:
    marker = f'id="{section}-narrowed">'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split("</p>", 1)[0]


SECTIONS = ("programmes", "finance", "shipments", "scholarships", "results", "budgets", "updates")


def test_unfiltered_the_dashboard_shows_both_programmes(client, manager, two_programmes):
    response = _get(client, manager)
    figures = _figures(response)
    assert figures["programmes"] == 2
    assert figures["loan_currencies"] == ["EUR", "USD"]
    assert figures["shipment_currencies"] == ["EUR", "USD"]
    assert figures["stipend_currencies"] == ["EUR", "USD"]
    assert figures["budgeted_programmes"] == ["ALPHA-1", "BETA-1"]
    html = response.content.decode()
    assert all(_narrowed(html, section) is None for section in SECTIONS)
    assert 'id="clear-filters"' not in html


def test_currency_narrows_loans_shipments_stipends_and_budgets(client, manager, two_programmes):
    response = _get(client, manager, currency="USD")

    figures = _figures(response)
    assert figures["loan_currencies"] == ["USD"]
    assert figures["disbursed"] == {"USD": Decimal("17000.00")}  # ALPHA-1's loan and BETA-1's USD loan
    assert figures["shipment_currencies"] == ["USD"]
    assert figures["stipend_currencies"] == ["USD"]
    assert figures["calls"] == figures["applications"] == 1
    assert figures["budget_currencies"] == ["USD"]
    assert figures["budget_line_currencies"] == ["USD"] and figures["spent_currencies"] == ["USD"]
    assert figures["programmes"] == 1  # the programme figures count the programmes budgeted in USD
    html = response.content.decode()
    assert "EUR 12,000.00" not in html and "EUR 3,000.00" not in html
    assert _narrowed(html, "finance") == "Narrowed to: USD"
    assert _narrowed(html, "shipments") == "Narrowed to: USD"
    assert _narrowed(html, "budgets") == "Narrowed to: USD"
    assert _narrowed(html, "results") is None  # indicators carry no currency
    assert response.context["export_url"] == reverse("reporting:programmes_csv") + "?currency=USD"


def test_country_narrows_every_section(client, manager, two_programmes):
    response = _get(client, manager, country="PH")

    figures = _figures(response)
    assert figures["programmes"] == 1
    assert figures["budget_currencies"] == ["EUR"]
    assert figures["disbursed"] == {"EUR": Decimal("12000.00"), "USD": Decimal("5000.00")}
    assert figures["shipment_currencies"] == ["EUR"] and figures["shipments"] == 1
    assert figures["stipend_currencies"] == ["EUR"] and figures["calls"] == 1
    assert figures["participants"] == 3
    assert figures["budgeted_programmes"] == ["BETA-1"]
    assert figures["updates"] == ["News from BETA-1"]
    html = response.content.decode()
    narrowed = {section: _narrowed(html, section) for section in SECTIONS}
    assert narrowed == dict.fromkeys(SECTIONS, "Narrowed to: Philippines (the)")
    assert 'id="clear-filters"' in html and f'href="{reverse(URL)}"' in html
    assert "country=PH" in response.context["export_url"]


def test_programme_code_form_and_goal_narrow_to_one_programme(client, manager, two_programmes):
    for params in ({"programme": "alpha-1"}, {"objective": "development"}):
        figures = _figures(_get(client, manager, **params))
        assert figures["programmes"] == 1
        assert figures["loan_currencies"] == ["USD"] and figures["disbursed"] == {"USD": Decimal("12000.00")}
        assert figures["shipment_currencies"] == ["USD"]
        assert figures["stipend_currencies"] == ["USD"]
        assert figures["budgeted_programmes"] == ["ALPHA-1"]
        assert figures["updates"] == ["News from ALPHA-1"]

    response = _get(client, manager, programme="ALPHA-1", form="financial", objective="development")
    assert _narrowed(response.content.decode(), "results") == (
        "Narrowed to: Financial · Economic and social development · ALPHA-1"
    )
    export = response.context["export_url"]
    assert "form=financial" in export and "objective=development" in export and "ALPHA" not in export


def test_period_narrows_to_what_happened_within_it(client, manager, two_programmes):
    response = _get(client, manager, period_start="2026-01-01", period_end="2026-06-30")

    figures = _figures(response)
    assert figures["programmes"] == 1  # only ALPHA-1 is planned to run in the first half of 2026
    # BETA-1's loans still stand, but nothing of them was disbursed within the period.
    assert figures["disbursed"] == {"EUR": Decimal("0"), "USD": Decimal("12000.00")}
    assert figures["shipment_currencies"] == ["USD"] and figures["shipments"] == 1
    assert figures["calls"] == 1 and figures["stipend_currencies"] == ["USD"]
    assert figures["budgeted_programmes"] == ["ALPHA-1"]
    assert figures["updates"] == ["News from ALPHA-1"]
    charts = response.context["finance"]["charts"]
    assert [column.month for column in charts[0].columns][0] == datetime.date(2026, 1, 1)
    assert [column.month for column in charts[0].columns][-1] == datetime.date(2026, 6, 1)
    html = response.content.decode()
    assert "Disbursed in the period" in html and "Collected in the period" in html
    assert _narrowed(html, "shipments") == "Narrowed to: Jan. 1, 2026 to June 30, 2026"


def test_a_named_period_is_counted_from_today(client, manager, two_programmes):
    last_year = _figures(_get(client, manager, period="last_year"))
    assert last_year["budgeted_programmes"] == ["BETA-1"]
    assert last_year["shipment_currencies"] == ["EUR"]
    this_year = _figures(_get(client, manager, period="this_year", currency="USD"))
    assert this_year["disbursed"] == {"USD": Decimal("12000.00")}


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"currency": "XXX"}, "currency", "Select a valid choice."),
        ({"country": "ZZ"}, "country", "Select a valid choice."),
        ({"programme": "NOPE-1"}, "programme", "No programme you can see has this code."),
        ({"period_start": "2026-02-30"}, "period_start", "Enter a valid date."),
        ({"period_start": "2026-06-01", "period_end": "2026-01-01"}, "period_end", "The last day cannot be before"),
        ({"period": "this_year", "period_start": "2026-01-01"}, "period", "Choose “Dates below”"),
        ({"period": "custom"}, "period_start", "Give the first day, the last day or both."),
    ],
)
def test_an_invalid_value_is_shown_next_to_its_field_and_the_figures_stay_whole(
    client, manager, two_programmes, params, field, message
):
    response = _get(client, manager, **({"country": "PH"} | params))

    html = response.content.decode()
    field_html = html.split(f'id="field-{field}"', 1)[1].split('<div class="field', 1)[0]
    assert f'id="id_{field}_error"' in field_html and message in field_html
    figures = _figures(response)
    assert figures["programmes"] == 2
    assert figures["loan_currencies"] == ["EUR", "USD"]
    assert figures["budgeted_programmes"] == ["ALPHA-1", "BETA-1"]
    assert all(_narrowed(html, section) is None for section in SECTIONS)


def test_the_filters_stay_in_the_form(client, manager, two_programmes):
    html = _get(client, manager, country="PH", programme="beta-1", period="last_year").content.decode()
    assert '<option value="PH" selected>Philippines (the)</option>' in html
    assert 'name="programme" value="beta-1"' in html
    assert '<option value="last_year" selected>Last year</option>' in html


def test_the_filtered_query_count_is_the_same_for_3_and_15_programmes(client, manager):
    client.force_login(manager)
    params = {"country": "ID", "currency": "USD", "objective": "development", "period": "this_year"}

    def queries(count: int) -> int:
        start = ProgrammeFactory._meta.model.objects.count()
        for index in range(start, start + count):
            _programme(
                f"Q-{index}",
                country_code=("ID", "PH")[index % 2],
                money=("USD", "EUR")[index % 2],
                year=2026,
                objective=Objective.DEVELOPMENT,
            )
        client.get(reverse(URL), params)  # fixes the rates of the new dates
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(URL), params)
        assert response.context["total"] == len(range(0, start + count, 2))
        return len(captured)

    few = queries(3)
    assert queries(12) == few
