"""History of schedules and allocations: every installment and allocation row has a history row naming who
acted, through the page, the API and the admin; a reversal keeps the allocations it undoes, marked
reversed, and leaves the books as if the payment had never been made; the loan page and the admin show
these events with money in the loan's currency, to staff who may read history and never to partners."""

import datetime
import html
import re
from decimal import Decimal as D

import pytest
from django.contrib.admin import helpers
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient
from simple_history.models import HistoricalRecords

from cooperation.accounts.services import api_token_issue
from cooperation.roles import Role
from programs.finance import selectors, services
from programs.finance.models import Allocation, Installment, Loan, LoanStatus, Repayment
from tests.factories import UserFactory, currency
from tests.programs.finance.factories import (
    FinancialProgrammeFactory,
    LoanFactory,
    RepaymentFactory,
    approved_loan,
    disbursed_loan,
    recorded_repayment,
    submitted_loan,
)

pytestmark = pytest.mark.django_db

FEB, MAR, APR = datetime.date(2026, 2, 15), datetime.date(2026, 3, 15), datetime.date(2026, 4, 15)


@pytest.fixture
def programme(partner_org):
    programme = FinancialProgrammeFactory(code="FIN-HIST-1")
    programme.participations.create(organisation=partner_org, role=1)
    return programme


@pytest.fixture
def loan(partner_org, programme, officer):
    """Disbursed 15 Jan 2026: 12 monthly installments of 1,032.80 USD (the first: 60.00 interest, 972.80 principal)."""
    return disbursed_loan(borrower=partner_org, programme=programme, created_by=officer)


def token_client(user) -> APIClient:
    api = APIClient()
    _token, key = api_token_issue(user=user)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api


def run_action(client, name, action, records, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [str(record.pk) for record in records], **extra}
    return client.post(reverse(f"admin:{name}_changelist"), data, follow=True)


def text_of(response_or_html) -> str:
    """What a sighted reader sees: no tags, no text only for screen readers, entities decoded, spaces collapsed."""
    markup = getattr(response_or_html, "content", response_or_html)
    markup = markup.decode() if isinstance(markup, bytes) else markup
    markup = re.sub(r'<span class="visually-hidden">.*?</span>', "", markup)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


def history_section(response) -> str:
    return text_of(response.content.decode().split('id="history"', 1)[1])


def allocation_history(loan: Loan):
    return Allocation.history.filter(installment__loan_id=loan.pk)


def installment_history(loan: Loan):
    return Installment.history.filter(loan_id=loan.pk)


# --- installments: created with the schedule, changed by every payment --------------------------------------------


def test_approval_gives_every_installment_a_history_row_by_the_approver(manager):
    loan = approved_loan(approver=manager, installments=12)
    created = installment_history(loan).filter(history_type="+")
    assert created.count() == Installment.objects.filter(loan=loan).count() == 12
    assert {(row.history_user, row.history_date) for row in created} == {(manager, loan.approved_at)}


def test_a_long_schedule_costs_no_more_queries_than_a_short_one(manager):
    def approving(installments: int) -> int:
        loan = submitted_loan(installments=installments)
        with CaptureQueriesContext(connection) as queries:
            services.loan_approve(loan=loan, approved_by=manager)
        assert installment_history(loan).count() == installments
        return len(queries)

    approving(6)  # the approver's permissions are read once, then cached on the user
    assert approving(6) == approving(60)


def test_a_payment_costs_no_more_queries_for_more_installments(officer):
    def paying(installments: int) -> int:
        loan = disbursed_loan(principal=D("6000.00"), annual_rate=D("0"), installments=installments)
        owed = sum((item.total_due for item in loan.schedule.all()), D(0))
        with CaptureQueriesContext(connection) as queries:
            recorded_repayment(loan, owed, paid_on=FEB, recorded_by=officer)
        assert installment_history(loan).filter(history_type="~").count() == installments
        return len(queries)

    paying(3)  # the officer's permissions are read once, then cached on the user
    assert paying(3) == paying(30)


def test_approving_on_the_page_records_the_manager(client, manager, partner_org, programme, officer):
    loan = submitted_loan(LoanFactory(borrower=partner_org, programme=programme, created_by=officer))
    client.force_login(manager)
    client.post(reverse("finance:loan_approve", args=[loan.pk]))
    assert {row.history_user for row in installment_history(loan)} == {manager}


