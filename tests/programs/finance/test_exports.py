"""The officers' loan list and a loan's repayments as spreadsheets: what the pages show, with their filters."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.finance.models import Loan, LoanStatus, Repayment
from tests.factories import OrganisationFactory, currency
from tests.programs.finance.factories import (
    LoanFactory,
    RepaymentFactory,
    disbursed_loan,
    recorded_repayment,
)
from tests.sheets import export_queries, export_url, records

pytestmark = pytest.mark.django_db


def _late_loan(**fields) -> Loan:
    """A disbursed loan whose first installments fell due in the past, so it is in arrears."""
    today = timezone.localdate()
    fields.setdefault("disbursement_date", today - datetime.timedelta(days=100))
    fields.setdefault("first_repayment_date", today - datetime.timedelta(days=70))
    return disbursed_loan(**fields)


@pytest.fixture
def loans(db):
    late = _late_loan(
        reference="LN-LATE",
        borrower=OrganisationFactory(name="Koperasi Nelayan"),
        principal=Decimal("1200.00"),
        annual_rate=Decimal("0"),
    )
    draft = LoanFactory(reference="LN-DRAFT", principal=Decimal("5000000"), currency=currency("JPY"))
    return late, draft


# --- loans ----------------------------------------------------------------------------------------------------------


def test_loan_cells_are_typed_with_the_currency_beside_the_amount(client, manager, loans):
    late, _draft = loans
    client.force_login(manager)

    response = client.get(export_url("finance.loans", ordering="reference"))

    rows = records(response)
    header = list(rows[0])
    assert header[:5] == ["Reference", "Borrower", "Lender", "Programme", "Status"]
    assert header[header.index("Principal") + 1] == "Currency"
    assert [row["Reference"] for row in rows] == ["LN-DRAFT", "LN-LATE"]
    draft_row, late_row = rows
    assert late_row["Borrower"] == "Koperasi Nelayan"
    assert late_row["Programme"] == late.programme.code
    assert late_row["Status"] == "Disbursed (active)"
    assert late_row["Principal"] == 1200 and late_row["Currency"] == "USD"
    assert late_row["Outstanding principal"] == 1200
    due = late.schedule.filter(due_date__lt=timezone.localdate())
    assert late_row["Overdue amount"] == 100 * due.count()
    first_due = due.order_by("number").first().due_date
    assert late_row["Days in arrears"] == (timezone.localdate() - first_due).days
    assert late_row["Annual interest rate (%)"] == 0
    assert late_row["Term (months)"] == 12
    assert late_row["Disbursed on"] == datetime.datetime.combine(late.disbursed_on, datetime.time())
    assert late_row["Approved on"] == datetime.datetime.combine(timezone.localdate(late.approved_at), datetime.time())
    assert draft_row["Principal"] == 5000000 and draft_row["Currency"] == "JPY"
    assert draft_row["Approved on"] is None and draft_row["Days in arrears"] == 0


def test_loan_export_follows_the_page_filters_and_sort(client, manager, loans):
    client.force_login(manager)

    def exported(**query):
        return [row["Reference"] for row in records(client.get(export_url("finance.loans", **query)))]

    def listed(**query):
        return [loan.reference for loan in client.get(reverse("finance:loan_list"), query).context["loans"]]

    assert exported(status=LoanStatus.DISBURSED) == listed(status=LoanStatus.DISBURSED) == ["LN-LATE"]
    assert exported(overdue="no") == ["LN-DRAFT"]
    assert exported(currency="JPY") == ["LN-DRAFT"]
    assert exported(ordering="-principal") == listed(ordering="-principal") == ["LN-DRAFT", "LN-LATE"]
    assert exported(ordering="principal") == ["LN-LATE", "LN-DRAFT"]


def test_the_loan_list_offers_its_export_with_its_filters(client, officer, loans):
    client.force_login(officer)

    html = client.get(reverse("finance:loan_list"), {"status": "disbursed", "page": 1}).content.decode()

    assert f'href="{export_url("finance.loans", "xlsx", status="disbursed")}"' in html
    assert f'href="{export_url("finance.loans", "csv", status="disbursed")}"' in html


def test_auditors_export_loans_and_partner_users_may_not(client, auditor, partner_user, loans):
    client.force_login(auditor)
    assert {row["Reference"] for row in records(client.get(export_url("finance.loans")))} == {"LN-LATE", "LN-DRAFT"}

    client.force_login(partner_user)
    assert client.get(export_url("finance.loans")).status_code == 403
    assert client.get(export_url("finance.repayments")).status_code == 403


def test_loan_export_queries_do_not_grow_with_the_rows(client, officer):
    client.force_login(officer)

    def queries_with(count):
        while Loan.objects.count() < count:
            _late_loan() if Loan.objects.count() % 2 else LoanFactory(lender=OrganisationFactory())
        return export_queries(client, export_url("finance.loans"))

    assert queries_with(2) == queries_with(8)


# --- repayments -----------------------------------------------------------------------------------------------------


@pytest.fixture
def repaid(db):
    """A loan with two repayments (the first one applied to the schedule), and another loan's repayment."""
    loan = disbursed_loan(reference="LN-PAID", annual_rate=Decimal("6"))
    first = loan.schedule.get(number=1)
    recorded_repayment(loan, first.total_due, paid_on=datetime.date(2026, 2, 15), reference="BRI-1")
    RepaymentFactory(loan=loan, amount=Decimal("50.00"), paid_on=datetime.date(2026, 3, 1), reference="BRI-2")
    other = RepaymentFactory(reference="ELSEWHERE")
    return loan, first, other


