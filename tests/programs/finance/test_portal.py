"""The partner portal's money pages: a partner sees their organisation's loans, grants and messages, and
notifies payments that wait for an officer; nothing of another organisation is ever shown or written."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Notification
from partners.notifications import notification_mark_read, notifications_mark_read
from programs.finance.models import Repayment, RepaymentStatus
from tests.factories import currency
from tests.programs.finance.factories import (
    GrantFactory,
    LoanFactory,
    NotificationFactory,
    disbursed_loan,
    grant_with_tranches,
    recorded_repayment,
    submitted_loan,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def today(monkeypatch):
    """Pages read "today" from timezone.localdate; fix it so days late are known."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


@pytest.fixture
def own_loan(partner_org, own_programme):
    """12 monthly installments of 1,032.80 USD from 15 Feb 2026; the first one paid."""
    loan = disbursed_loan(borrower=partner_org, programme=own_programme, reference="LN-OWN")
    recorded_repayment(loan, loan.schedule.get(number=1).total_due, paid_on=datetime.date(2026, 2, 15))
    return loan


@pytest.fixture
def foreign_loan(other_org, foreign_programme):
    return disbursed_loan(borrower=other_org, programme=foreign_programme)


def _notify_data(**overrides):
    data = {
        "notify-paid_on": "2026-05-10",
        "notify-amount": "500.00",
        "notify-currency": "USD",
        "notify-reference": "BRI-778812",
    }
    data.update({f"notify-{key}": value for key, value in overrides.items()})
    return data


# --- loans ---------------------------------------------------------------------------------------------------------


def test_loan_list_shows_own_loans_with_outstanding_and_next_due(client, partner_user, own_loan, foreign_loan, today):
    client.force_login(partner_user)

    response = client.get(reverse("finance_portal:loans"))

    assert response.status_code == 200
    html = response.content.decode()
    assert own_loan.reference in html
    assert foreign_loan.reference not in html
    second = own_loan.schedule.get(number=2)
    [shown] = response.context["loans"]
    assert shown.next_due_on == second.due_date == datetime.date(2026, 3, 15)
    assert shown.next_due_amount == second.total_due
    assert shown.outstanding_principal == own_loan.principal - own_loan.schedule.get(number=1).principal_due
    assert "March 15, 2026" in html
    # Installments of March, April and May (15th) are unpaid on 20 May: the oldest is 66 days late.
    assert "66 days late" in html


def test_loan_page_shows_the_schedule_paid_and_outstanding(client, partner_user, own_loan, today):
    client.force_login(partner_user)

    response = client.get(reverse("finance_portal:loan", args=[own_loan.pk]))

    assert response.status_code == 200
    installments = response.context["installments"]
    assert len(installments) == 12
    first, second = installments[0], installments[1]
    assert first.outstanding_amount == 0 and first.paid_amount == first.total_due
    assert second.days_past_due == 66
    html = response.content.decode()
    assert "Paid" in html and "66 days late" in html
    assert response.context["totals"].paid == first.total_due
    assert 'action="{}'.format(reverse("finance_portal:notify_payment", args=[own_loan.pk])) in html


def test_another_organisations_loan_is_404(client, partner_user, foreign_loan):
    client.force_login(partner_user)
    assert client.get(reverse("finance_portal:loan", args=[foreign_loan.pk])).status_code == 404


def test_partner_notifies_a_payment_which_waits_for_confirmation(client, partner_user, own_loan, today):
    client.force_login(partner_user)

    response = client.post(reverse("finance_portal:notify_payment", args=[own_loan.pk]), _notify_data())

    assert response.status_code == 302
    repayment = own_loan.repayments.get(reference="BRI-778812")
    assert repayment.status == RepaymentStatus.PENDING
    assert repayment.amount == Decimal("500.00")
    assert repayment.recorded_by == partner_user
    assert not repayment.allocations.exists()  # nothing is applied until an officer confirms
    page = client.get(response.url).content.decode()
    assert "awaiting confirmation" in page
    assert "BRI-778812" in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"amount": "0"}, "amount", "more than zero"),
        ({"amount": "-5"}, "amount", ""),
        ({"amount": "10.555"}, "amount", ""),
        ({"amount": "999999.00"}, "amount", "is still owed"),
        ({"currency": "EUR"}, "currency", "This loan is in USD"),
        ({"paid_on": "2025-12-01"}, "paid_on", "before the disbursement"),
        ({"paid_on": "not a date"}, "paid_on", ""),
    ],
)
def test_bad_notification_shows_the_error_next_to_the_field(
    client, partner_user, own_loan, today, overrides, field, message
):
    client.force_login(partner_user)
    before = Repayment.objects.count()

    response = client.post(reverse("finance_portal:notify_payment", args=[own_loan.pk]), _notify_data(**overrides))

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert Repayment.objects.count() == before
    assert 'class="errorlist"' in response.content.decode()


