"""Budget lines, expenditures, receipts and the budget summary over the API."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from cooperation.money_flows import Category
from programs.budgets.models import BudgetLine, Expenditure
from tests.api_errors import error_codes
from tests.programs.budgets.factories import BudgetLineFactory, ExpenditureFactory, flows  # noqa: F401
from tests.programs.budgets.test_services import PNG

pytestmark = pytest.mark.django_db

LINES = "/api/v1/budget-lines/"
EXPENDITURES = "/api/v1/expenditures/"


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def line_body(programme, **changes) -> dict:
    return {
        "programme": programme.pk,
        "category": "staff",
        "period_start": "2026-01-01",
        "period_end": "2026-12-31",
        "amount": "5000.00",
        "currency": "USD",
    } | changes


def test_an_officer_adds_and_revises_a_line(own_programme, officer):
    api = as_user(officer)

    created = api.post(LINES, line_body(own_programme), format="json")
    assert created.status_code == 201, created.content
    assert (created.json()["amount"], created.json()["budget_type"]) == ("5000.00", 1)
    url = f"{LINES}{created.json()['id']}/"

    refused = api.patch(url, {"amount": "7000"}, format="json")
    assert error_codes(refused) == {"reason": ["reason_required"]}
    revised = api.patch(url, {"amount": "7000", "budget_type": 2, "reason": "New district"}, format="json")
    assert revised.status_code == 200, revised.content
    line = BudgetLine.objects.get()
    assert line.amount == Decimal("7000")
    assert line.history.order_by("-history_date").first().history_change_reason == "New district"


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"amount": "-1"}, "amount", "negative_amount"),
        ({"period_end": "2025-01-01"}, "period_end", "period_ends_before_start"),
        ({"currency": "XXX"}, "currency", "does_not_exist"),
        ({"amount": "1e30"}, "amount", "max_digits"),
        ({"category": "bribes"}, "category", "invalid_choice"),
    ],
)
def test_a_bad_line_is_a_400_beside_its_field(own_programme, officer, changes, field, code):
    response = as_user(officer).post(LINES, line_body(own_programme, **changes), format="json")

    assert response.status_code == 400
    assert code in error_codes(response)[field]
    assert not BudgetLine.objects.exists()


def test_partner_users_and_auditors_write_nothing(own_programme, partner_user, auditor):
    line = BudgetLineFactory(programme=own_programme)

    assert as_user(partner_user).get(f"{LINES}{line.pk}/").status_code == 404
    assert as_user(partner_user).post(LINES, line_body(own_programme), format="json").status_code == 403
    assert as_user(auditor).get(f"{LINES}{line.pk}/").status_code == 200
    assert as_user(auditor).post(LINES, line_body(own_programme), format="json").status_code == 403
    assert as_user(auditor).patch(f"{LINES}{line.pk}/", {"description": "x"}, format="json").status_code == 403


def test_lines_filter_by_programme(own_programme, foreign_programme, officer):
    own = BudgetLineFactory(programme=own_programme)
    BudgetLineFactory(programme=foreign_programme)

    response = as_user(officer).get(LINES, {"programme": own_programme.pk})

    assert [row["id"] for row in response.json()["results"]] == [own.pk]


def test_an_expenditure_against_another_programmes_line_is_a_400(own_programme, foreign_programme, officer):
    other = BudgetLineFactory(programme=foreign_programme, category=Category.TRAVEL)
    body = {
        "programme": own_programme.pk,
        "budget_line": other.pk,
        "spent_on": "2026-03-01",
        "amount": "10",
        "currency": "USD",
        "category": "travel",
        "payee": "Airline",
    }

    response = as_user(officer).post(EXPENDITURES, body, format="json")

    assert error_codes(response) == {"budget_line": ["line_of_another_programme"]}
    assert not Expenditure.objects.exists()


def test_a_receipt_is_sent_after_the_expenditure(own_programme, officer):
    expenditure = ExpenditureFactory(programme=own_programme)
    api = as_user(officer)
    url = f"{EXPENDITURES}{expenditure.pk}/receipt/"

    bad = api.post(url, {"receipt": SimpleUploadedFile("a.png", b"text", "image/png")}, format="multipart")
    assert error_codes(bad) == {"receipt": ["invalid_file"]}
    good = api.post(url, {"receipt": SimpleUploadedFile("a.png", PNG, "image/png")}, format="multipart")

    assert good.status_code == 200, good.content
    assert (good.json()["has_receipt"], good.json()["receipt_name"]) == (True, "a.png")


def test_the_summary_gives_each_line_against_its_actuals(own_programme, flows, officer, partner_user, settings):
    settings.REPORTING_CURRENCY = "USD"
    line = BudgetLineFactory(programme=own_programme, amount=Decimal("1000"))
    ExpenditureFactory(programme=own_programme, amount=Decimal("250"), spent_on=datetime.date(2026, 2, 1))
    url = f"/api/v1/programmes/{own_programme.pk}/budget/"

    response = as_user(officer).get(url)

    assert response.status_code == 200, response.content
    figures = response.json()["lines"][0]
    assert (figures["line"], figures["actual"], figures["remaining"], figures["burn_rate"]) == (
        line.pk,
        "250.0000",
        "750.0000",
        "25.0",
    )
    assert figures["actual_total"]["reporting"] == "250.0000"
    assert as_user(partner_user).get(url).status_code == 404
    assert as_user(officer).get("/api/v1/programmes/99999/budget/").status_code == 404
