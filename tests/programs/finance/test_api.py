"""The finance API: loans, repayments, grants and tranches with the same permissions and scoping as the pages,
every write and status change through the services, amounts as strings, and flat query counts."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from cooperation.refusals import Refused
from cooperation.roles import Role
from programs.finance import services
from programs.finance.models import Grant, Loan, LoanStatus, Repayment, TrancheStatus
from tests.api_errors import error_codes, error_fields
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory, currency
from tests.programs.finance.factories import (
    FinancialProgrammeFactory,
    GrantFactory,
    LoanFactory,
    RepaymentFactory,
    approved_loan,
    disbursed_loan,
    grant_with_tranches,
    recorded_repayment,
    submitted_loan,
)

pytestmark = pytest.mark.django_db

LOANS = "/api/v1/loans/"
REPAYMENTS = "/api/v1/repayments/"
GRANTS = "/api/v1/grants/"
TRANCHES = "/api/v1/tranches/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def programme(partner_org):
    programme = FinancialProgrammeFactory(code="FIN-API-1")
    programme.participations.create(organisation=partner_org, role=1)
    return programme


@pytest.fixture
def own_loan(partner_org, programme):
    """Disbursed 15 Jan 2026: 12 monthly installments of 1,032.80 USD from 15 Feb 2026."""
    return disbursed_loan(borrower=partner_org, programme=programme)


@pytest.fixture
def foreign_loan(other_org):
    return disbursed_loan(borrower=other_org)


def loan_payload(programme, borrower, **overrides) -> dict:
    payload = {
        "programme": programme.pk,
        "borrower": borrower.pk,
        "principal": "12000.00",
        "currency": "USD",
        "annual_rate": "6",
        "frequency": 12,
        "installments": 12,
        "amortization": "annuity",
        "disbursement_date": "2026-01-15",
        "first_repayment_date": "2026-02-15",
        "purpose": "Solar pumps",
    }
    payload.update(overrides)
    return payload


def repayment_payload(loan, **overrides) -> dict:
    payload = {"loan": loan.pk, "paid_on": "2026-02-15", "amount": "1032.80", "currency": "USD", "reference": "TRX-1"}
    payload.update(overrides)
    return payload


# --- loans: drafting ----------------------------------------------------------------------------------------------


def test_officer_drafts_a_loan(officer, programme, partner_org):
    response = as_user(officer).post(LOANS, loan_payload(programme, partner_org), format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    loan = Loan.objects.get()
    assert body["id"] == loan.pk
    assert body["reference"].startswith("LN-")
    assert body["status"] == "draft" and body["status_label"] == "Draft"
    assert body["principal"] == "12000.00"
    assert body["annual_rate"] == "6.0000"
    assert body["schedule"] == []
    assert loan.created_by == officer
    assert loan.history.first().history_user == officer


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"principal": "0"}, "principal", "more than zero"),
        ({"principal": "-100"}, "principal", "more than zero"),
        ({"principal": "10.555"}, "principal", "decimal places"),
        ({"annual_rate": "-1"}, "annual_rate", "negative"),
        ({"annual_rate": "101"}, "annual_rate", "above 100%"),
        ({"installments": 0}, "installments", "at least one"),
        ({"first_repayment_date": "2026-01-10"}, "first_repayment_date", "after the disbursement"),
        ({"frequency": 5}, "frequency", "valid choice"),
        ({"currency": "XXX1"}, "currency", "no currency"),
        ({"principal": "abc"}, "principal", "valid number"),
    ],
)
def test_bad_loan_terms_are_a_400_on_the_field_and_nothing_is_saved(
    officer, programme, partner_org, overrides, field, words
):
    response = as_user(officer).post(LOANS, loan_payload(programme, partner_org, **overrides), format="json")

    assert response.status_code == 400
    assert field in error_fields(response), response.data
    assert words in " ".join(str(message) for message in error_fields(response)[field])
    assert not Loan.objects.exists()


def test_loan_on_a_programme_without_finance_or_a_borrower_outside_it_is_refused(officer, partner_org, other_org):
    technical = ProgrammeFactory()
    technical.participations.create(organisation=partner_org, role=1)
    response = as_user(officer).post(LOANS, loan_payload(technical, partner_org), format="json")
    assert response.status_code == 400
    assert "programme" in error_fields(response)

    financial = FinancialProgrammeFactory()
    response = as_user(officer).post(LOANS, loan_payload(financial, other_org), format="json")
    assert response.status_code == 400
    assert "does not take part" in str(error_fields(response)["borrower"])
    assert not Loan.objects.exists()


def test_partner_and_auditor_cannot_draft(partner_user, auditor, programme, partner_org):
    for user in (partner_user, auditor):
        response = as_user(user).post(LOANS, loan_payload(programme, partner_org), format="json")
        assert response.status_code == 403
    assert not Loan.objects.exists()


def test_draft_terms_change_until_it_is_submitted(officer, partner_org, programme):
    loan = LoanFactory(borrower=partner_org, programme=programme, created_by=officer)
    api = as_user(officer)

    response = api.patch(f"{LOANS}{loan.pk}/", {"principal": "15000.00"}, format="json")
    assert response.status_code == 200, response.data
    assert response.json()["principal"] == "15000.00"

    submitted_loan(loan)
    response = api.patch(f"{LOANS}{loan.pk}/", {"principal": "20000.00"}, format="json")
    assert response.status_code == 400
    assert "only while it is a draft" in str(error_fields(response)["non_field_errors"])
    loan.refresh_from_db()
    assert loan.principal == Decimal("15000.00")


# --- loans: status changes ------------------------------------------------------------------------------------------


def test_loan_goes_through_its_lifecycle(officer, manager, partner_org, programme):
    loan = LoanFactory(borrower=partner_org, programme=programme, created_by=officer)
    officer_api, manager_api = as_user(officer), as_user(manager)

    assert officer_api.post(f"{LOANS}{loan.pk}/submit/").json()["status"] == "submitted"

    approved = manager_api.post(f"{LOANS}{loan.pk}/approve/")
    assert approved.status_code == 200, approved.data
    schedule = approved.json()["schedule"]
    assert len(schedule) == 12
    assert schedule[0]["number"] == 1 and schedule[0]["due_date"] == "2026-02-15"
    assert schedule[0]["total_due"] == "1032.80"
    assert schedule[0]["paid"] == "0.00" and schedule[0]["outstanding"] == "1032.80"
    assert schedule[-1]["balance_after"] == "0.00"
    assert sum(Decimal(row["principal_due"]) for row in schedule) == Decimal("12000.00")

    disbursed = officer_api.post(f"{LOANS}{loan.pk}/disburse/", {"disbursed_on": "2026-01-16"}, format="json")
    assert disbursed.status_code == 200, disbursed.data
    assert disbursed.json()["status"] == "disbursed" and disbursed.json()["disbursed_on"] == "2026-01-16"

    written_off = manager_api.post(f"{LOANS}{loan.pk}/write-off/", {"reason": "Borrower dissolved"}, format="json")
    assert written_off.json()["status"] == "written_off"
    assert written_off.json()["status_note"] == "Borrower dissolved"
    assert loan.history.first().history_user == manager


def test_maker_cannot_approve_their_own_loan(manager, partner_org, programme):
    loan = submitted_loan(LoanFactory(borrower=partner_org, programme=programme, created_by=manager))
    response = as_user(manager).post(f"{LOANS}{loan.pk}/approve/")
    assert response.status_code == 400
    assert error_codes(response) == {"non_field_errors": [Refused.OWN_RECORD]}
    loan.refresh_from_db()
    assert loan.status == LoanStatus.SUBMITTED
    assert not loan.schedule.exists()


def test_transitions_out_of_order_are_refused_with_the_current_status(manager, officer, partner_org, programme):
    loan = LoanFactory(borrower=partner_org, programme=programme, created_by=officer)
    response = as_user(manager).post(f"{LOANS}{loan.pk}/approve/")
    assert response.status_code == 400
    assert error_codes(response) == {"non_field_errors": [Refused.WRONG_STATUS]}
    assert str(error_fields(response)["non_field_errors"][0]) == (
        "A loan can be approved only when it is submitted; this one is Draft."
    )
    response = as_user(officer).post(f"{LOANS}{loan.pk}/disburse/", {"disbursed_on": "2026-01-15"}, format="json")
    assert response.status_code == 400
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DRAFT


def test_reasons_and_dates_are_required(manager, officer, partner_org, programme):
    loan = submitted_loan(LoanFactory(borrower=partner_org, programme=programme, created_by=officer))
    response = as_user(manager).post(f"{LOANS}{loan.pk}/reject/", {}, format="json")
    assert response.status_code == 400 and "reason" in error_fields(response)
    response = as_user(manager).post(f"{LOANS}{loan.pk}/reject/", {"reason": "   "}, format="json")
    assert response.status_code == 400 and "reason" in error_fields(response)
    approved = approved_loan(LoanFactory(borrower=partner_org, programme=programme, created_by=officer))
    response = as_user(officer).post(f"{LOANS}{approved.pk}/disburse/", {"disbursed_on": "someday"}, format="json")
    assert response.status_code == 400 and "disbursed_on" in error_fields(response)
    loan.refresh_from_db()
    approved.refresh_from_db()
    assert loan.status == LoanStatus.SUBMITTED and approved.status == LoanStatus.APPROVED


def test_officer_cannot_approve_and_partner_cannot_change_a_loan(officer, partner_user, partner_org, programme):
    loan = submitted_loan(LoanFactory(borrower=partner_org, programme=programme))
    assert as_user(officer).post(f"{LOANS}{loan.pk}/approve/").status_code == 403
    partner = as_user(partner_user)
    for path in ("approve", "reject", "cancel", "submit", "write-off"):
        assert partner.post(f"{LOANS}{loan.pk}/{path}/", {"reason": "x"}, format="json").status_code == 403
    assert partner.patch(f"{LOANS}{loan.pk}/", {"purpose": "mine"}, format="json").status_code == 403
    loan.refresh_from_db()
    assert loan.status == LoanStatus.SUBMITTED


# --- loans: reading -------------------------------------------------------------------------------------------------


def test_partner_reads_only_their_organisations_loans(partner_user, own_loan, foreign_loan):
    api = as_user(partner_user)
    listed = api.get(LOANS).json()
    assert [row["reference"] for row in listed["results"]] == [own_loan.reference]
    assert api.get(f"{LOANS}{own_loan.pk}/").status_code == 200
    assert api.get(f"{LOANS}{foreign_loan.pk}/").status_code == 404
    assert api.get(f"{LOANS}{foreign_loan.pk}/write-off/").status_code in {403, 404, 405}


def test_loan_list_filters(officer, own_loan, foreign_loan, partner_org, programme):
    draft = LoanFactory(borrower=partner_org, programme=programme, currency=currency("EUR"))
    api = as_user(officer)

    def refs(**params):
        return {row["reference"] for row in api.get(LOANS, params).json()["results"]}

    assert refs(status="draft") == {draft.reference}
    assert refs(status=["draft", "disbursed"]) == {draft.reference, own_loan.reference, foreign_loan.reference}
    assert refs(currency="EUR") == {draft.reference}
    assert refs(borrower=partner_org.pk) == {draft.reference, own_loan.reference}
    assert refs(programme=programme.pk) == {draft.reference, own_loan.reference}
    # Installments fell due from 15 Feb 2026 and nothing was paid: both disbursed loans are overdue today.
    assert refs(overdue="true") == {own_loan.reference, foreign_loan.reference}
    assert refs(overdue="false") == {draft.reference}
    assert api.get(LOANS, {"status": "bogus"}).status_code == 400


def test_amounts_are_strings_in_the_currencys_minor_unit(officer, partner_org, programme):
    disbursed_loan(
        borrower=partner_org,
        programme=programme,
        principal=Decimal("1000000"),
        currency=currency("JPY"),
        annual_rate=Decimal("0"),
        installments=3,
    )
    body = as_user(officer).get(LOANS).json()["results"][0]
    assert body["principal"] == "1000000"
    detail = as_user(officer).get(f"{LOANS}{body['id']}/").json()
    # The last installment absorbs the rounding.
    assert [row["principal_due"] for row in detail["schedule"]] == ["333333", "333333", "333334"]


def test_loan_list_queries_stay_flat(officer, partner_org, programme):
    def make(count):
        for index in range(count):
            LoanFactory(borrower=partner_org, programme=programme, lender=OrganisationFactory() if index % 2 else None)

    api = as_user(officer)
    api.get(LOANS)  # loads the user's permissions, which are then cached for the user
    make(5)
    with CaptureQueriesContext(connection) as few:
        api.get(LOANS)
    make(20)
    with CaptureQueriesContext(connection) as many:
        response = api.get(LOANS)
    assert response.json()["count"] == 25
    assert len(many.captured_queries) == len(few.captured_queries)


def test_loan_detail_queries_do_not_grow_with_the_schedule(officer, partner_org, programme):
    short = disbursed_loan(borrower=partner_org, programme=programme, installments=3)
    long = disbursed_loan(borrower=partner_org, programme=programme, installments=60)
    api = as_user(officer)
    api.get(LOANS)  # loads the user's permissions
    with CaptureQueriesContext(connection) as few:
        api.get(f"{LOANS}{short.pk}/")
    with CaptureQueriesContext(connection) as many:
        response = api.get(f"{LOANS}{long.pk}/")
    assert len(response.json()["schedule"]) == 60
    assert len(many.captured_queries) == len(few.captured_queries)


# --- repayments -----------------------------------------------------------------------------------------------------


def test_officer_records_a_confirmed_allocated_repayment(officer, own_loan):
    response = as_user(officer).post(REPAYMENTS, repayment_payload(own_loan), format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["status"] == "confirmed" and body["amount"] == "1032.80"
    assert body["confirmed_by"] == officer.pk
    assert body["allocations"] == [{"installment": 1, "interest": "60.00", "principal": "972.80"}]
    assert own_loan.schedule.get(number=1).is_paid


def test_partner_notifies_a_pending_repayment(partner_user, own_loan):
    response = as_user(partner_user).post(REPAYMENTS, repayment_payload(own_loan), format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["status"] == "pending" and body["allocations"] == []
    assert body["recorded_by"] == partner_user.pk
    assert not own_loan.schedule.get(number=1).total_paid


def test_partner_cannot_notify_on_another_organisations_loan(partner_user, foreign_loan):
    response = as_user(partner_user).post(REPAYMENTS, repayment_payload(foreign_loan), format="json")
    assert response.status_code == 400
    assert "loan" in error_fields(response)
    assert not Repayment.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"amount": "20000.00"}, "amount", "is still owed"),
        ({"amount": "0"}, "amount", "more than zero"),
        ({"amount": "10.005"}, "amount", "decimal places"),
        ({"currency": "EUR"}, "currency", "This loan is in USD"),
        ({"paid_on": "2026-01-01"}, "paid_on", "before the disbursement"),
        ({"paid_on": ""}, "paid_on", "format"),
    ],
)
def test_bad_repayments_are_refused_on_the_field(officer, own_loan, overrides, field, words):
    response = as_user(officer).post(REPAYMENTS, repayment_payload(own_loan, **overrides), format="json")
    assert response.status_code == 400
    assert words in " ".join(str(message) for message in error_fields(response)[field]), response.data
    assert not Repayment.objects.exists()


def test_overpayment_names_the_exact_amount_owed(officer, own_loan):
    owed = sum(item.total_due for item in own_loan.schedule.all())
    response = as_user(officer).post(REPAYMENTS, repayment_payload(own_loan, amount=str(owed + 1)), format="json")
    assert response.status_code == 400
    assert f"{owed:,.2f} USD is still owed" in str(error_fields(response)["amount"])


def test_repayment_on_a_loan_not_yet_disbursed_is_refused(officer, partner_org, programme):
    loan = approved_loan(borrower=partner_org, programme=programme)
    response = as_user(officer).post(REPAYMENTS, repayment_payload(loan), format="json")
    assert response.status_code == 400
    assert "only on a disbursed" in str(error_fields(response)["non_field_errors"])


def test_officer_confirms_rejects_and_reverses(officer, partner_user, own_loan):
    notified = services.repayment_notify(
        loan=own_loan,
        notified_by=partner_user,
        paid_on=datetime.date(2026, 2, 15),
        amount=Decimal("100.00"),
        currency=currency("USD"),
    )
    api = as_user(officer)
    assert as_user(partner_user).post(f"{REPAYMENTS}{notified.pk}/confirm/").status_code == 403

    confirmed = api.post(f"{REPAYMENTS}{notified.pk}/confirm/")
    assert confirmed.status_code == 200, confirmed.data
    assert confirmed.json()["status"] == "confirmed"
    assert confirmed.json()["allocations"] == [{"installment": 1, "interest": "60.00", "principal": "40.00"}]

    no_reason = api.post(f"{REPAYMENTS}{notified.pk}/reverse/", {}, format="json")
    assert no_reason.status_code == 400 and "reason" in error_fields(no_reason)
    reversed_ = api.post(f"{REPAYMENTS}{notified.pk}/reverse/", {"reason": "Bounced"}, format="json")
    assert reversed_.json()["status"] == "reversed" and reversed_.json()["reason"] == "Bounced"
    twice = api.post(f"{REPAYMENTS}{notified.pk}/reverse/", {"reason": "Again"}, format="json")
    assert twice.status_code == 400
    assert "Only a confirmed repayment can be reversed" in str(error_fields(twice)["non_field_errors"])
    assert own_loan.schedule.get(number=1).total_paid == 0

    other = RepaymentFactory(loan=own_loan, recorded_by=partner_user)
    rejected = api.post(f"{REPAYMENTS}{other.pk}/reject/", {"reason": "Never arrived"}, format="json")
    assert rejected.json()["status"] == "rejected"


def test_partner_reads_only_their_repayments(partner_user, own_loan, foreign_loan):
    own = recorded_repayment(own_loan, "50.00")
    foreign = recorded_repayment(foreign_loan, "50.00")
    pending = RepaymentFactory(loan=own_loan, recorded_by=partner_user)
    api = as_user(partner_user)
    assert {row["id"] for row in api.get(REPAYMENTS).json()["results"]} == {own.pk, pending.pk}
    assert [row["id"] for row in api.get(REPAYMENTS, {"status": "pending"}).json()["results"]] == [pending.pk]
    assert api.get(f"{REPAYMENTS}{own.pk}/").status_code == 200
    assert api.get(f"{REPAYMENTS}{foreign.pk}/").status_code == 404


def test_auditor_reads_but_cannot_record(auditor, own_loan):
    api = as_user(auditor)
    assert api.get(REPAYMENTS).status_code == 200
    assert api.post(REPAYMENTS, repayment_payload(own_loan), format="json").status_code == 403
    assert not Repayment.objects.exists()


def test_repayment_list_queries_stay_flat(officer, own_loan):
    api = as_user(officer)
    api.get(REPAYMENTS)  # loads the user's permissions
    for _ in range(3):
        RepaymentFactory(loan=own_loan)
    with CaptureQueriesContext(connection) as few:
        api.get(REPAYMENTS)
    for _ in range(20):
        RepaymentFactory(loan=own_loan, recorded_by=UserFactory(role=Role.PARTNER))
    with CaptureQueriesContext(connection) as many:
        response = api.get(REPAYMENTS)
    assert response.json()["count"] == 23
    assert len(many.captured_queries) == len(few.captured_queries)


# --- grants and tranches --------------------------------------------------------------------------------------------


def test_officer_creates_a_grant_split_into_tranches(officer, partner_org, programme):
    payload = {
        "programme": programme.pk,
        "recipient": partner_org.pk,
        "amount": "1000.00",
        "currency": "USD",
        "tranche_count": 3,
        "first_tranche_on": "2026-01-31",
        "months_between": 1,
    }
    response = as_user(officer).post(GRANTS, payload, format="json")

    assert response.status_code == 201, response.data
    body = response.json()
    assert body["kind"] == "grant"
    assert [row["amount"] for row in body["tranches"]] == ["333.34", "333.33", "333.33"]
    assert [row["planned_on"] for row in body["tranches"]] == ["2026-01-31", "2026-02-28", "2026-03-31"]
    assert body["remaining_total"] == "1000.00" and body["paid_total"] == "0.00"


def test_bad_grant_is_refused_and_nothing_saved(officer, partner_org, programme):
    payload = {
        "programme": programme.pk,
        "recipient": partner_org.pk,
        "amount": "-5",
        "currency": "USD",
        "tranche_count": 0,
        "first_tranche_on": "2026-01-31",
    }
    response = as_user(officer).post(GRANTS, payload, format="json")
    assert response.status_code == 400
    assert {"amount", "tranche_count"} <= set(error_fields(response))
    assert not Grant.objects.exists()


def test_tranche_approval_payment_and_cancellation(officer, manager, partner_user, partner_org):
    grant = grant_with_tranches(created_by=officer, recipient=partner_org, amount=Decimal("900.00"))
    first, second, _ = grant.tranches.order_by("number")
    officer_api, manager_api = as_user(officer), as_user(manager)

    assert as_user(partner_user).post(f"{TRANCHES}{first.pk}/approve/").status_code == 403
    assert officer_api.post(f"{TRANCHES}{first.pk}/approve/").status_code == 403
    not_yet = officer_api.post(f"{TRANCHES}{first.pk}/pay/", {"paid_on": "2026-03-02"}, format="json")
    assert not_yet.status_code == 400
    assert error_codes(not_yet) == {"non_field_errors": [Refused.WRONG_STATUS]}

    assert manager_api.post(f"{TRANCHES}{first.pk}/approve/").json()["status"] == "approved"
    paid = officer_api.post(f"{TRANCHES}{first.pk}/pay/", {"paid_on": "2026-03-02", "payment_reference": "SWIFT-1"})
    assert paid.status_code == 200, paid.data
    assert paid.json()["status"] == "paid" and paid.json()["paid_on"] == "2026-03-02"
    assert officer_api.post(f"{TRANCHES}{first.pk}/cancel/").status_code == 400

    assert officer_api.post(f"{TRANCHES}{second.pk}/cancel/").json()["status"] == "cancelled"
    grant_body = officer_api.get(f"{GRANTS}{grant.pk}/").json()
    assert grant_body["paid_total"] == "300.00"
    assert grant_body["remaining_total"] == "300.00"
    assert [row["status"] for row in grant_body["tranches"]] == [
        TrancheStatus.PAID,
        TrancheStatus.CANCELLED,
        TrancheStatus.SCHEDULED,
    ]


def test_grant_creator_cannot_approve_its_tranches(manager, partner_org):
    grant = grant_with_tranches(created_by=manager, recipient=partner_org)
    tranche = grant.tranches.first()
    response = as_user(manager).post(f"{TRANCHES}{tranche.pk}/approve/")
    assert response.status_code == 400
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.SCHEDULED


def test_partner_reads_only_their_grants_and_tranches(partner_user, partner_org, other_org):
    own = grant_with_tranches(recipient=partner_org)
    foreign = grant_with_tranches(recipient=other_org)
    api = as_user(partner_user)
    assert [row["id"] for row in api.get(GRANTS).json()["results"]] == [own.pk]
    assert api.get(f"{GRANTS}{foreign.pk}/").status_code == 404
    assert {row["grant"] for row in api.get(TRANCHES).json()["results"]} == {own.pk}
    assert api.get(f"{TRANCHES}{foreign.tranches.first().pk}/").status_code == 404
    assert api.post(GRANTS, {}, format="json").status_code == 403


def test_tranche_filters(officer, partner_org):
    grant = grant_with_tranches(recipient=partner_org)
    other = grant_with_tranches()
    api = as_user(officer)
    assert {row["grant"] for row in api.get(TRANCHES, {"grant": grant.pk}).json()["results"]} == {grant.pk}
    assert api.get(TRANCHES, {"status": "paid"}).json()["count"] == 0
    assert api.get(GRANTS, {"recipient": other.recipient_id}).json()["count"] == 1


def test_grant_list_queries_stay_flat(officer):
    api = as_user(officer)
    api.get(GRANTS)  # loads the user's permissions
    for _ in range(2):
        grant_with_tranches(tranche_count=3)
    with CaptureQueriesContext(connection) as few:
        api.get(GRANTS)
    for _ in range(10):
        GrantFactory()
        grant_with_tranches(tranche_count=4)
    with CaptureQueriesContext(connection) as many:
        response = api.get(GRANTS)
    assert response.json()["count"] == 22
    assert len(many.captured_queries) == len(few.captured_queries)


# --- schema ---------------------------------------------------------------------------------------------------------


def test_schema_documents_the_finance_endpoints(officer):
    api = APIClient()
    api.force_login(officer)
    schema = api.get("/api/schema/", {"format": "json"}).json()
    paths, components = schema["paths"], schema["components"]["schemas"]

    assert set(paths["/api/v1/loans/"]) == {"get", "post"}
    assert set(paths["/api/v1/loans/{id}/"]) == {"get", "put", "patch"}
    for step in ("submit", "approve", "reject", "disburse", "cancel", "write-off"):
        assert set(paths[f"/api/v1/loans/{{id}}/{step}/"]) == {"post"}
    assert set(paths["/api/v1/repayments/{id}/"]) == {"get"}
    assert set(paths["/api/v1/tranches/{id}/pay/"]) == {"post"}
    assert "requestBody" not in paths["/api/v1/loans/{id}/submit/"]["post"]
    parameters = {p["name"] for p in paths["/api/v1/loans/"]["get"]["parameters"]}
    assert {"status", "borrower", "currency", "programme", "overdue"} <= parameters
    assert components["Loan"]["properties"]["principal"]["type"] == "string"
    assert components["Installment"]["properties"]["outstanding"]["type"] == "string"
    assert components["LoanStatusEnum"]["enum"][0] == "draft"
    assert "written_off" in components["LoanStatusEnum"]["enum"]