def test_a_loans_repayments_with_what_they_paid(client, officer, repaid):
    loan, first, _other = repaid
    client.force_login(officer)

    rows = records(client.get(export_url("finance.repayments", loan=loan.pk)))

    assert [row["Payment reference"] for row in rows] == ["BRI-2", "BRI-1"]  # newest first, as on the loan page
    pending, confirmed = rows
    assert confirmed["Loan"] == "LN-PAID"
    assert confirmed["Payment date"] == datetime.datetime(2026, 2, 15)
    assert confirmed["Amount"] == float(first.total_due) and confirmed["Currency"] == "USD"
    assert confirmed["Interest applied"] == float(first.interest_due)
    assert confirmed["Principal applied"] == float(first.principal_due)
    assert confirmed["Applied to installments"] == "#1"
    assert confirmed["Status"] == "Confirmed"
    assert pending["Status"] == "Notified by the partner, awaiting confirmation"
    assert pending["Interest applied"] == 0 and pending["Applied to installments"] is None


def test_repayments_of_every_loan_narrowed_by_status(client, manager, repaid):
    client.force_login(manager)

    everything = records(client.get(export_url("finance.repayments")))
    pending = records(client.get(export_url("finance.repayments", status="pending")))

    assert {row["Payment reference"] for row in everything} == {"BRI-1", "BRI-2", "ELSEWHERE"}
    assert {row["Payment reference"] for row in pending} == {"BRI-2", "ELSEWHERE"}


def test_the_loan_page_offers_its_repayments_export(client, officer, repaid):
    loan, _first, _other = repaid
    client.force_login(officer)

    html = client.get(reverse("finance:loan_detail", args=[loan.pk])).content.decode()

    assert "Export these repayments:" in html
    assert f'href="{export_url("finance.repayments", "xlsx", loan=loan.pk)}"' in html


def test_repayment_export_queries_do_not_grow_with_the_rows(client, officer):
    loan = disbursed_loan()
    client.force_login(officer)

    def queries_with(count):
        while Repayment.objects.count() < count:
            number = Repayment.objects.count() + 1
            recorded_repayment(loan, "10.00", paid_on=loan.first_repayment_date + datetime.timedelta(days=number))
        return export_queries(client, export_url("finance.repayments", loan=loan.pk))

    assert queries_with(2) == queries_with(8)


def test_bad_filter_values_are_ignored_as_on_the_pages(client, officer, repaid):
    client.force_login(officer)

    repayments = records(client.get(export_url("finance.repayments", loan="not-a-number", status="nothing")))
    loans = client.get(export_url("finance.loans", status="nothing", borrower="x", ordering="sideways"))

    assert len(repayments) == 3
    assert loans.status_code == 200
