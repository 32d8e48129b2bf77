"""The officer's finance pages: loans with their schedule preview, transitions, repayments and grants."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.outbox.models import MessageStatus
from programs.finance.models import (
    Frequency,
    Grant,
    Installment,
    Loan,
    LoanStatus,
    Repayment,
    RepaymentStatus,
    Tranche,
    TrancheStatus,
)
from tests.factories import OrganisationFactory, OutboxMessageFactory, currency
from tests.programs.finance.factories import (
    LoanFactory,
    ReminderLogFactory,
    RepaymentFactory,
    approved_loan,
    disbursed_loan,
    grant_with_tranches,
    recorded_repayment,
    submitted_loan,
)

pytestmark = pytest.mark.django_db


def loan_post(programme, borrower, **overrides):
    """The POST body the loan form sends."""
    data = {
        "programme": programme.pk,
        "borrower": borrower.pk,
        "lender": "",
        "purpose": "Solar pumps.",
        "principal": "12000",
        "currency": "USD",
        "annual_rate": "6",
        "frequency": str(Frequency.MONTHLY),
        "installments": "12",
        "amortization": "annuity",
        "grace_periods": "0",
        "disbursement_date": "2026-01-15",
        "first_repayment_date": "2026-02-15",
        "discount_rate": "5",
    }
    data.update(overrides)
    return data


def page(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def schedule_rows(html: str) -> list[list[str]]:
    """The body rows of the first schedule table, as cell texts."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


@pytest.fixture
def programme(own_programme):
    own_programme.is_financial = True
    own_programme.save(update_fields=["is_financial"])
    return own_programme


@pytest.fixture
def draft(programme, partner_org, officer):
    return LoanFactory(programme=programme, borrower=partner_org, created_by=officer)


def active_loan(created_by, **fields):
    """A disbursed loan whose first installments fell due in the past, so some are overdue."""
    today = timezone.localdate()
    fields.setdefault("disbursement_date", today - datetime.timedelta(days=100))
    fields.setdefault("first_repayment_date", today - datetime.timedelta(days=70))
    fields.setdefault("created_by", created_by)
    return disbursed_loan(**fields)


# --- Drafting a loan, with the schedule preview ----------------------------------------------------------


def test_officer_drafts_a_loan(client, officer, programme, partner_org):
    client.force_login(officer)
    response = client.post(reverse("finance:loan_create"), loan_post(programme, partner_org))

    loan = Loan.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("finance:loan_detail", args=[loan.pk])
    assert loan.status == LoanStatus.DRAFT
    assert loan.created_by == officer
    assert loan.principal == Decimal("12000")
    assert re.fullmatch(r"LN-\d{4}-\d{6}", loan.reference)
    assert not loan.schedule.exists()  # the schedule is generated on approval


def test_preview_button_shows_the_schedule_and_saves_nothing(client, officer, programme, partner_org):
    client.force_login(officer)
    response = client.post(reverse("finance:loan_create"), loan_post(programme, partner_org, preview="1"))

    assert response.status_code == 200
    assert Loan.objects.count() == 0
    html = page(response)
    rows = schedule_rows(html)
    assert len(rows) == 12
    assert rows[0][0] == "1"
    assert rows[0][2:] == ["USD 972.80", "USD 60.00", "USD 1,032.80", "USD 11,027.20"]
    assert rows[-1][-1] == "USD 0.00"
    assert 'data-total="principal">USD 12,000.00' in html
    assert "data-grant-element" in html
    # The form keeps what was typed.
    assert response.context["form"]["principal"].value() == "12000"


def test_preview_ignores_a_missing_programme_but_names_bad_terms(client, officer, programme, partner_org):
    client.force_login(officer)
    data = {**loan_post(programme, partner_org, preview="1"), "programme": "", "borrower": ""}
    response = client.post(reverse("finance:loan_create"), data)
    assert response.context["form"].errors == {}
    assert len(schedule_rows(page(response))) == 12

    data = loan_post(programme, partner_org, preview="1", principal="-5")
    response = client.post(reverse("finance:loan_create"), data)
    assert response.context["form"].errors["principal"] == ["The principal must be more than zero."]
    assert response.context["preview"] is None
    assert "<table" not in page(response).split('id="schedule-preview"', 1)[1]
    assert Loan.objects.count() == 0


