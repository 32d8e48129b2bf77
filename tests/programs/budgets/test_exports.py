"""The budget lists as files: each line's budget, committed, spent and remaining in its currency, and the
expenditures with the list's filters or of one programme's budget page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.money_flows import Category, Stage
from tests.cooperation.reference.rates import rate
from tests.factories import OrganisationFactory, ProgrammeFactory, currency
from tests.programs.budgets.factories import BudgetLineFactory, ExpenditureFactory, flow, flows  # noqa: F401
from tests.programs.export_sheets import export_queries, export_url, exported

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rates(settings):
    settings.REPORTING_CURRENCY = "USD"
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 400


@pytest.fixture
def budget(own_programme, flows):
    """A USD line over budget (1,000 budgeted, 1,200 spent, 50 committed) and a yen line, on OWN-001."""
    line = BudgetLineFactory(programme=own_programme, amount=Decimal("1000"), description="Trainers")
    BudgetLineFactory(
        programme=own_programme,
        amount=Decimal("150000"),
        currency=currency("JPY"),
        category=Category.TRAVEL,
        period_start=datetime.date(2026, 7, 1),
        period_end=datetime.date(2026, 12, 31),
    )
    rate(datetime.date(2026, 7, 1), "JPY", "USD", "0.0065")
    ExpenditureFactory(programme=own_programme, amount=Decimal("1200"), budget_line=line, reference="INV-1")
    flows.append(flow(own_programme, Category.TECHNICAL, Stage.COMMITTED, datetime.date(2026, 4, 1), "USD", "50"))
    return line


def test_budget_lines_export_has_each_figure_in_its_currency(client, officer, own_programme, budget):
    client.force_login(officer)

    header, rows = exported(client, "budgets.lines", {"programme": own_programme.pk})

    assert header[:4] == ("Programme", "Period start", "Period end", "Category")
    usd, jpy = rows
    assert usd["Programme"] == "OWN-001" and usd["Description"] == "Trainers"
    assert usd["Period start"] == datetime.datetime(2026, 1, 1)
    assert (usd["Budget"], usd["Committed"], usd["Spent"], usd["Remaining"]) == (1000, 50, 1200, -200)
    assert usd["Currency"] == "USD"
    for amount in ("Budget", "Committed", "Spent", "Remaining"):
        assert header[header.index(amount) + 1] == "Currency"
    assert usd["Burn rate (%)"] == 120
    assert usd["Over budget"] == "Yes"
    assert (jpy["Budget"], jpy["Currency"], jpy["Spent"]) == (150000, "JPY", 0)
    assert jpy["Budget in the reporting currency"] == 975
    assert jpy["Reporting currency"] == "USD"


def test_budget_lines_export_covers_one_programme_or_all(client, officer, own_programme, budget):
    BudgetLineFactory(programme=ProgrammeFactory(code="ZZZ-9"))
    client.force_login(officer)

    _, one = exported(client, "budgets.lines", {"programme": own_programme.pk})
    _, every = exported(client, "budgets.lines")

    assert {row["Programme"] for row in one} == {"OWN-001"}
    assert [row["Programme"] for row in every] == ["OWN-001", "OWN-001", "ZZZ-9"]


def test_expenditures_export_follows_the_lists_filters(client, officer, own_programme, budget):
    paid = OrganisationFactory(name="Hotel Partner")
    ExpenditureFactory(programme=own_programme, payee_organisation=paid, amount=Decimal("75.50"), reference="INV-2")
    client.force_login(officer)

    header, rows = exported(client, "budgets.expenditures")
    _, to_partner = exported(client, "budgets.expenditures", {"payee": paid.pk})

    assert header[:3] == ("Spent on", "Programme", "Payee")
    assert {row["Reference"] for row in rows} == {"INV-1", "INV-2"}
    first = next(row for row in rows if row["Reference"] == "INV-1")
    assert first["Spent on"] == datetime.datetime(2026, 3, 10)
    assert first["Amount"] == 1200 and first["Currency"] == "USD"
    assert first["Receipt"] == "No"
    assert "2026-01-01" in first["Budget line"]
    assert [(row["Reference"], row["Amount"], row["Payee partner"]) for row in to_partner] == [
        ("INV-2", 75.5, "Hotel Partner")
    ]


def test_expenditures_export_of_one_programme(client, officer, own_programme, budget):
    ExpenditureFactory(programme=ProgrammeFactory(code="ZZZ-9"), reference="ELSEWHERE")
    client.force_login(officer)

    _, rows = exported(client, "budgets.expenditures", {"programme": own_programme.pk})
    _, missing = exported(client, "budgets.expenditures", {"receipt": "missing"})

    assert [row["Reference"] for row in rows] == ["INV-1"]
    assert {row["Reference"] for row in missing} == {"INV-1", "ELSEWHERE"}  # paid long ago, no receipt


def test_the_pages_offer_the_exports(client, officer, own_programme, budget):
    client.force_login(officer)

    page = client.get(reverse("budgets:programme", args=[own_programme.pk])).content.decode()
    listing = client.get(reverse("budgets:expenditure_list"), {"receipt": "missing"}).content.decode()

    assert f'href="{export_url("budgets.lines")}?programme={own_programme.pk}"' in page
    assert f'href="{export_url("budgets.expenditures", "csv")}?programme={own_programme.pk}"' in page
    assert f'href="{export_url("budgets.expenditures")}?receipt=missing"' in listing


@pytest.mark.parametrize("source", ["budgets.lines", "budgets.expenditures"])
def test_partner_users_cannot_export_budgets(client, partner_user, source):
    client.force_login(partner_user)

    assert client.get(export_url(source)).status_code == 403


@pytest.mark.parametrize("role", ["manager", "auditor", "admin_user"])
def test_staff_export_the_budgets(client, request, own_programme, budget, role):
    client.force_login(request.getfixturevalue(role))

    assert len(exported(client, "budgets.lines")[1]) == 2
    assert len(exported(client, "budgets.expenditures")[1]) == 1


def test_who_recorded_an_expenditure_needs_personal_data_rights(client, officer, auditor, budget):
    client.force_login(officer)
    assert "Recorded by" in exported(client, "budgets.expenditures")[0]
    client.force_login(auditor)
    assert "Recorded by" not in exported(client, "budgets.expenditures")[0]


@pytest.mark.parametrize("source", ["budgets.lines", "budgets.expenditures"])
def test_budget_exports_cost_the_same_for_2_and_8_rows(client, officer, flows, source):
    client.force_login(officer)

    def rows(count):
        for number in range(count):
            programme = ProgrammeFactory()
            line = BudgetLineFactory(programme=programme, currency=currency("EUR" if number % 2 else "USD"))
            ExpenditureFactory(programme=programme, budget_line=line, payee_organisation=OrganisationFactory())

    rows(2)
    few = export_queries(client, source)
    rows(6)

    assert export_queries(client, source) == few