def test_approving_through_the_api_with_a_token_records_the_manager(manager, partner_org, programme, officer):
    loan = submitted_loan(LoanFactory(borrower=partner_org, programme=programme, created_by=officer))
    response = token_client(manager).post(f"/api/v1/loans/{loan.pk}/approve/")
    assert response.status_code == 200, response.content
    assert installment_history(loan).count() == 12
    assert {row.history_user for row in installment_history(loan)} == {manager}


def test_approving_in_the_admin_records_the_manager(client, manager, partner_org, programme, officer):
    loan = submitted_loan(LoanFactory(borrower=partner_org, programme=programme, created_by=officer))
    client.force_login(manager)
    run_action(client, "finance_loan", "approve_loans", [loan])
    assert installment_history(loan).count() == 12
    assert {row.history_user for row in installment_history(loan)} == {manager}


# --- allocations and installments through each door ---------------------------------------------------------------


def assert_applied_by(loan: Loan, user, *, installment_number=1) -> None:
    allocation = Allocation.objects.get(installment__loan=loan, installment__number=installment_number)
    (created,) = allocation.history.all()
    assert (created.history_type, created.history_user) == ("+", user)
    paid = Installment.objects.get(loan=loan, number=installment_number).history.filter(history_type="~").first()
    assert paid.history_user == user and paid.history_date == created.history_date


def test_a_repayment_recorded_on_the_page_is_applied_in_the_officers_name(client, officer, loan):
    client.force_login(officer)
    data = {"paid_on": "2026-02-15", "amount": "1032.80", "currency": "USD", "reference": "T-1"}
    assert client.post(reverse("finance:loan_repayment_create", args=[loan.pk]), data).status_code == 302
    assert_applied_by(loan, officer)


def test_a_notified_payment_confirmed_on_the_page_is_applied_in_the_confirming_officers_name(
    client, officer, partner_user, loan
):
    notified = RepaymentFactory(loan=loan, recorded_by=partner_user, amount=D("100.00"), paid_on=FEB)
    client.force_login(officer)
    client.post(reverse("finance:loan_repayment_confirm", args=[loan.pk, notified.pk]))
    assert_applied_by(loan, officer)


def test_a_repayment_recorded_through_the_api_with_a_token_is_applied_in_the_token_users_name(officer, loan):
    payload = {"loan": loan.pk, "paid_on": "2026-02-15", "amount": "1032.80", "currency": "USD"}
    response = token_client(officer).post("/api/v1/repayments/", payload, format="json")
    assert response.status_code == 201, response.content
    assert_applied_by(loan, officer)


def test_the_history_middleware_sees_the_token_user_of_an_api_request(officer, loan, monkeypatch):
    """Services name the acting user themselves; the request the history middleware holds names the same one."""
    seen = []
    record = services.repayment_record

    def spy(**kwargs):
        seen.append(HistoricalRecords.context.request.user)
        return record(**kwargs)

    monkeypatch.setattr(services, "repayment_record", spy)
    payload = {"loan": loan.pk, "paid_on": "2026-02-15", "amount": "100.00", "currency": "USD"}
    assert token_client(officer).post("/api/v1/repayments/", payload, format="json").status_code == 201
    assert seen == [officer]