def test_notifying_on_another_organisations_loan_is_404_and_saves_nothing(client, partner_user, foreign_loan):
    client.force_login(partner_user)
    response = client.post(reverse("finance_portal:notify_payment", args=[foreign_loan.pk]), _notify_data())
    assert response.status_code == 404
    assert not foreign_loan.repayments.exists()


def test_a_loan_not_yet_disbursed_has_no_form_and_refuses_a_notification(client, partner_user, partner_org, today):
    loan = submitted_loan(LoanFactory(borrower=partner_org))
    client.force_login(partner_user)

    page = client.get(reverse("finance_portal:loan", args=[loan.pk]))
    assert page.context["can_notify"] is False
    assert "Notify the payment" not in page.content.decode()

    response = client.post(reverse("finance_portal:notify_payment", args=[loan.pk]), _notify_data())
    assert response.status_code == 200
    assert "only on a disbursed" in " ".join(response.context["form"].non_field_errors())
    assert not loan.repayments.exists()


def test_repayments_show_their_status(client, partner_user, own_loan, officer, today):
    from programs.finance import services

    pending = services.repayment_notify(
        loan=own_loan, notified_by=partner_user, paid_on=today, amount=Decimal("10.00"), currency=currency("USD")
    )
    rejected = services.repayment_notify(
        loan=own_loan, notified_by=partner_user, paid_on=today, amount=Decimal("20.00"), currency=currency("USD")
    )
    services.repayment_reject(repayment=rejected, rejected_by=officer, reason="No transfer reached our bank")
    client.force_login(partner_user)

    html = client.get(reverse("finance_portal:loan", args=[own_loan.pk])).content.decode()

    assert pending.get_status_display() in html
    assert "Not received" in html and "No transfer reached our bank" in html
    assert "Confirmed" in html


def test_staff_cannot_use_the_portal_pages(client, officer, own_loan):
    client.force_login(officer)
    assert client.get(reverse("finance_portal:loans")).status_code == 403
    assert client.get(reverse("finance_portal:loan", args=[own_loan.pk])).status_code == 403
    response = client.post(reverse("finance_portal:notify_payment", args=[own_loan.pk]), _notify_data())
    assert response.status_code == 403
    assert own_loan.repayments.count() == 1


def test_a_draft_loan_stays_out_of_the_portal(client, partner_user, partner_org):
    draft = LoanFactory(borrower=partner_org)
    client.force_login(partner_user)
    assert draft.reference not in client.get(reverse("finance_portal:loans")).content.decode()
    assert client.get(reverse("finance_portal:loan", args=[draft.pk])).status_code == 404


def test_loan_list_query_count_is_the_same_for_5_and_50_loans(client, partner_user, partner_org, own_programme):
    def make(count):
        for _ in range(count):
            submitted_loan(LoanFactory(borrower=partner_org, programme=own_programme))

    client.force_login(partner_user)
    make(5)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("finance_portal:loans"), {"page": 1})
    make(45)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("finance_portal:loans"))
    assert response.context["page_obj"].paginator.count == 50
    assert len(many.captured_queries) == len(few.captured_queries)


# --- grants --------------------------------------------------------------------------------------------------------