def test_preview_fragment_follows_the_terms(client, officer, programme, partner_org):
    client.force_login(officer)
    url = reverse("finance:loan_preview")

    posted = client.post(url, loan_post(programme, partner_org, installments="4", frequency="4"))
    assert posted.status_code == 200
    assert "<html" not in page(posted)  # a fragment for the script, not a page
    assert len(schedule_rows(page(posted))) == 4

    queried = client.get(url, loan_post(programme, partner_org, amortization="bullet"))
    rows = schedule_rows(page(queried))
    assert [row[2] for row in rows[:-1]] == ["USD 0.00"] * 11
    assert rows[-1][2] == "USD 12,000.00"
    assert Loan.objects.count() == 0


def test_preview_fragment_names_what_stops_the_schedule(client, officer, programme, partner_org):
    client.force_login(officer)
    response = client.post(
        reverse("finance:loan_preview"), loan_post(programme, partner_org, first_repayment_date="2026-01-01")
    )
    assert "The first repayment must fall after the disbursement date." in page(response)
    assert "<table" not in page(response)

    empty = client.get(reverse("finance:loan_preview"))
    assert "Fill in the principal" in page(empty)


def test_preview_is_for_people_who_draft_loans(client, auditor, partner_user):
    url = reverse("finance:loan_preview")
    client.force_login(auditor)
    assert client.post(url, {}).status_code == 403
    client.force_login(partner_user)
    assert client.post(url, {}).status_code == 403


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("principal", "0", "The principal must be more than zero."),
        ("principal", "-100", "The principal must be more than zero."),
        ("annual_rate", "-1", "The interest rate cannot be negative."),
        ("annual_rate", "100.5", "The interest rate cannot be above 100%."),
        ("installments", "0", None),
        ("first_repayment_date", "2026-01-10", "The first repayment must fall after the disbursement date."),
        ("principal", "not a number", None),
    ],
)
def test_bad_loan_terms_are_field_errors_and_nothing_is_saved(
    client, officer, programme, partner_org, field, value, message
):
    client.force_login(officer)
    response = client.post(reverse("finance:loan_create"), loan_post(programme, partner_org, **{field: value}))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field]
    if message:
        assert errors[field] == [message]
    assert "nothing was saved" in page(response)
    assert Loan.objects.count() == 0


def test_borrower_outside_the_programme_is_a_field_error(client, officer, programme):
    client.force_login(officer)
    stranger = OrganisationFactory(name="Not A Participant")
    response = client.post(reverse("finance:loan_create"), loan_post(programme, stranger))
    assert "does not take part in this programme" in " ".join(response.context["form"].errors["borrower"])
    assert Loan.objects.count() == 0


def test_edit_page_shows_the_current_schedule_and_saves_changes(client, officer, draft):
    client.force_login(officer)
    url = reverse("finance:loan_edit", args=[draft.pk])
    shown = client.get(url)
    assert len(schedule_rows(page(shown))) == 12
    assert shown.context["form"]["principal"].value() == Decimal("12000.00")

    data = loan_post(draft.programme, draft.borrower, principal="6000", installments="6")
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert (draft.principal, draft.installments) == (Decimal("6000"), 6)


def test_only_drafts_can_be_edited(client, officer, draft):
    submitted_loan(draft)
    client.force_login(officer)
    url = reverse("finance:loan_edit", args=[draft.pk])
    response = client.post(url, loan_post(draft.programme, draft.borrower, principal="1"), follow=True)
    assert "A loan can be edited only while it is a draft" in " ".join(messages_of(response))
    draft.refresh_from_db()
    assert draft.principal == Decimal("12000.00")


