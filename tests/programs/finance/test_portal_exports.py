"""The partner portal's loan and grant lists as spreadsheets: a partner's own organisation's rows, never another's."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.finance.models import Grant, Loan
from tests.programs.finance.factories import (
    GrantFactory,
    LoanFactory,
    TrancheFactory,
    disbursed_loan,
    recorded_repayment,
    submitted_loan,
)
from tests.sheets import export_queries, export_url, records

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def own_loans(partner_org, own_programme):
    """An active loan with its first installment paid (12 monthly from 15 Feb 2026), and one awaiting approval."""
    active = disbursed_loan(borrower=partner_org, programme=own_programme, reference="LN-OWN")
    recorded_repayment(active, active.schedule.get(number=1).total_due, paid_on=datetime.date(2026, 2, 15))
    waiting = submitted_loan(borrower=partner_org, programme=own_programme, reference="LN-WAITING")
    return active, waiting


@pytest.fixture
def foreign_loan(other_org, foreign_programme):
    return disbursed_loan(borrower=other_org, programme=foreign_programme, reference="LN-FOREIGN")


def test_a_partner_exports_only_their_own_loans(client, partner_user, own_loans, foreign_loan, today):
    active, _waiting = own_loans
    LoanFactory(borrower=active.borrower, programme=active.programme, reference="LN-DRAFT")
    client.force_login(partner_user)

    rows = records(client.get(export_url("finance_portal.loans")))

    assert [row["Reference"] for row in rows] == ["LN-WAITING", "LN-OWN"]  # newest first; drafts stay the office's
    waiting, own = rows
    second = active.schedule.get(number=2)
    assert own["Programme"] == "OWN-001" and own["Status"] == "Disbursed (active)"
    assert own["Principal"] == 12000 and own["Currency"] == "USD"
    assert own["Next due date"] == datetime.datetime.combine(second.due_date, datetime.time())
    assert own["Next due amount"] == float(second.total_due)
    assert own["Days late"] == (TODAY - second.due_date).days
    assert own["Overdue amount"] > 0
    assert own["Disbursed on"] == datetime.datetime(2026, 1, 15)
    assert waiting["Next due date"] is None and waiting["Next due amount"] is None


def test_another_partner_exports_theirs_and_never_these(client, other_partner_user, own_loans, foreign_loan):
    client.force_login(other_partner_user)

    assert [row["Reference"] for row in records(client.get(export_url("finance_portal.loans")))] == ["LN-FOREIGN"]


def test_the_portal_loan_list_offers_its_export(client, partner_user, own_loans):
    client.force_login(partner_user)

    html = client.get(reverse("finance_portal:loans")).content.decode()

    assert f'href="{export_url("finance_portal.loans", "xlsx")}"' in html


@pytest.mark.parametrize("source", ["finance_portal.loans", "finance_portal.grants"])
def test_staff_without_a_partner_organisation_may_not_export_the_portal_lists(
    client, officer, manager, admin_user, source
):
    for user in (officer, manager, admin_user):
        client.force_login(user)
        assert client.get(export_url(source)).status_code == 403


def test_portal_loan_export_queries_do_not_grow_with_the_rows(client, partner_user, partner_org, own_programme):
    client.force_login(partner_user)

    def queries_with(count):
        while Loan.objects.count() < count:
            submitted_loan(LoanFactory(borrower=partner_org, programme=own_programme))
        return export_queries(client, export_url("finance_portal.loans"))

    assert queries_with(2) == queries_with(8)


# --- grants ---------------------------------------------------------------------------------------------------------


def test_a_partner_exports_only_their_own_grants(client, partner_user, partner_org, other_org):
    own = GrantFactory(recipient=partner_org, reference="GR-OWN", amount=Decimal("900.00"))
    TrancheFactory(grant=own, number=1, amount=Decimal("300.00"), status="paid", paid_on=datetime.date(2026, 3, 2))
    TrancheFactory(grant=own, number=2, amount=Decimal("600.00"))
    GrantFactory(recipient=other_org, reference="GR-FOREIGN")
    client.force_login(partner_user)

    response = client.get(export_url("finance_portal.grants"))

    (row,) = records(response)
    assert row["Reference"] == "GR-OWN" and row["Kind"] == "Grant"
    assert row["Amount"] == 900 and row["Currency"] == "USD"
    assert row["Paid"] == 300 and row["Remaining"] == 600 and row["Tranches"] == 2
    assert f'href="{export_url("finance_portal.grants", "csv")}"' in (
        client.get(reverse("finance_portal:grants")).content.decode()
    )


def test_portal_grant_export_queries_do_not_grow_with_the_rows(client, partner_user, partner_org):
    client.force_login(partner_user)

    def queries_with(count):
        while Grant.objects.count() < count:
            TrancheFactory.create_batch(2, grant=GrantFactory(recipient=partner_org))
        return export_queries(client, export_url("finance_portal.grants"))

    assert queries_with(2) == queries_with(8)
