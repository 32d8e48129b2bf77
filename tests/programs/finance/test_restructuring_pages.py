"""Restructuring on the pages and over the API: the officer proposes with a preview, another manager decides, a
partner user reads their own loans' restructurings only."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.roles import Role
from programs.finance.models import LoanRestructuring, RestructuringStatus
from programs.finance.services.restructurings import restructuring_approve, restructuring_propose
from tests.factories import UserFactory
from tests.programs.finance.factories import disbursed_loan, recorded_repayment
from tests.programs.finance.test_restructuring import NEW_ROWS, terms

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2026, 5, 20, 9, 0, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def loan(frozen, partner_org, own_programme):
    loan = disbursed_loan(
        programme=own_programme,
        borrower=partner_org,
        principal=Decimal("1200.00"),
        annual_rate=Decimal("12"),
        amortization="equal_principal",
        disbursement_date=datetime.date(2026, 1, 15),
        first_repayment_date=datetime.date(2026, 2, 15),
    )
    for amount, day in (("112.00", 15), ("111.00", 15), ("60.00", 15)):
        recorded_repayment(loan, amount, paid_on=datetime.date(2026, 2 + len(loan.repayments.all()), day))
    return loan


def form(**changes):
    values = terms(**changes)
    values["first_due_date"] = values["first_due_date"].isoformat()
    return values


def test_the_officer_previews_then_proposes(client, officer, loan):
    client.force_login(officer)
    page = client.get(reverse("finance:loan_detail", args=[loan.pk]))
    assert reverse("finance:loan_restructure", args=[loan.pk]) in page.content.decode()

    url = reverse("finance:loan_restructure", args=[loan.pk])
    preview = client.post(url, {**form(), "preview": "1"})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "995.00" in text and "990.20" in text  # the totals still to pay, before and after
    assert "959.00" in text and "119.84" in text
    assert not LoanRestructuring.objects.exists()

    proposed = client.post(url, form())
    record = LoanRestructuring.objects.get()
    assert proposed.url == reverse("finance:restructuring_detail", args=[record.pk])
    assert record.proposed_by == officer and record.status == RestructuringStatus.PROPOSED


def test_bad_terms_come_back_next_to_the_field(client, officer, loan):
    client.force_login(officer)
    answer = client.post(reverse("finance:loan_restructure", args=[loan.pk]), form(grace_periods=10))
    assert answer.status_code == 200
    assert answer.context["form"].errors["grace_periods"]
    assert not LoanRestructuring.objects.exists()


def test_the_proposer_sees_approval_disabled_and_another_manager_approves(client, manager, loan):
    record = restructuring_propose(loan=loan, proposed_by=manager, **terms())
    client.force_login(manager)
    page = client.get(reverse("finance:restructuring_detail", args=[record.pk]))
    assert "another manager must decide" in page.content.decode()
    refused = client.post(reverse("finance:restructuring_approve", args=[record.pk]))
    assert refused.status_code == 200
    record.refresh_from_db()
    assert record.status == RestructuringStatus.PROPOSED

    client.force_login(UserFactory(role=Role.MANAGER))
    done = client.post(reverse("finance:restructuring_approve", args=[record.pk]))
    assert done.status_code == 302
    record.refresh_from_db()
    assert record.status == RestructuringStatus.APPROVED
    schedule = client.get(reverse("finance:loan_detail", args=[loan.pk]) + "?schedule=all").context["installments"]
    assert [(i.number, i.due_date, i.principal_due, i.interest_due) for i in schedule][3:] == [r[:4] for r in NEW_ROWS]


def test_the_api_proposes_and_a_manager_approves(officer, manager, loan):
    api = APIClient()
    api.force_authenticate(officer)
    body = form() | {"loan": loan.pk}
    created = api.post("/api/v1/restructurings/", body, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "proposed"
    pk = created.json()["id"]
    assert api.post(f"/api/v1/restructurings/{pk}/approve/").status_code == 403  # an officer does not decide
    api.force_authenticate(manager)
    approved = api.post(f"/api/v1/restructurings/{pk}/approve/")
    assert approved.status_code == 200, approved.json()
    assert approved.json()["new_principal"] == "959.00" and approved.json()["capitalised"] == "9.00"


def test_partner_users_read_only_their_own_loans_restructurings(partner_user, other_partner_user, officer, loan):
    record = restructuring_propose(loan=loan, proposed_by=officer, **terms())
    api = APIClient()
    api.force_authenticate(partner_user)
    assert [row["id"] for row in api.get("/api/v1/restructurings/").json()["results"]] == [record.pk]
    assert api.get(f"/api/v1/restructurings/{record.pk}/").status_code == 200
    assert api.post(f"/api/v1/restructurings/{record.pk}/approve/").status_code == 403
    assert api.post("/api/v1/restructurings/", form() | {"loan": loan.pk}, format="json").status_code == 403
    api.force_authenticate(other_partner_user)
    assert api.get("/api/v1/restructurings/").json()["results"] == []
    assert api.get(f"/api/v1/restructurings/{record.pk}/").status_code == 404


def test_the_partner_portal_shows_an_applied_restructuring_not_a_proposal(client, partner_user, officer, manager, loan):
    record = restructuring_propose(loan=loan, proposed_by=officer, **terms())
    client.force_login(partner_user)
    url = reverse("finance_portal:loan", args=[loan.pk])
    assert 'id="restructurings"' not in client.get(url).content.decode()
    restructuring_approve(restructuring=record, approved_by=manager)
    page = client.get(url + "?schedule=all")
    text = page.content.decode()
    assert 'id="restructurings"' in text and f'data-restructuring="{record.pk}"' in text
    assert "959.00" in text  # the new principal
    numbers = [item.number for item in page.context["installments"]]
    assert numbers[3:] == [row[0] for row in NEW_ROWS]