def test_a_repayment_recorded_in_the_admin_is_applied_in_the_officers_name(client, officer, loan):
    client.force_login(officer)
    management = {f"allocations-{key}": "0" for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS")}
    data = {"loan": str(loan.pk), "paid_on": "2026-02-15", "amount": "1032.80", "currency": "USD", **management}
    assert client.post(reverse("admin:finance_repayment_add"), data).status_code == 302
    assert_applied_by(loan, officer)


def reversal_rows(loan: Loan, repayment: Repayment):
    return Allocation.history.filter(repayment_id=repayment.pk, history_type="~")


def test_reversing_on_the_page_keeps_the_allocation_marked_reversed_by_the_officer(client, officer, loan):
    repayment = recorded_repayment(loan, "300.00", paid_on=FEB)
    client.force_login(officer)
    client.post(reverse("finance:loan_repayment_reverse", args=[loan.pk, repayment.pk]), {"reason": "Wrong loan."})
    (kept,) = Allocation.with_reversed.filter(repayment=repayment)
    repayment.refresh_from_db()
    assert (kept.reversed_by, kept.reversed_at, kept.reversal_reason) == (officer, repayment.reversed_at, "Wrong loan.")
    assert (kept.interest, kept.principal) == (D("60.00"), D("240.00"))  # what it had applied, kept as it was
    assert not repayment.allocations.exists()  # nothing of it applies now
    assert [row.history_user for row in reversal_rows(loan, repayment)] == [officer]
    first = Installment.objects.get(loan=loan, number=1)
    assert first.total_paid == 0 and first.history.first().history_user == officer


def test_reversing_through_the_api_with_a_token_records_the_token_user(officer, loan):
    repayment = recorded_repayment(loan, "300.00", paid_on=FEB)
    response = token_client(officer).post(f"/api/v1/repayments/{repayment.pk}/reverse/", {"reason": "Bounced."})
    assert response.status_code == 200, response.content
    assert response.json()["allocations"] == []  # the API shows what applies now
    kept = Allocation.with_reversed.get(repayment=repayment)
    assert (kept.reversed_by, kept.reversal_reason) == (officer, "Bounced.")
    assert [row.history_user for row in reversal_rows(loan, repayment)] == [officer]


def test_reversing_in_the_admin_records_the_officer(client, officer, loan):
    repayment = recorded_repayment(loan, "300.00", paid_on=FEB)
    client.force_login(officer)
    run_action(client, "finance_repayment", "reverse_repayments", [repayment], apply="yes", reason="Duplicate")
    kept = Allocation.with_reversed.get(repayment=repayment)
    assert (kept.reversed_by, kept.reversal_reason) == (officer, "Duplicate")
    assert [row.history_user for row in reversal_rows(loan, repayment)] == [officer]


# --- what a reversal keeps and what it changes --------------------------------------------------------------------


def test_a_reversal_keeps_every_allocation_and_rewrites_only_what_moved(officer, manager, loan):
    """February pays installment 1; the March payment is reversed; April's payment moves up to installment 2."""
    february = recorded_repayment(loan, "1032.80", paid_on=FEB, recorded_by=officer)
    march = recorded_repayment(loan, "1032.80", paid_on=MAR, recorded_by=officer)
    april = recorded_repayment(loan, "500.00", paid_on=APR, recorded_by=officer)
    before = {
        row.pk: (row.repayment_id, row.installment_id, row.interest, row.principal) for row in Allocation.objects.all()
    }

    services.repayment_reverse(repayment=march, reversed_by=manager, reason="Paid by another borrower.")

    rows = list(Allocation.with_reversed.select_related("installment").order_by("pk"))
    assert {row.pk for row in rows} >= set(before)  # nothing was deleted
    assert {row.pk: row for row in rows}.keys() - set(before)  # and the moved payment got new rows
    live = [
        (row.repayment_id, row.installment.number, row.interest, row.principal) for row in rows if not row.is_reversed
    ]
    assert sorted(live) == sorted(
        [
            (february.pk, 1, D("60.00"), D("972.80")),  # applied as before: the same row, untouched
            (april.pk, 2, D("55.14"), D("444.86")),  # April now pays installment 2 instead of 3
        ]
    )
    assert Allocation.objects.get(repayment=february).pk in before
    reversed_rows = [row for row in rows if row.is_reversed]
    assert {row.repayment_id for row in reversed_rows} == {march.pk, april.pk}
    march.refresh_from_db()
    assert {(row.reversed_by, row.reversed_at, row.reversal_reason) for row in reversed_rows} == {
        (manager, march.reversed_at, "Paid by another borrower.")
    }
    # Live allocations add up to the confirmed payments, and to what the installments show as paid.
    live_total = sum((row.interest + row.principal for row in Allocation.objects.filter(repayment__loan=loan)), D(0))
    paid = sum((item.total_paid for item in loan.schedule.all()), D(0))
    assert live_total == paid == D("1532.80")
    # Only the installments whose paid amounts moved got a history row from the reversal.
    by_reversal = installment_history(loan).filter(history_date=march.reversed_at)
    assert sorted(row.number for row in by_reversal) == [2, 3] and {r.history_user for r in by_reversal} == {manager}


def _books(loan: Loan, user, today: datetime.date) -> dict:
    listed = selectors.loan_list(user=user, today=today).get(pk=loan.pk)
    (portfolio,) = [row for row in selectors.portfolio_summary(user=user, today=today) if row.currency == loan.currency]
    return {
        "paid": [(i.interest_paid, i.principal_paid) for i in loan.schedule.order_by("number")],
        "arrears": [i.days_past_due for i in selectors.loan_schedule(loan=loan, today=today)],
        "loan": (listed.outstanding_principal, listed.overdue_amount, listed.max_days_past_due, listed.status),
        "portfolio": (
            portfolio.outstanding_principal,
            portfolio.overdue,
            portfolio.due_next_30_days,
            portfolio.collected_this_month,
            portfolio.par30,
            portfolio.par90,
        ),
    }


def test_after_a_reversal_the_books_read_as_if_the_payment_had_never_been_made(officer, manager, client, monkeypatch):
    """Two loans on the same terms, one in USD, one in EUR: the USD one had a payment that was reversed."""
    today = datetime.date(2026, 6, 20)
    terms = {"principal": D("3000.00"), "annual_rate": D("0"), "installments": 6}
    reversed_one = disbursed_loan(currency=currency("USD"), **terms)
    never_paid = disbursed_loan(currency=currency("EUR"), **terms)
    for loan in (reversed_one, never_paid):
        recorded_repayment(loan, "500.00", paid_on=FEB, recorded_by=officer)
    wrong = recorded_repayment(reversed_one, "1000.00", paid_on=MAR, recorded_by=officer)
    for loan in (reversed_one, never_paid):
        recorded_repayment(loan, "250.00", paid_on=datetime.date(2026, 6, 5), recorded_by=officer)
    services.repayment_reverse(repayment=wrong, reversed_by=officer, reason="Cheque bounced.")

    assert _books(reversed_one, manager, today) == _books(never_paid, manager, today)
    assert _books(reversed_one, manager, today)["portfolio"] == (
        D("2250.00"),  # 3000 less the 750 still applied
        D("1750.00"),  # Feb to Jun (2500 due) less 750 paid
        D("500.00"),  # 15 Jul, the only installment in the next 30 days
        D("250.00"),  # June's payment
        D("100.00"),  # installment 2 is 97 days late: the whole loan is at risk
        D("100.00"),
    )

    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)
    client.force_login(manager)
    dashboard = client.get(reverse("reporting:dashboard")).context["finance"]["portfolio"]
    usd, eur = (next(row for row in dashboard if row.currency.code == code) for code in ("USD", "EUR"))
    assert (usd.outstanding_principal, usd.overdue, usd.par30, usd.par90, usd.collected_this_month) == (
        eur.outstanding_principal,
        eur.overdue,
        eur.par30,
        eur.par90,
        eur.collected_this_month,
    )


