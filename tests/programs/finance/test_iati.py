"""Finance in the IATI file: loans and grants as transactions, planned disbursements and the principal loan's
terms and status, valid against the IATI 2.03 schema."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cooperation import registry
from programs.finance import services
from programs.finance.iati import parts
from programs.finance.models import AmortizationMethod, Frequency, LoanStatus
from tests.factories import OrganisationFactory
from tests.programs.finance.factories import (
    FinancialProgrammeFactory,
    LoanFactory,
    approved_loan,
    disbursed_loan,
    grant_with_tranches,
    recorded_repayment,
)
from tests.programs.iati_helpers import split, validated

pytestmark = pytest.mark.django_db
TODAY = datetime.datetime(2026, 6, 30, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Jakarta"))


@pytest.fixture(autouse=True)
def _mid_2026():
    with time_machine.travel(TODAY, tick=False):
        yield


def _transactions(activity) -> list[tuple]:
    return [
        (
            element.find("transaction-type").get("code"),
            element.find("transaction-date").get("iso-date"),
            Decimal(element.find("value").text),
            element.find("value").get("currency"),
            element.find("value").get("value-date"),
        )
        for element in activity.findall("transaction")
    ]


def test_finance_contributes_to_the_iati_file():
    assert parts in registry.contributors(registry.IATI)


def test_a_loan_is_committed_disbursed_and_repaid_principal_and_interest_apart():
    borrower = OrganisationFactory(name="Koperasi Air Bersih", iati_identifier="ID-KOP-123")
    loan = disbursed_loan(borrower=borrower, principal=Decimal("12000.00"), annual_rate=Decimal("6"))
    recorded_repayment(loan, "560.00", paid_on=datetime.date(2026, 2, 15))  # 60.00 interest first, then 500.00

    found, problems = split(parts([loan.programme]))
    activity = validated(loan.programme, found)

    assert problems == []
    assert _transactions(activity) == [
        ("3", "2026-01-15", Decimal("12000"), "USD", "2026-01-15"),
        ("6", "2026-02-15", Decimal("500"), "USD", "2026-02-15"),
        ("5", "2026-02-15", Decimal("60"), "USD", "2026-02-15"),
        ("2", "2026-06-30", Decimal("12000"), "USD", "2026-06-30"),
    ]
    disbursement = activity.find("transaction")
    assert disbursement.find("receiver-org").get("ref") == "ID-KOP-123"
    assert disbursement.find("receiver-org/narrative").text == "Koperasi Air Bersih"
    assert disbursement.find("finance-type").get("code") == "421"
    repayment = activity.findall("transaction")[1]
    assert repayment.find("provider-org/narrative").text == "Koperasi Air Bersih"


def test_the_principal_loan_s_terms_and_its_status_this_year():
    programme = FinancialProgrammeFactory()
    disbursed_loan(programme=programme, principal=Decimal("1000.00"))
    loan = disbursed_loan(
        programme=programme,
        principal=Decimal("12000.00"),
        annual_rate=Decimal("6.5"),
        amortization=AmortizationMethod.EQUAL_PRINCIPAL,
        frequency=Frequency.MONTHLY,
        installments=12,
    )
    recorded_repayment(loan, "565.00", paid_on=datetime.date(2026, 2, 15))  # 65.00 interest, 500.00 principal

    activity = validated(programme, split(parts([programme]))[0])

    terms = activity.find("crs-add/loan-terms")
    assert Decimal(terms.get("rate-1")) == Decimal("6.5")
    assert terms.find("repayment-type").get("code") == "1"
    assert terms.find("repayment-plan").get("code") == "12"
    assert terms.find("commitment-date").get("iso-date") == "2026-06-30"
    assert terms.find("repayment-first-date").get("iso-date") == "2026-02-15"
    assert terms.find("repayment-final-date").get("iso-date") == "2027-01-15"
    status = activity.find("crs-add/loan-status")
    assert (status.get("year"), status.get("currency")) == ("2026", "USD")
    assert Decimal(status.findtext("interest-received")) == Decimal("65")
    assert Decimal(status.findtext("principal-outstanding")) == Decimal("11500")
    # Due before 30 June: February to June, 1000.00 of principal each, of which February's was paid 500.00.
    assert Decimal(status.findtext("principal-arrears")) == Decimal("4500")


def test_an_approved_loan_not_yet_paid_out_is_a_planned_disbursement():
    loan = approved_loan(
        principal=Decimal("5000.00"),
        disbursement_date=datetime.date(2026, 9, 1),
        first_repayment_date=datetime.date(2026, 10, 1),
    )

    activity = validated(loan.programme, split(parts([loan.programme]))[0])

    planned = activity.find("planned-disbursement")
    assert planned.get("type") == "1"
    assert planned.find("period-start").get("iso-date") == "2026-09-01"
    assert Decimal(planned.findtext("value")) == Decimal("5000")
    assert [t[0] for t in _transactions(activity)] == ["2"]
    assert activity.find("crs-add/loan-status") is None


def test_drafts_and_cancelled_loans_stay_out():
    programme = FinancialProgrammeFactory()
    LoanFactory(programme=programme, status=LoanStatus.DRAFT)
    LoanFactory(programme=programme, status=LoanStatus.CANCELLED)

    assert parts([programme]) == []


def test_a_grant_is_committed_then_paid_tranche_by_tranche(manager):
    recipient = OrganisationFactory(name="Sekolah Harapan")
    grant = grant_with_tranches(
        recipient=recipient, amount=Decimal("900.00"), tranche_count=3, first_tranche_on=datetime.date(2026, 3, 1)
    )
    first, second, third = grant.tranches.order_by("number")
    services.tranche_approve(tranche=first, approved_by=manager)
    services.tranche_pay(tranche=first, paid_by=manager, paid_on=datetime.date(2026, 3, 4))
    services.tranche_cancel(tranche=third, cancelled_by=manager)

    activity = validated(grant.programme, split(parts([grant.programme]))[0])

    assert _transactions(activity) == [
        ("3", "2026-03-04", Decimal("300"), "USD", "2026-03-04"),
        ("2", "2026-06-30", Decimal("600"), "USD", "2026-06-30"),
    ]
    assert activity.find("transaction/finance-type").get("code") == "110"
    assert activity.find("transaction/receiver-org/narrative").text == "Sekolah Harapan"
    assert [
        (planned.find("period-start").get("iso-date"), Decimal(planned.findtext("value")))
        for planned in activity.findall("planned-disbursement")
    ] == [("2026-03-01", Decimal("300")), ("2026-06-01", Decimal("300"))]


def _programme_with(count: int):
    programme = FinancialProgrammeFactory()
    for _ in range(count):
        loan = disbursed_loan(programme=programme, principal=Decimal("1000.00"))
        recorded_repayment(loan, "100.00", paid_on=datetime.date(2026, 2, 15))
        grant_with_tranches(programme=programme, amount=Decimal("300.00"), tranche_count=3, currency_code="EUR")
    return programme


def _queries(programmes) -> int:
    with CaptureQueriesContext(connection) as queries:
        found = parts(programmes)
    assert found
    return len(queries)


def test_the_queries_do_not_grow_with_the_records():
    few = _queries([_programme_with(2)])
    many = _queries([_programme_with(10), _programme_with(3)])

    assert few == many == 4
