"""Loan lifecycle, repayments' guards and grants, through the services every front door calls."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError

from cooperation.refusals import Refused, refusal_codes
from cooperation.roles import Role
from programs.finance import services
from programs.finance.models import Grant, Installment, Loan, LoanStatus, Repayment, RepaymentStatus, TrancheStatus
from programs.finance.schedule import build
from programs.finance.services import FinanceRefusal
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory, currency
from tests.programs.finance.factories import (
    FinancialProgrammeFactory,
    LoanFactory,
    approved_loan,
    disbursed_loan,
    grant_with_tranches,
    recorded_repayment,
    submitted_loan,
)

pytestmark = pytest.mark.django_db
D = Decimal
date = datetime.date


@pytest.fixture
def borrower():
    return OrganisationFactory(name="Koperasi Nelayan Sejahtera")


@pytest.fixture
def programme(borrower):
    programme = FinancialProgrammeFactory()
    programme.participations.create(organisation=borrower, role=4)
    return programme


def loan_data(programme, borrower, **overrides) -> dict:
    data = {
        "programme": programme,
        "borrower": borrower,
        "principal": D("12000.00"),
        "currency": currency("USD"),
        "annual_rate": D("3.5"),
        "frequency": 12,
        "installments": 24,
        "amortization": "annuity",
        "grace_periods": 3,
        "disbursement_date": date(2026, 3, 1),
        "first_repayment_date": date(2026, 4, 1),
        "purpose": "Boats and cold storage.",
    }
    data.update(overrides)
    return data


def messages(error: ValidationError) -> str:
    return " ".join(message for messages in error.message_dict.values() for message in messages)


# --- drafting -----------------------------------------------------------------------------------------------------


def test_officer_drafts_a_loan_with_a_fresh_reference_and_no_schedule_yet(officer, programme, borrower):
    loan = services.loan_create(created_by=officer, **loan_data(programme, borrower))
    assert loan.status == LoanStatus.DRAFT
    assert loan.reference == f"LN-{datetime.date.today().year}-000001"
    assert loan.discount_rate == D("5")
    assert not loan.schedule.exists()
    assert loan.history.get().history_user == officer


def test_references_count_up_and_a_deleted_number_is_never_reused(officer, programme, borrower):
    first = services.loan_create(created_by=officer, **loan_data(programme, borrower))
    second = services.loan_create(created_by=officer, **loan_data(programme, borrower))
    assert second.reference.endswith("-000002")
    Loan.objects.filter(pk=second.pk).delete()
    third = services.loan_create(created_by=officer, **loan_data(programme, borrower))
    assert third.reference.endswith("-000003")
    assert first.reference.endswith("-000001")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"principal": D("0")}, "principal"),
        ({"principal": D("-100.00")}, "principal"),
        ({"principal": D("100.005")}, "principal"),
        ({"annual_rate": D("-0.5")}, "annual_rate"),
        ({"annual_rate": D("100.5")}, "annual_rate"),
        ({"installments": 0}, "installments"),
        ({"grace_periods": 24}, "grace_periods"),
        ({"first_repayment_date": date(2026, 2, 1)}, "first_repayment_date"),
        ({"first_repayment_date": date(2026, 3, 1)}, "first_repayment_date"),
        ({"discount_rate": D("-1")}, "discount_rate"),
        ({"frequency": 5}, "frequency"),
        ({"amortization": "interest_only"}, "amortization"),
    ],
)
def test_bad_terms_are_refused_by_field_and_nothing_is_saved(officer, programme, borrower, overrides, field):
    with pytest.raises(ValidationError) as error:
        services.loan_create(created_by=officer, **loan_data(programme, borrower, **overrides))
    assert field in error.value.message_dict
    assert not Loan.objects.exists()


def test_the_messages_say_what_is_wrong(officer, programme, borrower):
    with pytest.raises(ValidationError) as error:
        services.loan_create(
            created_by=officer,
            **loan_data(programme, borrower, principal=D("-1"), annual_rate=D("101"), installments=0),
        )
    assert error.value.message_dict["principal"] == ["The principal must be more than zero."]
    assert error.value.message_dict["annual_rate"] == ["The interest rate cannot be above 100%."]
    assert error.value.message_dict["installments"] == ["A loan needs at least one installment."]


def test_yen_loan_with_decimals_is_refused(officer, programme, borrower):
    with pytest.raises(ValidationError) as error:
        services.loan_create(
            created_by=officer, **loan_data(programme, borrower, principal=D("1000.5"), currency=currency("JPY"))
        )
    assert "JPY" in error.value.message_dict["principal"][0]


def test_programme_without_the_financial_form_is_refused(officer, borrower):
    technical = ProgrammeFactory(is_technical=True, is_financial=False)
    technical.participations.create(organisation=borrower, role=4)
    with pytest.raises(ValidationError) as error:
        services.loan_create(created_by=officer, **loan_data(technical, borrower))
    assert "financial" in error.value.message_dict["programme"][0]
    assert not Loan.objects.exists()


def test_borrower_outside_the_programme_is_refused(officer, programme):
    outsider = OrganisationFactory(name="Not a participant")
    with pytest.raises(ValidationError) as error:
        services.loan_create(created_by=officer, **loan_data(programme, outsider))
    assert "does not take part" in error.value.message_dict["borrower"][0]


def test_lender_cannot_be_the_borrower(officer, programme, borrower):
    with pytest.raises(ValidationError) as error:
        services.loan_create(created_by=officer, **loan_data(programme, borrower, lender=borrower))
    assert "lender" in error.value.message_dict


@pytest.mark.parametrize("role", [Role.PARTNER, Role.AUDITOR])
def test_only_staff_who_may_add_loans_draft_them(role, programme, borrower):
    with pytest.raises(PermissionDenied):
        services.loan_create(created_by=UserFactory(role=role), **loan_data(programme, borrower))
    assert not Loan.objects.exists()


def test_draft_can_be_edited_and_the_change_is_in_its_history(officer, programme, borrower):
    loan = services.loan_create(created_by=officer, **loan_data(programme, borrower))
    editor = UserFactory(role=Role.OFFICER)
    services.loan_update(loan=loan, updated_by=editor, principal=D("15000.00"), installments=36)
    loan.refresh_from_db()
    assert (loan.principal, loan.installments) == (D("15000.00"), 36)
    assert loan.history.first().history_user == editor


def test_edit_with_bad_terms_saves_nothing(officer, programme, borrower):
    loan = services.loan_create(created_by=officer, **loan_data(programme, borrower))
    with pytest.raises(ValidationError) as error:
        services.loan_update(loan=loan, updated_by=officer, principal=D("0"), purpose="changed")
    assert "principal" in error.value.message_dict
    loan.refresh_from_db()
    assert (loan.principal, loan.purpose) == (D("12000.00"), "Boats and cold storage.")


def test_only_drafts_can_be_edited(officer):
    loan = submitted_loan()
    with pytest.raises(ValidationError) as error:
        services.loan_update(loan=loan, updated_by=officer, principal=D("1.00"))
    assert error.value.message_dict[NON_FIELD_ERRORS] == [
        "A loan can be edited only while it is a draft; this one is Submitted for approval."
    ]


# --- lifecycle ----------------------------------------------------------------------------------------------------


def test_submit_approve_disburse_and_the_schedule_is_generated_once_on_approval(manager):
    loan = LoanFactory(principal=D("12000.00"), annual_rate=D("6"), installments=12)
    services.loan_submit(loan=loan, submitted_by=loan.created_by)
    assert loan.status == LoanStatus.SUBMITTED and not loan.schedule.exists()

    services.loan_approve(loan=loan, approved_by=manager)
    loan.refresh_from_db()
    assert (loan.status, loan.approved_by, loan.approved_at is not None) == (LoanStatus.APPROVED, manager, True)
    expected = build(services.loan_terms(loan))
    saved = list(loan.schedule.order_by("number"))
    assert [(i.number, i.due_date, i.principal_due, i.interest_due, i.balance_after) for i in saved] == [
        (r.number, r.due_date, r.principal, r.interest, r.balance_after) for r in expected
    ]
    assert sum(i.principal_due for i in saved) == D("12000.00")

    services.loan_disburse(loan=loan, disbursed_by=loan.created_by, disbursed_on=date(2026, 1, 20))
    loan.refresh_from_db()
    assert (loan.status, loan.disbursed_on) == (LoanStatus.DISBURSED, date(2026, 1, 20))
    assert loan.schedule.count() == 12
    assert [record.history_user for record in loan.history.order_by("history_date")][-3:] == [
        loan.created_by,
        manager,
        loan.created_by,
    ]


def test_creator_cannot_approve_their_own_loan(manager, programme, borrower):
    loan = services.loan_create(created_by=manager, **loan_data(programme, borrower))
    services.loan_submit(loan=loan, submitted_by=manager)
    with pytest.raises(ValidationError) as error:
        services.loan_approve(loan=loan, approved_by=manager)
    assert refusal_codes(error.value) == {Refused.OWN_RECORD}
    loan.refresh_from_db()
    assert loan.status == LoanStatus.SUBMITTED
    assert not Installment.objects.exists()


def test_officer_cannot_approve(officer):
    loan = submitted_loan()
    with pytest.raises(PermissionDenied):
        services.loan_approve(loan=loan, approved_by=officer)


@pytest.mark.parametrize(
    ("prepare", "action", "message"),
    [
        (LoanFactory, "approve", "A loan can be approved only when it is submitted; this one is Draft."),
        (LoanFactory, "disburse", "A loan can be disbursed only when it is approved; this one is Draft."),
        (submitted_loan, "disburse", "A loan can be disbursed only when it is approved; this one is Submitted"),
        (approved_loan, "submit", "A loan can be submitted only when it is a draft; this one is Approved."),
        (approved_loan, "approve", "A loan can be approved only when it is submitted; this one is Approved."),
        (disbursed_loan, "cancel", "A loan can be cancelled only before it is disbursed"),
        (approved_loan, "write_off", "A loan can be written off only while it is disbursed (active)"),
        (LoanFactory, "reject", "A loan can be rejected only when it is submitted; this one is Draft."),
    ],
)
def test_transitions_out_of_order_are_refused_with_the_current_status(manager, prepare, action, message):
    loan = prepare()
    status = Loan.objects.get(pk=loan.pk).status
    calls = {
        "submit": lambda: services.loan_submit(loan=loan, submitted_by=manager),
        "approve": lambda: services.loan_approve(loan=loan, approved_by=manager),
        "reject": lambda: services.loan_reject(loan=loan, rejected_by=manager, reason="No."),
        "disburse": lambda: services.loan_disburse(loan=loan, disbursed_by=manager, disbursed_on=date(2026, 1, 15)),
        "cancel": lambda: services.loan_cancel(loan=loan, cancelled_by=manager, reason="No."),
        "write_off": lambda: services.loan_write_off(loan=loan, written_off_by=manager, reason="Lost."),
    }
    with pytest.raises(ValidationError) as error:
        calls[action]()
    assert refusal_codes(error.value) == {Refused.WRONG_STATUS}
    assert message in messages(error.value)
    assert Loan.objects.get(pk=loan.pk).status == status


def test_reject_needs_a_reason_and_records_it(manager):
    loan = submitted_loan()
    with pytest.raises(ValidationError) as error:
        services.loan_reject(loan=loan, rejected_by=manager, reason="  ")
    assert "reason" in error.value.message_dict
    services.loan_reject(loan=loan, rejected_by=manager, reason="Business plan incomplete.")
    loan.refresh_from_db()
    assert (loan.status, loan.status_note) == (LoanStatus.REJECTED, "Business plan incomplete.")


def test_approved_loan_can_be_cancelled_with_a_reason(officer):
    loan = approved_loan()
    services.loan_cancel(loan=loan, cancelled_by=officer, reason="Borrower withdrew.")
    loan.refresh_from_db()
    assert (loan.status, loan.status_note, loan.closed_on is not None) == (
        LoanStatus.CANCELLED,
        "Borrower withdrew.",
        True,
    )


def test_disbursement_must_come_before_the_first_repayment(officer):
    loan = approved_loan()
    with pytest.raises(ValidationError) as error:
        services.loan_disburse(loan=loan, disbursed_by=officer, disbursed_on=loan.first_repayment_date)
    assert "disbursed_on" in error.value.message_dict
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.APPROVED


def test_write_off_is_for_managers_only(officer, manager):
    loan = disbursed_loan()
    with pytest.raises(PermissionDenied):
        services.loan_write_off(loan=loan, written_off_by=officer, reason="Borrower dissolved.")
    services.loan_write_off(loan=loan, written_off_by=manager, reason="Borrower dissolved.")
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.WRITTEN_OFF


# --- repayments: guards -------------------------------------------------------------------------------------------


def record(loan, officer, amount, **overrides):
    values = {"paid_on": date(2026, 2, 15), "amount": D(amount), "currency": loan.currency}
    values.update(overrides)
    return services.repayment_record(loan=loan, recorded_by=officer, **values)


def test_repayment_on_a_loan_that_is_not_active_is_refused(officer):
    loan = approved_loan()
    with pytest.raises(ValidationError) as error:
        record(loan, officer, "100.00")
    assert refusal_codes(error.value) == {FinanceRefusal.LOAN_NOT_DISBURSED}
    assert not Repayment.objects.exists()


def test_currency_mismatch_is_refused(officer):
    loan = disbursed_loan()
    with pytest.raises(ValidationError) as error:
        record(loan, officer, "100.00", currency=currency("EUR"))
    assert error.value.message_dict["currency"] == ["This loan is in USD; record the repayment in USD."]
    assert not Repayment.objects.exists()


@pytest.mark.parametrize("amount", ["0", "-10.00", "10.001"])
def test_amount_must_be_positive_and_in_whole_cents(officer, amount):
    loan = disbursed_loan()
    with pytest.raises(ValidationError) as error:
        record(loan, officer, amount)
    assert "amount" in error.value.message_dict
    assert not Repayment.objects.exists()


def test_yen_repayment_with_decimals_is_refused(officer):
    loan = disbursed_loan(principal=D("1200000"), currency=currency("JPY"))
    with pytest.raises(ValidationError) as error:
        record(loan, officer, "1000.5")
    assert "JPY" in error.value.message_dict["amount"][0]


def test_repayment_dated_before_disbursement_is_refused(officer):
    loan = disbursed_loan()
    with pytest.raises(ValidationError) as error:
        record(loan, officer, "100.00", paid_on=date(2026, 1, 14))
    assert "paid_on" in error.value.message_dict


def test_overpayment_is_refused_with_the_exact_amount_still_owed(officer):
    # 1200.00 at 0% over 12 months: 1200.00 owed; after 250.00, 950.00 is.
    loan = disbursed_loan(principal=D("1200.00"), annual_rate=D("0"))
    record(loan, officer, "250.00")
    with pytest.raises(ValidationError) as error:
        record(loan, officer, "950.01")
    assert error.value.message_dict["amount"] == ["This is more than is owed: 950.00 USD is still owed on this loan."]
    assert refusal_codes(error.value) == {FinanceRefusal.OVERPAYMENT}
    assert Repayment.objects.count() == 1
    record(loan, officer, "950.00")
    assert Loan.objects.get(pk=loan.pk).status == LoanStatus.REPAID


def test_partner_users_cannot_record_confirmed_repayments(partner_user):
    loan = disbursed_loan()
    with pytest.raises(PermissionDenied):
        record(loan, partner_user, "100.00")


# --- repayments: notify, confirm, reject, reverse -----------------------------------------------------------------


def test_partner_notifies_and_an_officer_confirms(partner_user, partner_org, officer):
    loan = disbursed_loan(borrower=partner_org, principal=D("1200.00"), annual_rate=D("0"))
    pending = services.repayment_notify(
        loan=loan,
        notified_by=partner_user,
        paid_on=date(2026, 2, 14),
        amount=D("100.00"),
        currency=loan.currency,
        reference="BANK-42",
    )
    assert pending.status == RepaymentStatus.PENDING
    assert not pending.allocations.exists()
    assert loan.schedule.get(number=1).principal_paid == 0

    services.repayment_confirm(repayment=pending, confirmed_by=officer)
    pending.refresh_from_db()
    assert (pending.status, pending.confirmed_by) == (RepaymentStatus.CONFIRMED, officer)
    assert loan.schedule.get(number=1).principal_paid == D("100.00")
    with pytest.raises(ValidationError) as error:
        services.repayment_confirm(repayment=pending, confirmed_by=officer)
    assert refusal_codes(error.value) == {Refused.WRONG_STATUS}
    assert pending.allocations.count() == 1


def test_partner_of_another_organisation_cannot_notify(other_partner_user, partner_org):
    loan = disbursed_loan(borrower=partner_org)
    with pytest.raises(PermissionDenied):
        services.repayment_notify(
            loan=loan,
            notified_by=other_partner_user,
            paid_on=date(2026, 2, 14),
            amount=D("1.00"),
            currency=loan.currency,
        )


def test_notification_beyond_what_is_owed_is_refused(partner_user, partner_org):
    loan = disbursed_loan(borrower=partner_org, principal=D("1200.00"), annual_rate=D("0"))
    with pytest.raises(ValidationError) as error:
        services.repayment_notify(
            loan=loan,
            notified_by=partner_user,
            paid_on=date(2026, 2, 14),
            amount=D("1200.01"),
            currency=loan.currency,
        )
    assert "1,200.00 USD is still owed" in error.value.message_dict["amount"][0]


def test_confirming_a_notification_that_would_now_overpay_is_refused(partner_user, partner_org, officer):
    loan = disbursed_loan(borrower=partner_org, principal=D("1200.00"), annual_rate=D("0"))
    pending = services.repayment_notify(
        loan=loan, notified_by=partner_user, paid_on=date(2026, 2, 14), amount=D("1000.00"), currency=loan.currency
    )
    record(loan, officer, "700.00")
    with pytest.raises(ValidationError) as error:
        services.repayment_confirm(repayment=pending, confirmed_by=officer)
    assert "500.00 USD is still owed" in error.value.message_dict["amount"][0]
    pending.refresh_from_db()
    assert pending.status == RepaymentStatus.PENDING


def test_rejecting_a_notification_keeps_it_with_the_reason(partner_user, partner_org, officer):
    loan = disbursed_loan(borrower=partner_org)
    pending = services.repayment_notify(
        loan=loan, notified_by=partner_user, paid_on=date(2026, 2, 14), amount=D("10.00"), currency=loan.currency
    )
    with pytest.raises(ValidationError):
        services.repayment_reject(repayment=pending, rejected_by=officer, reason="")
    services.repayment_reject(repayment=pending, rejected_by=officer, reason="Nothing arrived on the account.")
    pending.refresh_from_db()
    assert (pending.status, pending.reversal_reason) == (RepaymentStatus.REJECTED, "Nothing arrived on the account.")
    with pytest.raises(ValidationError):
        services.repayment_confirm(repayment=pending, confirmed_by=officer)


def test_reversing_twice_is_refused(officer):
    loan = disbursed_loan()
    repayment = recorded_repayment(loan, "100.00")
    services.repayment_reverse(repayment=repayment, reversed_by=officer, reason="Bounced cheque.")
    with pytest.raises(ValidationError) as error:
        services.repayment_reverse(repayment=repayment, reversed_by=officer, reason="Again.")
    assert refusal_codes(error.value) == {Refused.WRONG_STATUS}
    repayment.refresh_from_db()
    assert (repayment.reversed_by, repayment.reversal_reason) == (officer, "Bounced cheque.")


def test_reversal_needs_a_reason_and_the_right_permission(officer, partner_user):
    loan = disbursed_loan()
    repayment = recorded_repayment(loan, "100.00")
    with pytest.raises(PermissionDenied):
        services.repayment_reverse(repayment=repayment, reversed_by=partner_user, reason="Mine.")
    with pytest.raises(ValidationError):
        services.repayment_reverse(repayment=repayment, reversed_by=officer, reason="")
    assert Repayment.objects.get(pk=repayment.pk).status == RepaymentStatus.CONFIRMED


def test_paying_everything_closes_the_loan_and_a_reversal_reopens_it(officer):
    loan = disbursed_loan(principal=D("300.00"), annual_rate=D("0"), installments=3)
    first = record(loan, officer, "100.00", paid_on=date(2026, 2, 15))
    record(loan, officer, "200.00", paid_on=date(2026, 3, 10))
    loan.refresh_from_db()
    assert (loan.status, loan.closed_on) == (LoanStatus.REPAID, date(2026, 3, 10))
    with pytest.raises(ValidationError):
        record(loan, officer, "1.00")

    services.repayment_reverse(repayment=first, reversed_by=officer, reason="Paid by another borrower.")
    loan.refresh_from_db()
    assert (loan.status, loan.closed_on) == (LoanStatus.DISBURSED, None)
    assert services.amount_owed(loan) == D("100.00")
    assert first.history.first().history_user == officer


def test_repayment_history_records_who(officer):
    loan = disbursed_loan()
    repayment = recorded_repayment(loan, "100.00", recorded_by=officer)
    assert repayment.history.get().history_user == officer
    assert (repayment.status, repayment.recorded_by, repayment.confirmed_by) == (
        RepaymentStatus.CONFIRMED,
        officer,
        officer,
    )


# --- grants -------------------------------------------------------------------------------------------------------


def test_grant_split_gives_leftover_cents_to_the_first_tranches(officer):
    grant = grant_with_tranches(created_by=officer, amount=D("1000.00"), tranche_count=3)
    tranches = list(grant.tranches.order_by("number"))
    assert [t.amount for t in tranches] == [D("333.34"), D("333.33"), D("333.33")]
    assert [t.planned_on for t in tranches] == [date(2026, 3, 1), date(2026, 6, 1), date(2026, 9, 1)]
    assert {t.status for t in tranches} == {TrancheStatus.SCHEDULED}
    assert grant.reference == f"GR-{datetime.date.today().year}-000001"


def test_grant_split_in_yen_and_dinar():
    yen = grant_with_tranches(amount=D("1000"), currency_code="JPY", tranche_count=3)
    assert [t.amount for t in yen.tranches.order_by("number")] == [D("334"), D("333"), D("333")]
    dinar = grant_with_tranches(amount=D("1.000"), currency_code="KWD", tranche_count=7, months_between=1)
    amounts = [t.amount for t in dinar.tranches.order_by("number")]
    assert amounts == [D("0.143")] * 6 + [D("0.142")]
    assert sum(amounts) == D("1.000")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"amount": D("0")}, "amount"),
        ({"amount": D("10.001")}, "amount"),
        ({"tranche_count": 0}, "tranche_count"),
        ({"amount": D("0.02"), "tranche_count": 3}, "tranche_count"),
        ({"months_between": -1}, "months_between"),
        ({"first_tranche_on": None}, "first_tranche_on"),
    ],
)
def test_bad_grants_are_refused_by_field(officer, programme, borrower, overrides, field):
    data = {
        "created_by": officer,
        "programme": programme,
        "recipient": borrower,
        "amount": D("5000.00"),
        "currency": currency("USD"),
        "tranche_count": 2,
        "first_tranche_on": date(2026, 5, 1),
    }
    data.update(overrides)
    with pytest.raises(ValidationError) as error:
        services.grant_create(**data)
    assert field in error.value.message_dict
    assert not Grant.objects.exists()


def test_grant_needs_a_financial_programme_and_a_participating_recipient(officer, borrower):
    technical = ProgrammeFactory(is_technical=True)
    with pytest.raises(ValidationError) as error:
        services.grant_create(
            created_by=officer,
            programme=technical,
            recipient=borrower,
            amount=D("10.00"),
            currency=currency("USD"),
            first_tranche_on=date(2026, 5, 1),
        )
    assert {"programme", "recipient"} <= set(error.value.message_dict)


def test_tranche_is_approved_by_another_manager_then_paid(officer, manager):
    grant = grant_with_tranches(created_by=officer)
    tranche = grant.tranches.get(number=1)
    with pytest.raises(ValidationError) as error:
        services.tranche_pay(tranche=tranche, paid_by=officer, paid_on=date(2026, 3, 2))
    assert refusal_codes(error.value) == {Refused.WRONG_STATUS}
    with pytest.raises(PermissionDenied):
        services.tranche_approve(tranche=tranche, approved_by=officer)

    services.tranche_approve(tranche=tranche, approved_by=manager)
    services.tranche_pay(tranche=tranche, paid_by=officer, paid_on=date(2026, 3, 2), payment_reference="SWIFT-1")
    tranche.refresh_from_db()
    assert (tranche.status, tranche.approved_by, tranche.paid_on, tranche.payment_reference) == (
        TrancheStatus.PAID,
        manager,
        date(2026, 3, 2),
        "SWIFT-1",
    )
    with pytest.raises(ValidationError):
        services.tranche_cancel(tranche=tranche, cancelled_by=officer)
    assert tranche.history.first().history_user == officer


def test_manager_cannot_approve_tranches_of_their_own_grant(manager):
    grant = grant_with_tranches(created_by=manager)
    with pytest.raises(ValidationError) as error:
        services.tranche_approve(tranche=grant.tranches.first(), approved_by=manager)
    assert refusal_codes(error.value) == {Refused.OWN_RECORD}


def test_tranche_pay_needs_a_date_and_cancel_works_before_payment(officer, manager):
    grant = grant_with_tranches(created_by=officer)
    tranche = grant.tranches.get(number=2)
    services.tranche_approve(tranche=tranche, approved_by=manager)
    with pytest.raises(ValidationError) as error:
        services.tranche_pay(tranche=tranche, paid_by=officer, paid_on=None)
    assert "paid_on" in error.value.message_dict
    services.tranche_cancel(tranche=tranche, cancelled_by=officer)
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.CANCELLED
    with pytest.raises(ValidationError):
        services.tranche_approve(tranche=tranche, approved_by=manager)
