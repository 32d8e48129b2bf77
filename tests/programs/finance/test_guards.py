"""The guards beside the finance moves: for each move on a loan, a grant tranche or a repayment, who may make it
now, who may not, and the refusal's code and message; the services, the loan page and the API give the same answer.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from cooperation.refusals import Refused, refusal_codes
from cooperation.roles import Perm, Role
from programs.finance import services
from programs.finance.models import LoanStatus, RepaymentStatus, TrancheStatus
from programs.finance.services import FinanceRefusal
from tests.api_errors import error_codes, error_fields
from tests.factories import UserFactory
from tests.programs.finance.factories import (
    LoanFactory,
    approved_loan,
    disbursed_loan,
    grant_with_tranches,
    recorded_repayment,
    submitted_loan,
)

pytestmark = pytest.mark.django_db

OWN_LOAN = "You created this loan, so another manager must approve or reject it."
MANAGERS_ONLY = "Only a manager can approve or reject a loan."
OWN_GRANT = "You created this grant, so another manager must approve its tranches."


def loan_in(status: LoanStatus, **fields):
    loan = LoanFactory(**fields)
    if status == LoanStatus.DRAFT:
        return loan
    if status == LoanStatus.SUBMITTED:
        return submitted_loan(loan)
    if status == LoanStatus.APPROVED:
        return approved_loan(loan)
    return disbursed_loan(loan)


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


# --- loans --------------------------------------------------------------------------------------------------------

# (move, the status it starts from, the role that may make it)
LOAN_MOVES = [
    ("submit", LoanStatus.DRAFT, Role.OFFICER),
    ("approve", LoanStatus.SUBMITTED, Role.MANAGER),
    ("reject", LoanStatus.SUBMITTED, Role.MANAGER),
    ("disburse", LoanStatus.APPROVED, Role.OFFICER),
    ("cancel", LoanStatus.DRAFT, Role.OFFICER),
    ("write_off", LoanStatus.DISBURSED, Role.MANAGER),
]


@pytest.mark.parametrize(("move", "status", "role"), LOAN_MOVES)
def test_the_role_of_each_loan_move_may_make_it(move, status, role):
    loan = loan_in(status)
    assert services.loan_move_refusal(loan, UserFactory(role=role), move) is None


@pytest.mark.parametrize(("move", "status", "role"), LOAN_MOVES)
def test_an_auditor_may_make_no_loan_move_and_is_not_offered_it(move, status, role):
    refusal = services.loan_move_refusal(loan_in(status), UserFactory(role=Role.AUDITOR), move)
    assert refusal.code == Refused.NOT_PERMITTED
    assert not refusal.offered


@pytest.mark.parametrize(
    ("move", "status", "message"),
    [
        ("submit", LoanStatus.APPROVED, "A loan can be submitted only when it is a draft; this one is Approved."),
        ("approve", LoanStatus.DRAFT, "A loan can be approved only when it is submitted; this one is Draft."),
        ("reject", LoanStatus.APPROVED, "A loan can be rejected only when it is submitted; this one is Approved."),
        (
            "disburse",
            LoanStatus.SUBMITTED,
            "A loan can be disbursed only when it is approved; this one is Submitted for approval.",
        ),
        (
            "cancel",
            LoanStatus.DISBURSED,
            "A loan can be cancelled only before it is disbursed; this one is Disbursed (active).",
        ),
        (
            "write_off",
            LoanStatus.APPROVED,
            "A loan can be written off only while it is disbursed (active); this one is Approved.",
        ),
    ],
)
def test_a_loan_move_from_the_wrong_status_is_refused_and_not_offered(move, status, message):
    user = UserFactory(role=Role.MANAGER)
    refusal = services.loan_move_refusal(loan_in(status), user, move)
    assert (refusal.code, refusal.message, refusal.offered) == (Refused.WRONG_STATUS, message, False)


@pytest.mark.parametrize("move", ["approve", "reject"])
def test_an_officer_is_shown_the_decision_disabled_with_the_reason(move):
    refusal = services.loan_move_refusal(loan_in(LoanStatus.SUBMITTED), UserFactory(role=Role.OFFICER), move)
    assert (refusal.code, refusal.message, refusal.offered) == (Refused.NOT_PERMITTED, MANAGERS_ONLY, True)


@pytest.mark.parametrize("move", ["approve", "reject"])
def test_the_manager_who_created_a_loan_may_not_decide_on_it(move):
    creator = UserFactory(role=Role.MANAGER)
    refusal = services.loan_move_refusal(loan_in(LoanStatus.SUBMITTED, created_by=creator), creator, move)
    assert (refusal.code, refusal.message, refusal.offered) == (Refused.OWN_RECORD, OWN_LOAN, True)


@pytest.mark.parametrize("move", ["submit", "disburse", "write_off"])
def test_other_moves_of_a_role_without_them_are_not_offered(move):
    status = dict((name, status) for name, status, _ in LOAN_MOVES)[move]
    partner = UserFactory(role=Role.PARTNER)
    refusal = services.loan_move_refusal(loan_in(status), partner, move)
    assert (refusal.code, refusal.offered) == (Refused.NOT_PERMITTED, False)


def test_the_services_refuse_with_the_guards_codes():
    creator = UserFactory(role=Role.MANAGER)
    own = loan_in(LoanStatus.SUBMITTED, created_by=creator)
    with pytest.raises(ValidationError) as refused:
        services.loan_approve(loan=own, approved_by=creator)
    assert refusal_codes(refused.value) == {Refused.OWN_RECORD}
    assert refused.value.messages == [OWN_LOAN]
    with pytest.raises(ValidationError) as refused:
        services.loan_reject(loan=own, rejected_by=creator, reason="Mine.")
    assert refusal_codes(refused.value) == {Refused.OWN_RECORD}

    draft = loan_in(LoanStatus.DRAFT)
    with pytest.raises(ValidationError) as refused:
        services.loan_approve(loan=draft, approved_by=UserFactory(role=Role.MANAGER))
    assert refusal_codes(refused.value) == {Refused.WRONG_STATUS}
    own.refresh_from_db()
    assert own.status == LoanStatus.SUBMITTED


def test_disbursing_on_or_after_the_first_repayment_date_is_refused_with_its_code():
    loan = loan_in(LoanStatus.APPROVED)
    with pytest.raises(ValidationError) as refused:
        services.loan_disburse(loan=loan, disbursed_by=loan.created_by, disbursed_on=loan.first_repayment_date)
    assert refusal_codes(refused.value) == {FinanceRefusal.DISBURSEMENT_AFTER_FIRST_REPAYMENT}
    assert set(refused.value.message_dict) == {"disbursed_on"}


def test_the_loan_page_shows_the_guards_refusal_and_the_post_is_refused_the_same_way(client):
    creator = UserFactory(role=Role.MANAGER)
    own = loan_in(LoanStatus.SUBMITTED, created_by=creator)
    client.force_login(creator)

    page = client.get(reverse("finance:loan_detail", args=[own.pk])).content.decode()
    assert f'<span class="helptext inline" id="why-approve">{OWN_LOAN}</span>' in page
    assert f'<span class="helptext inline" id="why-reject">{OWN_LOAN}</span>' in page
    assert f'action="{reverse("finance:loan_approve", args=[own.pk])}"' not in page

    response = client.post(reverse("finance:loan_approve", args=[own.pk]))
    assert OWN_LOAN in [str(message) for message in response.context["messages"]]
    own.refresh_from_db()
    assert own.status == LoanStatus.SUBMITTED


def test_the_api_answers_the_guards_refusal_with_its_code():
    creator = UserFactory(role=Role.MANAGER)
    own = loan_in(LoanStatus.SUBMITTED, created_by=creator)

    response = as_user(creator).post(f"/api/v1/loans/{own.pk}/approve/")
    assert response.status_code == 400
    assert error_codes(response) == {"non_field_errors": [Refused.OWN_RECORD]}
    assert error_fields(response) == {"non_field_errors": [OWN_LOAN]}

    assert as_user(UserFactory(role=Role.MANAGER)).post(f"/api/v1/loans/{own.pk}/approve/").status_code == 200
    own.refresh_from_db()
    assert own.status == LoanStatus.APPROVED


# --- grant tranches -----------------------------------------------------------------------------------------------


@pytest.fixture
def grant_maker():
    return UserFactory(role=Role.MANAGER)


@pytest.fixture
def tranches(grant_maker):
    return list(grant_with_tranches(created_by=grant_maker).tranches.order_by("number"))


def test_another_manager_may_approve_a_scheduled_tranche(tranches):
    assert services.tranche_move_refusal(tranches[0], UserFactory(role=Role.MANAGER), "approve") is None


def test_whoever_created_the_grant_may_not_approve_its_tranches(tranches, grant_maker):
    refusal = services.tranche_move_refusal(tranches[0], grant_maker, "approve")
    assert (refusal.code, refusal.message) == (Refused.OWN_RECORD, OWN_GRANT)
    with pytest.raises(ValidationError) as refused:
        services.tranche_approve(tranche=tranches[0], approved_by=grant_maker)
    assert refusal_codes(refused.value) == {Refused.OWN_RECORD}


def test_an_officer_may_not_approve_a_tranche(tranches):
    refusal = services.tranche_move_refusal(tranches[0], UserFactory(role=Role.OFFICER), "approve")
    assert (refusal.code, refusal.offered) == (Refused.NOT_PERMITTED, False)


def test_an_officer_may_pay_an_approved_tranche_only(tranches):
    officer = UserFactory(role=Role.OFFICER)
    refusal = services.tranche_move_refusal(tranches[0], officer, "pay")
    assert (refusal.code, refusal.message) == (
        Refused.WRONG_STATUS,
        "A tranche can be paid only when it is approved; this one is Scheduled.",
    )
    approved = services.tranche_approve(tranche=tranches[0], approved_by=UserFactory(role=Role.MANAGER))
    assert approved.status == TrancheStatus.APPROVED
    assert services.tranche_move_refusal(approved, officer, "pay") is None
    refusal = services.tranche_move_refusal(approved, UserFactory(role=Role.AUDITOR), "pay")
    assert refusal.code == Refused.NOT_PERMITTED


def test_the_api_refuses_the_grant_makers_tranche_approval_with_its_code(tranches, grant_maker):
    response = as_user(grant_maker).post(f"/api/v1/tranches/{tranches[0].pk}/approve/")
    assert response.status_code == 400
    assert error_codes(response) == {"non_field_errors": [Refused.OWN_RECORD]}


# --- repayments ---------------------------------------------------------------------------------------------------


@pytest.fixture
def active_loan(partner_org):
    return loan_in(LoanStatus.DISBURSED, borrower=partner_org)


@pytest.fixture
def notified(active_loan, partner_user):
    return services.repayment_notify(
        loan=active_loan,
        notified_by=partner_user,
        paid_on=active_loan.first_repayment_date,
        amount="100.00",
        currency=active_loan.currency,
    )


@pytest.mark.parametrize("move", ["confirm", "reject"])
def test_an_officer_may_confirm_or_reject_a_notified_payment(notified, move):
    assert services.repayment_move_refusal(notified, UserFactory(role=Role.OFFICER), move) is None


@pytest.mark.parametrize("move", ["confirm", "reject", "reverse"])
def test_the_partner_may_not_review_payments(notified, partner_user, move):
    refusal = services.repayment_move_refusal(notified, partner_user, move)
    assert refusal.code in {Refused.NOT_PERMITTED, Refused.WRONG_STATUS}
    assert not refusal.offered


def test_a_pending_payment_cannot_be_reversed_and_a_confirmed_one_cannot_be_confirmed(notified, active_loan):
    officer = UserFactory(role=Role.OFFICER)
    refusal = services.repayment_move_refusal(notified, officer, "reverse")
    assert (refusal.code, refusal.message) == (
        Refused.WRONG_STATUS,
        "Only a confirmed repayment can be reversed; this one is Notified by the partner, awaiting confirmation.",
    )

    confirmed = recorded_repayment(active_loan, "50.00")
    assert confirmed.status == RepaymentStatus.CONFIRMED
    assert services.repayment_move_refusal(confirmed, officer, "reverse") is None
    for move in ("confirm", "reject"):
        assert services.repayment_move_refusal(confirmed, officer, move).code == Refused.WRONG_STATUS
    with pytest.raises(ValidationError) as refused:
        services.repayment_confirm(repayment=confirmed, confirmed_by=officer)
    assert refusal_codes(refused.value) == {Refused.WRONG_STATUS}


def test_paying_more_than_is_owed_is_refused_as_an_overpayment(active_loan):
    with pytest.raises(ValidationError) as refused:
        recorded_repayment(active_loan, "999999.00")
    assert refusal_codes(refused.value) == {FinanceRefusal.OVERPAYMENT}


def test_no_payment_on_a_loan_that_is_not_active():
    loan = loan_in(LoanStatus.APPROVED)
    refusal = services.payment_refusal(loan, UserFactory(role=Role.OFFICER))
    assert refusal.code == FinanceRefusal.LOAN_NOT_DISBURSED
    with pytest.raises(ValidationError) as refused:
        recorded_repayment(loan, "10.00")
    assert refusal_codes(refused.value) == {FinanceRefusal.LOAN_NOT_DISBURSED}


def test_only_the_borrowers_staff_may_notify_a_payment(active_loan, partner_user, other_partner_user):
    assert services.payment_refusal(active_loan, partner_user, Perm.ADD_REPAYMENT) is None
    refusal = services.payment_refusal(active_loan, other_partner_user, Perm.ADD_REPAYMENT)
    assert refusal.code == Refused.NOT_PERMITTED
    assert str(refusal.message) == "Only the borrower's staff can notify a payment on this loan."
    with pytest.raises(PermissionDenied):
        services.repayment_notify(
            loan=active_loan,
            notified_by=other_partner_user,
            paid_on=active_loan.first_repayment_date,
            amount="10.00",
            currency=active_loan.currency,
        )
    assert not active_loan.repayments.exists()