# --- Transitions, per role ---------------------------------------------------------------------------------


def test_officer_submits_and_a_manager_approves(client, officer, manager, draft):
    client.force_login(officer)
    detail = client.get(reverse("finance:loan_detail", args=[draft.pk]))
    assert "Submit for approval" in page(detail)
    response = client.post(reverse("finance:loan_submit", args=[draft.pk]), follow=True)
    assert "submitted for approval" in " ".join(messages_of(response))
    draft.refresh_from_db()
    assert draft.status == LoanStatus.SUBMITTED

    client.force_login(manager)
    response = client.post(reverse("finance:loan_approve", args=[draft.pk]), follow=True)
    draft.refresh_from_db()
    assert draft.status == LoanStatus.APPROVED
    assert draft.approved_by == manager
    assert draft.schedule.count() == 12
    assert "was approved" in " ".join(messages_of(response))


def test_officer_cannot_approve(client, officer, draft):
    submitted_loan(draft)
    client.force_login(officer)
    detail = page(client.get(reverse("finance:loan_detail", args=[draft.pk])))
    assert re.search(r'<p class="action action-unavailable" id="action-approve"><strong>Approve</strong>', detail)
    assert "Only a manager can approve or reject a loan." in detail

    assert client.post(reverse("finance:loan_approve", args=[draft.pk])).status_code == 403
    assert client.post(reverse("finance:loan_reject", args=[draft.pk]), {"reject-reason": "No"}).status_code == 403
    draft.refresh_from_db()
    assert draft.status == LoanStatus.SUBMITTED


def test_manager_cannot_approve_their_own_loan(client, manager, programme, partner_org):
    own = submitted_loan(LoanFactory(programme=programme, borrower=partner_org, created_by=manager))
    client.force_login(manager)
    detail = page(client.get(reverse("finance:loan_detail", args=[own.pk])))
    assert "You created this loan, so another manager must approve or reject it." in detail
    assert re.search(r'<p class="action action-unavailable" id="action-approve"><strong>Approve</strong>', detail)

    response = client.post(reverse("finance:loan_approve", args=[own.pk]), follow=True)
    assert response.status_code == 200
    assert "You created this loan, so another manager must approve or reject it." in messages_of(response)
    own.refresh_from_db()
    assert own.status == LoanStatus.SUBMITTED
    assert not own.schedule.exists()


def test_transitions_out_of_order_are_refused_with_a_message(client, officer, manager, draft):
    client.force_login(manager)
    response = client.post(reverse("finance:loan_approve", args=[draft.pk]), follow=True)
    assert "A loan can be approved only when it is submitted; this one is Draft." in messages_of(response)

    client.force_login(officer)
    response = client.post(
        reverse("finance:loan_disburse", args=[draft.pk]), {"disburse-disbursed_on": "2026-01-15"}, follow=True
    )
    assert "A loan can be disbursed only when it is approved" in " ".join(messages_of(response))
    draft.refresh_from_db()
    assert draft.status == LoanStatus.DRAFT


def test_manager_rejects_with_a_reason(client, manager, draft):
    submitted_loan(draft)
    client.force_login(manager)
    url = reverse("finance:loan_reject", args=[draft.pk])

    response = client.post(url, {"reject-reason": "  "}, follow=True)
    assert "Reason: Give the reason; it is kept in the loan's history." in messages_of(response)
    draft.refresh_from_db()
    assert draft.status == LoanStatus.SUBMITTED

    client.post(url, {"reject-reason": "The borrower has not repaid the last loan."})
    draft.refresh_from_db()
    assert draft.status == LoanStatus.REJECTED
    assert draft.status_note == "The borrower has not repaid the last loan."


