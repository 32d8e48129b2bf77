"""Arrears ageing: the active loans in arrears by days past due, per currency, on the dashboard and over the API,
equal to a count made installment by installment, scoped as the portfolio is and flat in queries."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.roles import Role
from programs.finance import selectors, services
from programs.finance.models import Installment, LoanStatus
from tests.factories import UserFactory, currency
from tests.programs.finance.factories import FinancialProgrammeFactory, disbursed_loan, recorded_repayment

pytestmark = pytest.mark.django_db

AGEING = "/api/v1/loans/ageing/"
# Midday in Jakarta, so the local date is this day.
NOW = datetime.datetime(2026, 9, 15, 5, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 9, 15)
BUCKETS = ((1, 30), (31, 60), (61, 90), (91, 180), (181, None))


@pytest.fixture(autouse=True)
def _on_the_day():
    cache.clear()  # the API's throttle counts
    with time_machine.travel(NOW, tick=False):
        yield


def late_loan(days: int, **terms):
    """An active monthly loan whose first installment fell due ``days`` days ago (in the future when negative) and
    nothing was paid: ``days`` days past due."""
    first_due = TODAY - datetime.timedelta(days=days)
    values = {
        "principal": Decimal("1200.00"),
        "installments": 6,
        "disbursement_date": first_due - datetime.timedelta(days=30),
        "first_repayment_date": first_due,
    }
    return disbursed_loan(**(values | terms))


def brute_force(loans) -> dict:
    """Per currency code and bucket: (loans, outstanding principal), from the installments one by one."""
    counted = defaultdict(lambda: {bucket: [0, Decimal(0)] for bucket in BUCKETS})
    for loan in loans:
        loan.refresh_from_db()
        if loan.status != LoanStatus.DISBURSED:
            continue
        schedule = list(Installment.objects.filter(loan=loan))
        unpaid = [item.due_date for item in schedule if item.outstanding > 0]
        if not unpaid or min(unpaid) >= TODAY:
            continue
        days = (TODAY - min(unpaid)).days
        for first, last in BUCKETS:
            if days >= first and (last is None or days <= last):
                cell = counted[loan.currency_id][(first, last)]
                cell[0] += 1
                cell[1] += sum(item.principal_due - item.principal_paid for item in schedule)
    return {code: {bucket: tuple(cell) for bucket, cell in buckets.items()} for code, buckets in counted.items()}


def as_dict(ageing) -> dict:
    return {
        row.currency.code: {
            (bucket.first_day, bucket.last_day): (bucket.loans, bucket.principal_outstanding) for bucket in row.buckets
        }
        for row in ageing
    }


@pytest.fixture
def book(partner_org):
    """Loans on each side of every bucket's edges, in two currencies, with a partly paid, a repaid and a written-off
    loan; the partner organisation borrows three of them."""
    loans = [late_loan(days) for days in (0, 1, 30, 31, 60, 61, 90, 91, 180, 181, 400, -10)]
    loans += [late_loan(days, currency=currency("EUR"), principal=Decimal("600.00")) for days in (15, 75, 200)]
    loans += [late_loan(days, borrower=partner_org) for days in (5, 45)]
    loans.append(late_loan(120, borrower=partner_org, currency=currency("EUR"), principal=Decimal("900.00")))
    # The first installment paid: only the second, due 30 or 31 days after it, counts.
    paid_first = late_loan(95)
    recorded_repayment(paid_first, paid_first.schedule.get(number=1).total_due, paid_on=TODAY)
    loans.append(paid_first)
    repaid = late_loan(50, principal=Decimal("300.00"), installments=3)
    recorded_repayment(repaid, str(sum(item.outstanding for item in repaid.schedule.all())), paid_on=TODAY)
    loans.append(repaid)
    written_off = late_loan(250)
    services.loan_write_off(loan=written_off, written_off_by=UserFactory(role=Role.MANAGER), reason="Bankrupt.")
    loans.append(written_off)
    return loans


def test_buckets_equal_a_count_over_the_installments(manager, book):
    ageing = selectors.arrears_ageing(user=manager)
    assert as_dict(ageing) == brute_force(book)
    usd = as_dict(ageing)["USD"]
    # 1 and 30 days; 31 and 60; 61 and 90 and the partly paid one (64 days); 91 and 180; 181 and 400 days.
    assert [usd[bucket][0] for bucket in BUCKETS] == [3, 3, 3, 2, 2]
    assert [row.currency.code for row in ageing] == ["EUR", "USD"]


def test_a_partner_user_sees_the_ageing_of_their_own_loans(partner_user, partner_org, book):
    ageing = selectors.arrears_ageing(user=partner_user)
    own = [loan for loan in book if loan.borrower_id == partner_org.pk]
    assert as_dict(ageing) == brute_force(own)
    assert sum(row.loans for row in ageing) == 3


def test_ageing_narrows_to_a_currency_and_to_programmes(manager, book):
    [euros] = selectors.arrears_ageing(user=manager, currency="EUR")
    assert euros.currency.code == "EUR"
    assert euros.loans == 4
    programme = FinancialProgrammeFactory()
    late_loan(40, programme=programme)
    [usd] = selectors.arrears_ageing(user=manager, programmes=[programme.pk])
    assert (usd.currency.code, usd.loans) == ("USD", 1)
    assert usd.buckets[1].loans == 1


@pytest.mark.parametrize("role", ["manager", "partner_user"])
def test_ageing_costs_the_same_queries_for_3_and_30_loans(request, partner_org, role):
    user = request.getfixturevalue(role)

    def make(count):
        for index in range(count):
            late_loan(7 * index + 1, borrower=partner_org, currency=currency("EUR" if index % 2 else "USD"))

    make(3)
    selectors.arrears_ageing(user=user)  # the user's permissions, read once
    with CaptureQueriesContext(connection) as few:
        selectors.arrears_ageing(user=user)
    make(27)
    with CaptureQueriesContext(connection) as many:
        ageing = selectors.arrears_ageing(user=user)
    assert sum(row.loans for row in ageing) == 30
    # Staff: the whole months from the month rows, the days around the buckets' edges, the currencies.
    assert len(many.captured_queries) == len(few.captured_queries) <= 3


def test_the_api_answers_the_ageing_per_currency(partner_user, book):
    api = APIClient()
    api.force_authenticate(partner_user)
    response = api.get(AGEING)
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2026-09-15"
    assert [row["currency"] for row in body["currencies"]] == ["EUR", "USD"]
    usd = body["currencies"][1]
    assert (usd["loans"], usd["principal_outstanding"]) == (2, "2400.00")
    assert usd["buckets"][0] == {"first_day": 1, "last_day": 30, "loans": 1, "principal_outstanding": "1200.00"}
    assert usd["buckets"][-1] == {"first_day": 181, "last_day": None, "loans": 0, "principal_outstanding": "0.00"}
    assert api.get(AGEING, {"currency": "EUR"}).json()["currencies"][0]["currency"] == "EUR"
    assert api.get(AGEING, {"currency": "XXX"}).status_code == 400


def test_the_api_ageing_needs_a_user_who_may_see_loans(client):
    assert APIClient().get(AGEING).status_code in (401, 403)


def test_the_ageing_is_in_the_api_schema(manager):
    api = APIClient()
    api.force_authenticate(manager)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"]["/api/v1/loans/ageing/"]["get"]
    assert operation["summary"] == "Arrears ageing per currency"
    assert {parameter["name"] for parameter in operation["parameters"]} >= {"programme", "currency"}


def test_the_dashboard_shows_the_ageing(client, manager, book):
    client.force_login(manager)
    response = client.get(reverse("reporting:dashboard"))
    page = response.content.decode()
    assert 'id="arrears-ageing"' in page
    assert "Arrears ageing" in page
    [usd] = [row for row in response.context["finance"]["ageing"] if row.currency.code == "USD"]
    assert [bucket.loans for bucket in usd.buckets] == [3, 3, 3, 2, 2]
    assert "Over 180 days" in page
    assert "31–60 days" in page