def test_a_reversal_that_reopens_a_repaid_loan_keeps_its_allocations(officer):
    loan = disbursed_loan(principal=D("200.00"), annual_rate=D("0"), installments=2)
    only = recorded_repayment(loan, "200.00", paid_on=FEB, recorded_by=officer)
    loan.refresh_from_db()
    assert loan.status == LoanStatus.REPAID
    services.repayment_reverse(repayment=only, reversed_by=officer, reason="Wrong account.")
    loan.refresh_from_db()
    assert loan.status == LoanStatus.DISBURSED
    assert Allocation.with_reversed.filter(repayment=only).count() == 2
    assert not Allocation.objects.filter(repayment__loan=loan).exists()


def test_two_live_allocations_of_one_payment_on_one_installment_are_refused_by_the_database(officer, loan):
    repayment = recorded_repayment(loan, "100.00", paid_on=FEB, recorded_by=officer)
    existing = Allocation.objects.get(repayment=repayment)
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(repayment=repayment, installment=existing.installment, interest=D("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():  # reversed, but no reason given
        Allocation.with_reversed.filter(pk=existing.pk).update(reversed_at=existing.installment.loan.created_at)


# --- where the history shows ---------------------------------------------------------------------------------------


def test_the_loan_page_shows_schedule_payment_and_reversal_events_with_money(client, auditor, officer, manager):
    loan = approved_loan(approver=manager, created_by=officer, installments=12)
    loan = services.loan_disburse(loan=loan, disbursed_by=officer, disbursed_on=loan.disbursement_date)
    repayment = recorded_repayment(loan, "1032.80", paid_on=FEB, recorded_by=officer)
    services.repayment_reverse(repayment=repayment, reversed_by=manager, reason="Booked twice.")

    client.force_login(auditor)
    history = history_section(client.get(reverse("finance:loan_detail", args=[loan.pk])))
    who = {user: user.get_full_name() for user in (officer, manager)}
    assert "Schedule of 12 installments" in history
    assert f"{who[officer]} Created · Repayment of Feb. 15, 2026 applied to installment #1" in history
    assert "Interest: — → USD 60.00" in history and "Principal: — → USD 972.80" in history
    paid = "Installment #1 Interest paid: USD 0.00 → USD 60.00 Principal paid: USD 0.00 → USD 972.80"
    assert f"{who[officer]} Changed · {paid}" in history
    assert f"{who[manager]} Changed · Repayment of Feb. 15, 2026 applied to installment #1" in history
    assert "Reason for reversal: — → Booked twice." in history
    assert f"Reversed by: — → {who[manager]}" in history
    unpaid = "Installment #1 Interest paid: USD 60.00 → USD 0.00 Principal paid: USD 972.80 → USD 0.00"
    assert f"{who[manager]} Changed · {unpaid}" in history


def test_the_loan_page_history_costs_the_same_queries_for_few_and_many_events(client, auditor, officer):
    def queries_for(payments: int) -> int:
        loan = disbursed_loan(principal=D("1200.00"), annual_rate=D("0"), installments=12)
        repayments = [recorded_repayment(loan, "150.00", paid_on=FEB, recorded_by=officer) for _ in range(payments)]
        services.repayment_reverse(repayment=repayments[0], reversed_by=officer, reason="Twice.")
        client.force_login(auditor)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("finance:loan_detail", args=[loan.pk])).status_code == 200
        return len(queries)

    assert queries_for(2) == queries_for(6)


def test_partners_never_see_the_internal_history(client, partner_user, loan):
    repayment = recorded_repayment(loan, "300.00", paid_on=FEB)
    services.repayment_reverse(repayment=repayment, reversed_by=UserFactory(role=Role.OFFICER), reason="Internal note.")
    client.force_login(partner_user)
    portal = client.get(reverse("finance_portal:loan", args=[loan.pk]))
    assert portal.status_code == 200
    assert "Change history" not in text_of(portal) and "applied to installment" not in text_of(portal)
    for url in (
        reverse("admin:finance_installment_history", args=[loan.schedule.get(number=1).pk]),
        reverse("admin:finance_allocation_history", args=[Allocation.with_reversed.get().pk]),
    ):
        assert client.get(url).status_code in (302, 403, 404)
    api = APIClient()
    api.force_authenticate(partner_user)
    assert api.get(f"/api/v1/repayments/{repayment.pk}/").json()["allocations"] == []


@pytest.mark.parametrize("role", ["auditor", "officer"])
def test_staff_who_read_history_open_the_admin_history_of_installments_and_allocations(
    client, request, role, officer, loan
):
    repayment = recorded_repayment(loan, "300.00", paid_on=FEB, recorded_by=officer)
    services.repayment_reverse(repayment=repayment, reversed_by=officer, reason="Wrong loan.")
    client.force_login(request.getfixturevalue(role))

    installment = loan.schedule.get(number=1)
    page = text_of(client.get(reverse("admin:finance_installment_history", args=[installment.pk])))
    assert "USD 60.00 → USD 0.00" in page and officer.username in page

    kept = Allocation.with_reversed.get(repayment=repayment)
    page = text_of(client.get(reverse("admin:finance_allocation_history", args=[kept.pk])))
    assert "Wrong loan." in page and officer.username in page

    listed = client.get(reverse("admin:finance_allocation_changelist"), {"state": "reversed"})
    assert list(listed.context["cl"].result_list) == [kept]
    repayment_page = text_of(client.get(reverse("admin:finance_repayment_change", args=[repayment.pk])))
    assert "Wrong loan." in repayment_page  # the inline lists what the reversal took off the schedule


def test_an_allocation_entry_lists_only_the_amounts_it_applied(auditor, officer, loan):
    recorded_repayment(loan, "30.00", paid_on=FEB, recorded_by=officer)  # half the first installment's interest
    (applied,) = [e for e in selectors.loan_history(user=auditor, loan=loan) if "applied to" in e.subject]
    assert (applied.who, applied.action) == (officer, "created")
    assert [(c.label, c.old, c.new) for c in applied.changes] == [("Interest", "—", "USD 30.00")]
