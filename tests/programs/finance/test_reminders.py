"""Loan repayment reminders: which go out when, to whom, in which language — and never twice."""

import datetime
from decimal import Decimal
from io import StringIO
from smtplib import SMTPRecipientsRefused, SMTPServerDisconnected

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.outbox.delivery import sweep
from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.roles import Role
from partners.models import Language, Notification
from programs.finance.models import Installment, LoanStatus, ReminderKind, ReminderLog
from programs.finance.reminders import due_installments, send_due_reminders
from tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tests.programs.finance.factories import FinancialProgrammeFactory, LoanFactory

DUE = datetime.date(2026, 8, 17)


def day(offset: int) -> datetime.date:
    """A date relative to the installment's due date."""
    return DUE + datetime.timedelta(days=offset)


def loan_with_installments(*due_dates, borrower=None, programme=None, status=LoanStatus.DISBURSED, reference=None):
    loan = LoanFactory(
        borrower=borrower or OrganisationFactory(),
        programme=programme or FinancialProgrammeFactory(),
        status=status,
        installments=len(due_dates),
        disbursement_date=min(due_dates) - datetime.timedelta(days=60),
        first_repayment_date=min(due_dates),
        **({"reference": reference} if reference else {}),
    )
    for number, due_date in enumerate(due_dates, start=1):
        Installment.objects.create(
            loan=loan,
            number=number,
            due_date=due_date,
            principal_due=Decimal("1000.00"),
            interest_due=Decimal("25.50"),
            balance_after=Decimal("1000.00") * (len(due_dates) - number),
        )
    return loan


@pytest.fixture
def responsible_officer(db):
    return UserFactory(username="budi", role=Role.OFFICER, email="budi@kerjasama.example", first_name="Budi")


@pytest.fixture
def borrower(db):
    organisation = OrganisationFactory(name="Koperasi Tani Makmur", acronym="KTM")
    ContactFactory(organisation=organisation, name="Ayu", email="ayu@ktm.example", receives_reminders=True)
    ContactFactory(organisation=organisation, name="Nobody", email="nobody@ktm.example", receives_reminders=False)
    ContactFactory(
        organisation=organisation, name="Former", email="former@ktm.example", receives_reminders=True, is_active=False
    )
    return organisation