def test_disburse_with_a_date_then_write_off(client, officer, manager, draft):
    approved_loan(draft)
    client.force_login(officer)
    response = client.post(
        reverse("finance:loan_disburse", args=[draft.pk]), {"disburse-disbursed_on": "not a date"}, follow=True
    )
    assert "Disbursed on: Enter a valid date." in messages_of(response)
    client.post(reverse("finance:loan_disburse", args=[draft.pk]), {"disburse-disbursed_on": "2026-01-16"})
    draft.refresh_from_db()
    assert (draft.status, draft.disbursed_on) == (LoanStatus.DISBURSED, datetime.date(2026, 1, 16))

    assert client.post(reverse("finance:loan_write_off", args=[draft.pk]), {"write_off-reason": "x"}).status_code == 403
    client.force_login(manager)
    client.post(reverse("finance:loan_write_off", args=[draft.pk]), {"write_off-reason": "Borrower dissolved."})
    draft.refresh_from_db()
    assert draft.status == LoanStatus.WRITTEN_OFF


def test_cancel_with_a_reason(client, officer, draft):
    client.force_login(officer)
    client.post(reverse("finance:loan_cancel", args=[draft.pk]), {"cancel-reason": "Programme closed early."})
    draft.refresh_from_db()
    assert draft.status == LoanStatus.CANCELLED
    assert "Programme closed early." in page(client.get(reverse("finance:loan_detail", args=[draft.pk])))