def test_grants_show_tranches_and_totals(client, partner_user, partner_org, manager, other_org):
    grant = grant_with_tranches(recipient=partner_org, amount=Decimal("1000.00"), tranche_count=3)
    GrantFactory(recipient=other_org, reference="GR-FOREIGN")
    from programs.finance import services

    first = grant.tranches.get(number=1)
    services.tranche_approve(tranche=first, approved_by=manager)
    services.tranche_pay(tranche=first, paid_by=manager, paid_on=datetime.date(2026, 3, 2))
    client.force_login(partner_user)

    html = client.get(reverse("finance_portal:grants")).content.decode()

    assert grant.reference in html and "GR-FOREIGN" not in html
    assert "USD 333.34" in html and "USD 333.33" in html
    assert '<dd data-total="paid">USD 333.34</dd>' in html
    assert '<dd data-total="remaining">USD 666.66</dd>' in html

    detail = client.get(reverse("finance_portal:grant", args=[grant.pk]))
    assert detail.status_code == 200
    assert "March 2, 2026" in detail.content.decode()


def test_another_organisations_grant_is_404(client, partner_user, other_org):
    grant = GrantFactory(recipient=other_org)
    client.force_login(partner_user)
    assert client.get(reverse("finance_portal:grant", args=[grant.pk])).status_code == 404


def test_grant_list_query_count_is_flat(client, partner_user, partner_org):
    client.force_login(partner_user)
    for _ in range(2):
        grant_with_tranches(recipient=partner_org, tranche_count=3)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("finance_portal:grants"))
    for _ in range(8):
        grant_with_tranches(recipient=partner_org, tranche_count=3)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("finance_portal:grants"))
    assert len(response.context["grants"]) == 10
    assert len(many.captured_queries) == len(few.captured_queries)


# --- notifications -------------------------------------------------------------------------------------------------


def test_notifications_are_newest_first_own_only_and_marked_read(client, partner_user, partner_org, other_org):
    older = NotificationFactory(organisation=partner_org, title="Installment due in 14 days")
    newer = NotificationFactory(organisation=partner_org, title="Installment due today", link="/portal/finance/")
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    foreign = NotificationFactory(organisation=other_org, title="Someone else's reminder")
    client.force_login(partner_user)

    home = client.get(reverse("portal:home")).content.decode()
    assert 'id="unread-notifications">2 unread' in home
    assert reverse("finance_portal:loans") in home

    response = client.get(reverse("finance_portal:notifications"))

    html = response.content.decode()
    assert [n.title for n in response.context["notifications"]] == [newer.title, older.title]
    assert "Someone else's reminder" not in html
    assert html.count(">New</span>") == 2  # new on this first view
    assert '<a href="/portal/finance/">Installment due today</a>' in html
    newer.refresh_from_db()
    older.refresh_from_db()
    foreign.refresh_from_db()
    assert newer.read_at and older.read_at
    assert foreign.read_at is None
    again = client.get(reverse("finance_portal:notifications")).content.decode()
    assert ">New</span>" not in again
    assert "unread-notifications" not in again


def test_a_link_to_another_site_is_not_made_clickable(client, partner_user, partner_org):
    NotificationFactory(organisation=partner_org, title="Phish", link="//evil.example.com/")
    client.force_login(partner_user)
    html = client.get(reverse("finance_portal:notifications")).content.decode()
    assert "evil.example.com" not in html


def test_mark_read_refuses_another_organisations_notification(partner_user, other_org, partner_org):
    from django.http import Http404

    foreign = NotificationFactory(organisation=other_org)
    with pytest.raises(Http404):
        notification_mark_read(notification=foreign, user=partner_user)
    assert notifications_mark_read(notifications=[foreign], user=partner_user) == 0
    foreign.refresh_from_db()
    assert foreign.read_at is None

    own = NotificationFactory(organisation=partner_org)
    notification_mark_read(notification=own, user=partner_user)
    first_read = own.read_at
    assert first_read is not None
    notification_mark_read(notification=own, user=partner_user)
    assert own.read_at == first_read


def test_mark_read_needs_the_notification_permission(officer, partner_org):
    from django.core.exceptions import PermissionDenied

    notification = NotificationFactory(organisation=partner_org)
    with pytest.raises(PermissionDenied):
        notification_mark_read(notification=notification, user=officer)