@pytest.fixture
def loan(borrower, responsible_officer):
    programme = FinancialProgrammeFactory(code="KSM-2026-LOAN", responsible_officer=responsible_officer)
    return loan_with_installments(DUE, borrower=borrower, programme=programme, reference="LN-2026-000042")


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the reminders as the daily job does: tasks are enqueued after commit (and run eagerly here)."""

    def run_on(today: datetime.date):
        with django_capture_on_commit_callbacks(execute=True):
            return send_due_reminders(today=today)

    return run_on


def sent_kinds(installment=None) -> list[str]:
    """The kinds of the reminders whose email went out, in the order they were claimed."""
    sent = OutboxMessage.objects.filter(kind="finance.loan_reminder", status=MessageStatus.SENT)
    logs = ReminderLog.objects.filter(pk__in=sent.values("object_id"))
    if installment is not None:
        logs = logs.filter(installment=installment)
    return list(logs.order_by("created_at", "pk").values_list("kind", flat=True))


def emails_to(address: str) -> list:
    return [message for message in mail.outbox if address in message.to]


def outbox_to(address: str) -> OutboxMessage:
    return OutboxMessage.objects.get(recipient=address)


def sweep_later(minutes: float):
    """The sweep, as it would run ``minutes`` from now (after a failed attempt's wait)."""
    return sweep(now=timezone.now() + datetime.timedelta(minutes=minutes))


def test_every_kind_goes_out_once_on_its_day_when_the_job_runs_daily(loan, run):
    sent_on = {}
    for offset in range(-20, 45):
        for reminder in run(day(offset)):
            sent_on[reminder.log.kind] = offset

    assert sent_on == {
        "upcoming_14": -14,
        "upcoming_3": -3,
        "due_today": 0,
        "overdue_1": 1,
        "overdue_7": 7,
        "overdue_30": 30,
    }
    assert len(emails_to("ayu@ktm.example")) == 6


def test_a_contact_who_receives_reminders_gets_the_email_and_it_is_logged(loan, run):
    run(day(-14))

    [email] = mail.outbox
    assert email.to == ["ayu@ktm.example"]
    assert "LN-2026-000042" in email.subject
    assert "USD 1,025.50" in email.body
    assert email.reply_to == ["budi@kerjasama.example"]  # the borrower's answer reaches the officer
    log = ReminderLog.objects.get()
    assert log.kind == ReminderKind.UPCOMING_14
    [message] = OutboxMessage.objects.all()
    assert (message.about, message.recipient, message.status) == (log, "ayu@ktm.example", MessageStatus.SENT)
    assert message.sent_at is not None


def test_running_twice_on_the_same_day_sends_nothing_twice(loan, run):
    first = run(day(1))
    second = run(day(1))

    assert [r.log.kind for r in first] == ["overdue_1"]
    assert second == []
    assert len(emails_to("ayu@ktm.example")) == 1
    assert ReminderLog.objects.count() == 1


def test_a_day_the_job_did_not_run_is_caught_up_the_next_day(loan, run):
    run(day(-14))
    # The job did not run on day -3 (the "due in 3 days" day).
    caught_up = run(day(-2))

    assert [r.log.kind for r in caught_up] == ["upcoming_3"]
    assert "in 2 days" in emails_to("ayu@ktm.example")[-1].body  # told as of the day it is sent


def test_after_a_long_outage_only_the_latest_kind_is_sent_and_the_superseded_ones_never(loan, run):
    run(day(-14))
    # Ten days without a run: overdue_1 (and upcoming_3, due_today) passed unseen; now 8 days overdue.
    caught_up = run(day(8))
    # Even a run told an earlier date cannot send a superseded kind any more.
    late = run(day(1)) + run(day(-3)) + run(day(0))

    assert [r.log.kind for r in caught_up] == ["overdue_7"]
    assert late == []
    assert sent_kinds() == ["upcoming_14", "overdue_7"]
    assert "8 days overdue" in emails_to("ayu@ktm.example")[-1].subject


def test_upcoming_reminders_are_not_sent_once_the_due_date_has_come(loan, run):
    assert [r.log.kind for r in run(day(0))] == ["due_today"]
    assert "upcoming" not in " ".join(sent_kinds())


def test_due_today_is_not_sent_once_the_installment_is_overdue(loan, run):
    assert [r.log.kind for r in run(day(3))] == ["overdue_1"]
    assert run(day(0)) == []


def test_old_arrears_beyond_the_catch_up_window_are_left_to_the_officers(loan, run, settings):
    settings.LOAN_REMINDER_CATCH_UP_DAYS = 30

    assert [r.log.kind for r in run(day(61))] == []  # 31 days after the 30-days-overdue moment
    assert [r.log.kind for r in run(day(60))] == ["overdue_30"]


def test_a_paid_installment_gets_nothing(borrower, run):
    loan = loan_with_installments(day(0), day(30), borrower=borrower)
    paid = loan.schedule.get(number=1)
    paid.principal_paid, paid.interest_paid = paid.principal_due, paid.interest_due
    paid.save()

    for offset in range(-20, 45):
        run(day(offset))

    assert sent_kinds(paid) == []
    assert sent_kinds(loan.schedule.get(number=2)) != []  # the same loan's next installment is reminded


def test_a_partly_paid_installment_is_reminded_of_what_is_still_owed(loan, run):
    installment = loan.schedule.get()
    installment.interest_paid = Decimal("25.50")
    installment.principal_paid = Decimal("400.00")
    installment.save()

    run(day(1))

    body = emails_to("ayu@ktm.example")[0].body
    assert "USD 425.50" in body  # already paid
    assert "USD 600.00" in body  # still to pay


def test_installment_paid_after_the_reminder_was_claimed_is_not_emailed(loan, run, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_due_reminders(today=day(1))
    Installment.objects.filter(pk=loan.schedule.get().pk).update(
        principal_paid=Decimal("1000.00"), interest_paid=Decimal("25.50")
    )
    for callback in callbacks:
        callback()

    assert mail.outbox == []
    cancelled = OutboxMessage.objects.values_list("recipient", "status")
    assert sorted(cancelled) == [("ayu@ktm.example", "cancelled"), ("budi@kerjasama.example", "cancelled")]


def test_a_reminder_whose_loan_was_written_off_meanwhile_is_not_emailed(loan, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_due_reminders(today=day(-3))
    loan.status = LoanStatus.WRITTEN_OFF
    loan.save(update_fields=["status"])
    for callback in callbacks:
        callback()

    assert mail.outbox == []
    assert outbox_to("ayu@ktm.example").status == MessageStatus.CANCELLED


@pytest.mark.parametrize(
    "status", [LoanStatus.APPROVED, LoanStatus.REPAID, LoanStatus.WRITTEN_OFF, LoanStatus.CANCELLED]
)
def test_only_disbursed_loans_are_reminded(borrower, run, status):
    loan_with_installments(DUE, borrower=borrower, status=status)

    assert run(day(1)) == []
    assert mail.outbox == []


class FailingOnce(EmailBackend):
    """The mail server drops the connection for the first message, then works."""

    failures = 0

    def send_messages(self, messages):
        if FailingOnce.failures == 0:
            FailingOnce.failures += 1
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


class FailingOnSecondMessage(EmailBackend):
    """Accepts the first message, fails once on the next one."""

    calls = 0

    def send_messages(self, messages):
        FailingOnSecondMessage.calls += 1
        if FailingOnSecondMessage.calls == 2:
            raise ConnectionResetError("mail server went away")
        return super().send_messages(messages)


class AlwaysDown(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


class RefusingAyu(EmailBackend):
    def send_messages(self, messages):
        if "ayu@ktm.example" in messages[0].to:
            raise SMTPRecipientsRefused({"ayu@ktm.example": (550, b"No such user")})
        return super().send_messages(messages)


def use_mail_backend(settings, backend) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.{backend.__name__}"}}


def test_an_email_failure_is_retried_later_and_the_retry_sends_it(loan, run, settings):
    FailingOnce.failures = 0
    use_mail_backend(settings, FailingOnce)

    run(day(1))

    assert FailingOnce.failures == 1
    assert emails_to("ayu@ktm.example") == []  # the first attempt failed: it waits about a minute
    waiting = outbox_to("ayu@ktm.example")
    assert (waiting.status, waiting.attempts) == (MessageStatus.PENDING, 1)
    assert "Connection unexpectedly closed" in waiting.last_error
    assert emails_to("budi@kerjasama.example") != []  # the officer's copy is a message of its own

    assert sweep_later(minutes=0.5) == {}  # not due yet
    assert sweep_later(minutes=1.5) == {MessageStatus.SENT: 1}
    assert len(emails_to("ayu@ktm.example")) == 1
    assert outbox_to("ayu@ktm.example").status == MessageStatus.SENT


def test_a_failure_halfway_does_not_send_again_to_those_already_reached(loan, run, settings):
    ContactFactory(organisation=loan.borrower, name="Bagus", email="bagus@ktm.example", receives_reminders=True)
    FailingOnSecondMessage.calls = 0
    use_mail_backend(settings, FailingOnSecondMessage)

    run(day(1))
    sweep_later(minutes=2)

    for address in ("ayu@ktm.example", "bagus@ktm.example", "budi@kerjasama.example"):
        assert len(emails_to(address)) == 1, address
        assert outbox_to(address).status == MessageStatus.SENT


def test_while_the_mail_server_is_down_the_reminder_waits_then_fails_visibly(loan, run, settings):
    use_mail_backend(settings, AlwaysDown)
    settings.OUTBOX_MAX_ATTEMPTS = 3

    run(day(1))

    ReminderLog.objects.get()  # claimed: no later run sends it again
    assert mail.outbox == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.PENDING}
    sweep_later(minutes=1.5)
    sweep_later(minutes=5)
    for message in OutboxMessage.objects.all():
        assert (message.status, message.attempts) == (MessageStatus.FAILED, 3)
        assert "mail server down" in message.last_error
    assert mail.outbox == []


def test_an_address_the_mail_server_refuses_fails_at_once_and_does_not_hold_back_the_others(loan, run, settings):
    use_mail_backend(settings, RefusingAyu)

    run(day(1))

    assert [m.to for m in mail.outbox] == [["budi@kerjasama.example"]]
    refused = outbox_to("ayu@ktm.example")
    assert (refused.status, refused.attempts) == (MessageStatus.FAILED, 1)
    assert "No such user" in refused.last_error
    assert outbox_to("budi@kerjasama.example").status == MessageStatus.SENT


def test_each_contact_reads_the_reminder_in_their_own_language(loan, run):
    ContactFactory(
        organisation=loan.borrower,
        name="Siti",
        email="siti@ktm.example",
        receives_reminders=True,
        preferred_language=Language.INDONESIAN,
    )

    run(day(-14))

    [english] = emails_to("ayu@ktm.example")
    [indonesian] = emails_to("siti@ktm.example")
    assert english.extra_headers["Content-Language"] == "en"
    assert indonesian.extra_headers["Content-Language"] == "id"
    assert "Aug. 17, 2026" in english.body and "USD 1,025.50" in english.body
    assert "17 Agu 2026" in indonesian.body and "USD 1.025,50" in indonesian.body
    assert "Aug. 17, 2026" not in indonesian.body


def test_the_borrower_organisation_sees_the_reminder_in_its_portal(loan, run, other_org):
    run(day(1))

    notification = Notification.objects.get(organisation=loan.borrower)
    assert "LN-2026-000042" in notification.title
    assert "USD 1,025.50" in notification.body
    assert notification.link == reverse("finance_portal:loan", args=[loan.pk])
    assert not Notification.objects.filter(organisation=other_org).exists()


def test_a_borrower_without_reminder_contacts_still_gets_the_portal_notification(run, responsible_officer):
    programme = FinancialProgrammeFactory(responsible_officer=responsible_officer)
    loan = loan_with_installments(DUE, programme=programme)

    [upcoming] = run(day(-14))
    [overdue] = run(day(1))

    assert Notification.objects.filter(organisation=loan.borrower).count() == 2
    assert upcoming.recipients == []
    assert overdue.recipients == ["budi@kerjasama.example"]
    [copy] = emails_to("budi@kerjasama.example")
    assert "No contact of" in copy.body


def test_the_responsible_officer_is_copied_on_overdue_reminders_only(loan, run):
    for offset in (-14, -3, 0):
        run(day(offset))
    assert emails_to("budi@kerjasama.example") == []

    run(day(1))

    [copy] = emails_to("budi@kerjasama.example")
    assert "LN-2026-000042" in copy.subject and "1 day overdue" in copy.subject
    assert "Ayu <ayu@ktm.example>" in copy.body


def test_managers_get_one_digest_a_day_of_what_became_overdue(borrower, run):
    manager = UserFactory(username="sri", role=Role.MANAGER, email="sri@kerjasama.example")
    officer = UserFactory(username="andi", role=Role.OFFICER, email="andi@kerjasama.example")
    loan_with_installments(DUE, borrower=borrower, reference="LN-2026-000101")
    loan_with_installments(day(-6), borrower=borrower, reference="LN-2026-000102")
    loan_with_installments(day(5), borrower=borrower, reference="LN-2026-000103")  # upcoming: not in the digest

    run(day(1))
    run(day(1))

    [digest] = emails_to(manager.email)
    assert emails_to(officer.email) == []
    assert "2 loan installments newly overdue" in digest.subject
    assert "LN-2026-000101" in digest.body and "LN-2026-000102" in digest.body
    assert "LN-2026-000103" not in digest.body
    assert "USD 2,051.00 in 2 installments" in digest.body

    run(day(2))  # nothing crossed an overdue mark: no digest
    run(day(7))  # LN-…101 is now 7 days overdue
    assert len(emails_to(manager.email)) == 2
    assert "LN-2026-000101" in emails_to(manager.email)[1].body


def test_a_second_run_the_same_day_adds_to_the_days_digest_while_it_waits(borrower, django_capture_on_commit_callbacks):
    manager = UserFactory(username="sri", role=Role.MANAGER, email="sri@kerjasama.example")
    loan_with_installments(DUE, borrower=borrower, reference="LN-2026-000101")
    with django_capture_on_commit_callbacks(execute=False) as first_run:  # its emails wait (a busy worker)
        send_due_reminders(today=day(1))
    loan_with_installments(DUE, borrower=borrower, reference="LN-2026-000102")  # recorded later that day
    with django_capture_on_commit_callbacks(execute=True):
        assert [r.log.installment.loan.reference for r in send_due_reminders(today=day(1))] == ["LN-2026-000102"]
    for callback in first_run:
        callback()

    [digest] = emails_to(manager.email)  # one email for the day, listing both
    assert "2 loan installments newly overdue" in digest.subject
    assert "LN-2026-000101" in digest.body and "LN-2026-000102" in digest.body
    assert OutboxMessage.objects.filter(kind="finance.overdue_digest").count() == 1


def test_once_the_days_digest_went_a_later_run_sends_only_what_is_new(borrower, run):
    manager = UserFactory(username="sri", role=Role.MANAGER, email="sri@kerjasama.example")
    loan_with_installments(DUE, borrower=borrower, reference="LN-2026-000101")
    run(day(1))
    loan_with_installments(DUE, borrower=borrower, reference="LN-2026-000102")
    run(day(1))
    run(day(1))

    first, second = emails_to(manager.email)
    assert "LN-2026-000101" in first.body and "LN-2026-000102" not in first.body
    assert "LN-2026-000102" in second.body and "LN-2026-000101" not in second.body
    assert "1 loan installment newly overdue" in second.subject


def test_officers_see_each_reminder_email_and_can_send_a_failed_one_again(loan, run, client, settings):
    use_mail_backend(settings, RefusingAyu)
    run(day(1))
    client.force_login(UserFactory(role=Role.OFFICER))
    html = client.get(reverse("finance:loan_detail", args=[loan.pk])).content.decode()
    section = html[html.index('id="reminders"') :]
    assert "1 day overdue" in section
    refused = outbox_to("ayu@ktm.example")
    ayu = section[section.index("ayu@ktm.example") - 200 :]
    assert 'data-message-state="failed"' in ayu and "No such user" in ayu
    assert reverse("outbox:resend", args=[refused.pk]) in section
    assert 'data-message-state="sent"' in section and "budi@kerjasama.example" in section


def test_the_command_prints_one_line_per_reminder_sent(loan, django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_loan_reminders", "--today", day(7).isoformat(), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["LN-2026-000042", "#1", "overdue_7", "ayu@ktm.example,", "budi@kerjasama.example"]
    assert "1 reminder(s) sent." in lines[-1]
    assert len(emails_to("ayu@ktm.example")) == 1

    again = StringIO()
    call_command("send_loan_reminders", "--today", day(7).isoformat(), stdout=again)
    assert again.getvalue().splitlines() == ["0 reminder(s) sent."]


def test_the_command_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_loan_reminders", "--today", "17/08/2026", stdout=StringIO())


def test_the_days_before_and_after_are_settings(loan, run, settings):
    settings.LOAN_REMINDER_UPCOMING_DAYS = (3,)
    settings.LOAN_REMINDER_OVERDUE_DAYS = (7,)

    kinds = [reminder.log.kind for offset in range(-20, 20) for reminder in run(day(offset))]

    assert kinds == ["upcoming_3", "due_today", "overdue_7"]


def test_a_day_count_without_a_reminder_kind_is_refused(loan, settings):
    settings.LOAN_REMINDER_OVERDUE_DAYS = (1, 10)

    with pytest.raises(ImproperlyConfigured, match="LOAN_REMINDER_OVERDUE_DAYS: 10"):
        send_due_reminders(today=DUE)


def test_finding_what_is_due_takes_the_same_queries_whatever_the_portfolio_size(borrower, responsible_officer):
    """The window of due dates, the log rows of the installments in it, the rows to remind and, once each, the
    borrowers, currencies and programmes (with their officers) they point at: the same queries for five loans or
    fifty, with their history and their logged reminders."""
    programme = FinancialProgrammeFactory(responsible_officer=responsible_officer)

    def due_count_and_queries(loans: int) -> tuple[int, int]:
        for _ in range(loans):
            loan_with_installments(day(-400), day(-100), DUE, day(20), day(50), borrower=borrower, programme=programme)
        with CaptureQueriesContext(connection) as queries:
            due = list(due_installments(DUE))
            [(i.loan.borrower.name, i.loan.currency.code, i.loan.programme.responsible_officer) for i in due]
        return len(due), len(queries)

    assert due_count_and_queries(5) == (5, 6)
    send_due_reminders(today=DUE)  # the log now holds what was due today: found again, it is left out
    assert due_count_and_queries(45) == (45, 6)  # only the installment due today of each new loan


def test_a_run_does_work_only_for_the_reminders_due(borrower, responsible_officer, django_capture_on_commit_callbacks):
    programme = FinancialProgrammeFactory(responsible_officer=responsible_officer)
    for _ in range(20):
        loan_with_installments(day(-400), day(-200), day(200), day(400), borrower=borrower, programme=programme)

    def claim_and_deliver(new_loans_due: int) -> tuple[int, int, int]:
        for _ in range(new_loans_due):
            loan_with_installments(DUE, borrower=borrower, programme=programme)
        with (
            CaptureQueriesContext(connection) as claim,
            django_capture_on_commit_callbacks(execute=False) as handed_over,
        ):
            assert len(send_due_reminders(today=DUE)) == new_loans_due
        with CaptureQueriesContext(connection) as delivery:
            for callback in handed_over:
                callback()
        return len(claim), len(delivery), len(mail.outbox)

    with CaptureQueriesContext(connection) as idle:
        assert send_due_reminders(today=DUE) == []
    ContentType.objects.get_for_model(ReminderLog)  # as in any process that has written a message before
    claim_one, delivery_one, sent = claim_and_deliver(1)
    mail.outbox.clear()
    claim_five, delivery_five, sent_five = claim_and_deliver(5)

    assert len(idle) == 1  # nothing due: one query, whatever the number of installments
    # Find (six queries, see above), then one transaction: claim (one insert returning what it inserted),
    # contacts, portal notifications, outbox rows (one insert returning them).
    assert claim_one == claim_five <= 12
    # Each email: claim it, read it, ask whether it is still wanted, record it sent.
    assert (sent, sent_five) == (1, 5)
    assert delivery_one == 4 and delivery_five == 5 * 4