def test_auditor_reads_but_cannot_change(client, auditor, draft, programme, partner_org):
    client.force_login(auditor)
    assert client.get(reverse("finance:loan_list")).status_code == 200
    detail = client.get(reverse("finance:loan_detail", args=[draft.pk]))
    assert detail.status_code == 200
    assert "Submit for approval" not in page(detail)
    assert 'id="history"' in page(detail)

    assert client.post(reverse("finance:loan_submit", args=[draft.pk])).status_code == 403
    assert client.post(reverse("finance:loan_cancel", args=[draft.pk]), {"cancel-reason": "x"}).status_code == 403
    assert client.post(reverse("finance:loan_create"), loan_post(programme, partner_org)).status_code == 403
    assert client.get(reverse("finance:loan_repayment_create", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == LoanStatus.DRAFT
    assert Loan.objects.count() == 1


def test_partner_users_get_403_on_lists_and_404_on_loans(client, partner_user, other_partner_user, draft):
    for user in (partner_user, other_partner_user):
        client.force_login(user)
        assert client.get(reverse("finance:loan_list")).status_code == 403
        assert client.get(reverse("finance:grant_list")).status_code == 403
        assert client.get(reverse("finance:loan_detail", args=[draft.pk])).status_code == 404
        assert client.post(reverse("finance:loan_submit", args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == LoanStatus.DRAFT


# --- The loan page --------------------------------------------------------------------------------------


def test_loan_page_shows_paid_outstanding_and_days_past_due(client, officer):
    loan = active_loan(officer, principal=Decimal("1200.00"), annual_rate=Decimal("0"))
    recorded_repayment(loan, "150.00", paid_on=loan.first_repayment_date)  # one and a half installments
    reminder = ReminderLogFactory(installment=loan.schedule.get(number=2), kind="overdue_1")
    OutboxMessageFactory(
        about=reminder,
        kind="finance.loan_reminder",
        recipient="ops@yab.example.org",
        status=MessageStatus.SENT,
        sent_at=timezone.now(),
    )
    client.force_login(officer)

    response = client.get(reverse("finance:loan_detail", args=[loan.pk]))
    html = page(response)
    rows = schedule_rows(html.split('id="schedule"', 1)[1])
    today = timezone.localdate()
    days = (today - loan.schedule.get(number=2).due_date).days
    assert rows[0][6:8] == ["USD 100.00", "Paid"]
    assert rows[1][6:] == ["USD 50.00", "USD 50.00", f"{days} days"]
    assert f"<mark>{days} days</mark>" in html
    assert rows[-1][-1] == "—"  # not due yet
    # The repayment, with how it was applied, and the reminder sent.
    assert "#1: interest USD 0.00, principal USD 100.00" in html
    assert "#2: interest USD 0.00, principal USD 50.00" in html
    assert "1 day overdue" in html and "ops@yab.example.org" in html
    assert "Record a repayment" in html
    assert response.context["loan"].overdue_amount > 0


def test_grant_element_of_an_interest_free_loan(client, officer, draft):
    draft.annual_rate = Decimal("0")
    draft.save()
    client.force_login(officer)
    response = client.get(reverse("finance:loan_detail", args=[draft.pk]))
    element = response.context["planned"].grant_element
    assert Decimal("2") < element < Decimal("4")  # a one-year interest-free loan at a 5% discount rate
    assert f"{element:.2f}%" in page(response)


def test_history_lists_the_transitions(client, officer, manager, draft):
    approved_loan(draft, approver=manager)
    client.force_login(officer)
    history = page(client.get(reverse("finance:loan_detail", args=[draft.pk]))).split('id="history"', 1)[1]
    assert "Draft" in history and "Submitted for approval" in history and "Approved" in history


def test_loan_page_query_count_does_not_grow_with_repayments(client, officer):
    def queries_for(repayment_count):
        loan = active_loan(officer, principal=Decimal("1200.00"), annual_rate=Decimal("0"))
        for _ in range(repayment_count):
            recorded_repayment(loan, "10.00", paid_on=loan.first_repayment_date)
        client.force_login(officer)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("finance:loan_detail", args=[loan.pk])).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(8)


# --- Repayments -----------------------------------------------------------------------------------------


def test_officer_records_a_repayment(client, officer):
    loan = active_loan(officer)
    client.force_login(officer)
    url = reverse("finance:loan_repayment_create", args=[loan.pk])
    form = client.get(url).context["form"]
    assert form["currency"].value() == "USD"

    data = {"paid_on": loan.first_repayment_date.isoformat(), "amount": "500", "currency": "USD", "reference": "T-1"}
    response = client.post(url, data)
    assert response.status_code == 302
    repayment = Repayment.objects.get()
    assert (repayment.status, repayment.recorded_by, repayment.reference) == (RepaymentStatus.CONFIRMED, officer, "T-1")
    first = loan.schedule.get(number=1)
    assert first.interest_paid == first.interest_due  # interest before principal


def test_overpayment_shows_the_exact_amount_still_owed(client, officer):
    loan = active_loan(officer, principal=Decimal("1000.00"), annual_rate=Decimal("0"), installments=4)
    recorded_repayment(loan, "250.00", paid_on=loan.first_repayment_date)
    client.force_login(officer)
    url = reverse("finance:loan_repayment_create", args=[loan.pk])
    assert "Still owed: USD 750.00" in page(client.get(url))

    data = {"paid_on": timezone.localdate().isoformat(), "amount": "750.01", "currency": "USD", "reference": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["amount"]
    assert "750.00 USD is still owed" in errors["amount"][0]
    assert Repayment.objects.count() == 1


def test_repayment_in_another_currency_is_refused_next_to_the_currency(client, officer):
    loan = active_loan(officer)
    client.force_login(officer)
    data = {"paid_on": timezone.localdate().isoformat(), "amount": "100", "currency": "EUR", "reference": ""}
    response = client.post(reverse("finance:loan_repayment_create", args=[loan.pk]), data)
    assert response.context["form"].errors["currency"] == ["This loan is in USD; record the repayment in USD."]
    assert not Repayment.objects.exists()


def test_repayment_on_a_loan_that_is_not_active_is_refused(client, officer, draft):
    approved_loan(draft)
    client.force_login(officer)
    data = {"paid_on": "2026-02-15", "amount": "100", "currency": "USD", "reference": ""}
    response = client.post(reverse("finance:loan_repayment_create", args=[draft.pk]), data)
    assert response.status_code == 200
    assert "only on a disbursed (active) loan" in " ".join(response.context["form"].non_field_errors())
    assert not Repayment.objects.exists()


@pytest.mark.parametrize(("amount", "message"), [("0", "more than zero"), ("10.005", "at most 2 decimal")])
def test_bad_repayment_amounts(client, officer, amount, message):
    loan = active_loan(officer)
    client.force_login(officer)
    data = {"paid_on": timezone.localdate().isoformat(), "amount": amount, "currency": "USD", "reference": ""}
    response = client.post(reverse("finance:loan_repayment_create", args=[loan.pk]), data)
    assert message in " ".join(response.context["form"].errors["amount"])
    assert not Repayment.objects.exists()


def test_officer_confirms_or_rejects_notified_payments(client, officer):
    loan = active_loan(officer)
    notified = RepaymentFactory(loan=loan, amount=Decimal("100.00"), paid_on=loan.first_repayment_date)
    bounced = RepaymentFactory(loan=loan, amount=Decimal("40.00"), paid_on=loan.first_repayment_date)
    client.force_login(officer)
    html = page(client.get(reverse("finance:loan_detail", args=[loan.pk])))
    assert reverse("finance:loan_repayment_confirm", args=[loan.pk, notified.pk]) in html

    client.post(reverse("finance:loan_repayment_confirm", args=[loan.pk, notified.pk]))
    client.post(reverse("finance:loan_repayment_reject", args=[loan.pk, bounced.pk]), {"reason": "Not on statement."})
    notified.refresh_from_db()
    bounced.refresh_from_db()
    assert notified.status == RepaymentStatus.CONFIRMED
    assert notified.allocations.exists()
    assert (bounced.status, bounced.reversal_reason) == (RepaymentStatus.REJECTED, "Not on statement.")


def test_reversing_twice_is_refused(client, officer):
    loan = active_loan(officer)
    repayment = recorded_repayment(loan, "300.00", paid_on=loan.first_repayment_date)
    client.force_login(officer)
    url = reverse("finance:loan_repayment_reverse", args=[loan.pk, repayment.pk])

    response = client.post(url, {"reason": ""}, follow=True)
    assert "Reason: Give the reason; it is kept in the loan's history." in messages_of(response)
    client.post(url, {"reason": "Booked on the wrong loan."})
    second = client.post(url, {"reason": "Again."}, follow=True)

    assert "Only a confirmed repayment can be reversed; this one is Reversed." in messages_of(second)
    repayment.refresh_from_db()
    assert (repayment.status, repayment.reversal_reason) == (RepaymentStatus.REVERSED, "Booked on the wrong loan.")
    assert not Installment.objects.filter(loan=loan, principal_paid__gt=0).exists()


def test_a_repayment_of_another_loan_is_not_found(client, officer):
    loan, other = active_loan(officer), active_loan(officer)
    repayment = recorded_repayment(other, "100.00", paid_on=other.first_repayment_date)
    client.force_login(officer)
    url = reverse("finance:loan_repayment_reverse", args=[loan.pk, repayment.pk])
    assert client.post(url, {"reason": "Wrong"}).status_code == 404


# --- The loan list ----------------------------------------------------------------------------------------


def test_loan_list_shows_money_and_arrears(client, officer, draft):
    loan = active_loan(officer, principal=Decimal("1200.00"), annual_rate=Decimal("0"))
    client.force_login(officer)
    html = page(client.get(reverse("finance:loan_list")))
    row = next(r for r in schedule_rows(html) if r[0] == loan.reference)
    assert row[3:5] == ["USD 1,200.00", "USD 1,200.00"]
    overdue = loan.schedule.filter(due_date__lt=timezone.localdate()).count() * 100
    assert row[5].startswith(f"USD {overdue:,}.00")
    assert row[7] == "Disbursed (active)"
    assert draft.reference in html


def test_loan_list_shows_each_loan_grant_element(client, officer, programme, partner_org):
    # 0% bullet, one annual installment a year after disbursement, discounted at 5% (or 10%): 4.76% (9.09%).
    terms = {
        "principal": Decimal("1000.00"),
        "annual_rate": Decimal("0"),
        "frequency": 1,
        "installments": 1,
        "amortization": "bullet",
        "disbursement_date": datetime.date(2026, 1, 1),
        "first_repayment_date": datetime.date(2027, 1, 1),
    }
    soft = LoanFactory(programme=programme, borrower=partner_org, created_by=officer, **terms)
    dear = LoanFactory(
        programme=programme, borrower=partner_org, created_by=officer, discount_rate=Decimal("10"), **terms
    )
    client.force_login(officer)
    html = page(client.get(reverse("finance:loan_list")))

    assert '<th scope="col" class="num">Grant element</th>' in html
    rows = {row[0]: row for row in schedule_rows(html)}
    assert rows[soft.reference][6] == "4.76%"
    assert rows[dear.reference][6] == "9.09%"
    assert 'title="at a 10% discount rate"' in html


def test_loan_list_filters(client, officer, manager, draft):
    late = active_loan(officer)
    other_currency = LoanFactory(currency=currency("EUR"), created_by=officer)
    borrower = OrganisationFactory(name="Koperasi Nelayan")
    by_borrower = LoanFactory(borrower=borrower, created_by=officer)
    client.force_login(manager)

    def listed(**query):
        response = client.get(reverse("finance:loan_list"), query)
        return {loan.reference for loan in response.context["loans"]}

    everything = {draft.reference, late.reference, other_currency.reference, by_borrower.reference}
    assert listed() == everything
    assert listed(status="disbursed") == {late.reference}
    assert listed(overdue="yes") == {late.reference}
    assert listed(overdue="no") == everything - {late.reference}
    assert listed(currency="EUR") == {other_currency.reference}
    assert listed(borrower=borrower.pk) == {by_borrower.reference}
    assert listed(programme=draft.programme_id) == {draft.reference}
    assert listed(q=late.reference[-4:].lower()) == {late.reference}
    assert listed(status="no-such-status") == everything  # a bad filter value is ignored, never a 500


def test_loan_list_sorts_by_a_column_and_paginates(client, officer):
    small = LoanFactory(principal=Decimal("500.00"), created_by=officer)
    large = LoanFactory(principal=Decimal("90000.00"), created_by=officer)
    LoanFactory.create_batch(30, created_by=officer)
    client.force_login(officer)

    ascending = client.get(reverse("finance:loan_list"), {"ordering": "principal"})
    assert ascending.context["loans"][0] == small
    assert 'aria-sort="ascending"' in page(ascending)
    descending = client.get(reverse("finance:loan_list"), {"ordering": "-principal"})
    assert descending.context["loans"][0] == large
    assert len(descending.context["loans"]) == 25
    second = client.get(reverse("finance:loan_list"), {"ordering": "-principal", "page": 2})
    assert len(second.context["loans"]) == 7


def test_loan_list_query_count_is_flat(client, officer):
    client.force_login(officer)

    def queries_with(count):
        for _ in range(count - Loan.objects.count()):
            active_loan(officer) if _ % 2 else LoanFactory(created_by=officer)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("finance:loan_list"), {"page": 2} if count > 25 else {})
        assert len(response.context["loans"]) == (count if count <= 25 else 25)
        return len(queries)

    assert queries_with(5) == queries_with(50)


# --- Grants ---------------------------------------------------------------------------------------------------


def test_officer_creates_a_grant_in_tranches(client, officer, programme, partner_org):
    client.force_login(officer)
    data = {
        "programme": programme.pk,
        "recipient": partner_org.pk,
        "kind": "grant",
        "purpose": "Schools.",
        "amount": "1000.00",
        "currency": "USD",
        "tranche_count": "3",
        "first_tranche_on": "2026-03-31",
        "months_between": "1",
    }
    response = client.post(reverse("finance:grant_create"), data)
    grant = Grant.objects.get()
    assert response.url == reverse("finance:grant_detail", args=[grant.pk])
    tranches = list(grant.tranches.order_by("number").values_list("amount", "planned_on"))
    assert tranches == [
        (Decimal("333.34"), datetime.date(2026, 3, 31)),
        (Decimal("333.33"), datetime.date(2026, 4, 30)),
        (Decimal("333.33"), datetime.date(2026, 5, 31)),
    ]
    html = page(client.get(response.url))
    assert "USD 333.34" in html and 'data-total="remaining"><strong>USD 1,000.00' in html


def test_bad_grant_input_is_a_field_error(client, officer, programme, partner_org):
    client.force_login(officer)
    data = {
        "programme": programme.pk,
        "recipient": partner_org.pk,
        "kind": "grant",
        "amount": "-5",
        "currency": "USD",
        "tranche_count": "3",
        "first_tranche_on": "2026-03-31",
        "months_between": "3",
    }
    response = client.post(reverse("finance:grant_create"), data)
    assert response.context["form"].errors["amount"] == ["The amount must be more than zero."]
    assert not Grant.objects.exists()


def test_tranches_are_approved_paid_and_cancelled(client, officer, manager):
    grant = grant_with_tranches(created_by=officer, amount=Decimal("900.00"), tranche_count=3)
    first, second, third = grant.tranches.order_by("number")

    client.force_login(officer)
    approve = reverse("finance:grant_tranche_approve", args=[grant.pk, first.pk])
    assert client.post(approve).status_code == 403

    client.force_login(manager)
    client.post(approve)
    client.force_login(officer)
    pay = reverse("finance:grant_tranche_pay", args=[grant.pk, first.pk])
    client.post(pay, {"paid_on": "2026-03-02", "payment_reference": "SWIFT-1"})
    client.post(reverse("finance:grant_tranche_cancel", args=[grant.pk, third.pk]))
    refused = client.post(reverse("finance:grant_tranche_pay", args=[grant.pk, second.pk]), {"paid_on": "2026-03-02"})

    first.refresh_from_db()
    third.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, first.paid_on, first.payment_reference) == (
        TrancheStatus.PAID,
        datetime.date(2026, 3, 2),
        "SWIFT-1",
    )
    assert third.status == TrancheStatus.CANCELLED
    assert second.status == TrancheStatus.SCHEDULED
    assert refused.status_code == 302
    detail = client.get(reverse("finance:grant_detail", args=[grant.pk]))
    html = page(detail)
    assert 'data-total="paid">USD 300.00' in html
    assert 'data-total="remaining"><strong>USD 300.00' in html
    assert "A tranche can be paid only when it is approved; this one is Scheduled." in messages_of(detail)


def test_a_tranche_of_another_grant_is_not_found(client, manager):
    grant, other = grant_with_tranches(), grant_with_tranches()
    client.force_login(manager)
    url = reverse("finance:grant_tranche_approve", args=[grant.pk, other.tranches.first().pk])
    assert client.post(url).status_code == 404
    assert not Tranche.objects.filter(status=TrancheStatus.APPROVED).exists()


def test_grant_pages_for_other_roles(client, auditor, partner_user, officer):
    grant = grant_with_tranches(created_by=officer)
    tranche = grant.tranches.first()
    client.force_login(auditor)
    assert client.get(reverse("finance:grant_list")).status_code == 200
    assert client.get(reverse("finance:grant_detail", args=[grant.pk])).status_code == 200
    assert client.post(reverse("finance:grant_tranche_cancel", args=[grant.pk, tranche.pk])).status_code == 403
    client.force_login(partner_user)
    assert client.get(reverse("finance:grant_detail", args=[grant.pk])).status_code == 404
    tranche.refresh_from_db()
    assert tranche.status == TrancheStatus.SCHEDULED


def test_pages_speak_indonesian(client, officer, draft):
    client.force_login(officer)
    response = client.get(reverse("finance:loan_detail", args=[draft.pk]), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert 'lang="id"' in page(response)
