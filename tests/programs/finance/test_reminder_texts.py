"""The day's run writes each reminder's emails and notification in a batch: word for word what rendering that one
reminder alone writes, in every language, kind, plural form and case (paid in part, no officer, no contacts)."""

import datetime
from decimal import Decimal

import pytest

from cooperation.roles import Role
from partners.models import Language
from programs.finance.models import Installment, ReminderKind
from programs.finance.reminder_texts import ReminderTexts, contacts_of, notification, reminder_messages
from programs.finance.reminders import stage_kind
from tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tests.programs.finance.factories import FinancialProgrammeFactory, LoanFactory

TODAY = datetime.date(2026, 8, 17)


def fields(outgoing) -> tuple:
    return (outgoing.kind, outgoing.recipient, outgoing.reply_to, outgoing.subject, outgoing.body, outgoing.language)


@pytest.fixture
def installments(db):
    """Installments owed every kind of reminder today, of borrowers with contacts in both languages or none, with
    and without a responsible officer, some paid in part, one numbered past a thousand."""
    officer = UserFactory(role=Role.OFFICER, email="sari@kerjasama.example", first_name="Sari", last_name="Dewi")
    nameless = UserFactory(role=Role.OFFICER, email="ops@kerjasama.example", first_name="", last_name="")
    both = OrganisationFactory(name="Koperasi Tani Makmur", acronym="KTM")
    ContactFactory(organisation=both, name="Ayu", email="ayu@ktm.example", receives_reminders=True)
    ContactFactory(
        organisation=both,
        name="Wayan %(name)s",
        email="wayan@ktm.example",
        receives_reminders=True,
        preferred_language=Language.INDONESIAN,
    )
    alone = OrganisationFactory(name="Yayasan Sehat")
    rows = []
    offsets = (-14, -10, -3, -1, 0, 1, 2, 7, 8, 30, 45)
    for number, offset in enumerate(offsets):
        borrower = both if number % 2 else alone
        responsible = (officer, nameless, None)[number % 3]
        programme = FinancialProgrammeFactory(responsible_officer=responsible)
        loan = LoanFactory(borrower=borrower, programme=programme, status="disbursed", installments=1)
        due_date = TODAY - datetime.timedelta(days=offset)
        paid = Decimal("100.25") if number % 4 == 1 else Decimal(0)
        rows.append(
            Installment.objects.create(
                loan=loan,
                number=1 if number % 5 else 1204,
                due_date=due_date,
                principal_due=Decimal("12500.00"),
                interest_due=Decimal("1025.75"),
                principal_paid=paid,
                balance_after=Decimal(0),
            )
        )
    return rows


def test_the_batch_writes_what_each_reminder_alone_writes(installments):
    contacts = contacts_of(installments)
    texts = ReminderTexts(TODAY)
    expected, kinds = {}, set()
    for installment in installments:
        kind = stage_kind(installment.due_date, TODAY)
        kinds.add(kind)
        mine = contacts.get(installment.loan.borrower_id, [])
        texts.add(installment.pk, installment, kind, mine)
        expected[installment.pk] = (
            [fields(outgoing) for outgoing in reminder_messages(installment, kind, mine, TODAY)],
            notification(installment, kind, TODAY),
        )
    texts.render()

    assert kinds == set(ReminderKind.values)
    languages = {language for emails, _notice in expected.values() for *_rest, language in emails}
    assert languages == {"en", "id"}
    assert any(kind == "finance.loan_reminder_copy" for emails, _ in expected.values() for kind, *_ in emails)
    for pk, (emails, notice) in expected.items():
        assert [fields(outgoing) for outgoing in texts.messages[pk]] == emails
        assert texts.notices[pk] == notice


def test_the_batch_renders_each_shape_once_not_each_reminder(installments, django_assert_max_num_queries):
    """Twice the reminders of the same shapes cost no more renders."""
    texts = ReminderTexts(TODAY)
    contacts = contacts_of(installments)
    for installment in installments:
        kind = stage_kind(installment.due_date, TODAY)
        texts.add(installment.pk, installment, kind, contacts.get(installment.loan.borrower_id, []))
    texts.render()
    renders = len(texts.skeletons._rendered)

    again = ReminderTexts(TODAY)
    for copy in range(2):
        for installment in installments:
            kind = stage_kind(installment.due_date, TODAY)
            again.add((copy, installment.pk), installment, kind, contacts.get(installment.loan.borrower_id, []))
    with django_assert_max_num_queries(0):
        again.render()

    assert len(again.skeletons._rendered) == renders
    assert len(again.messages) == 2 * len(installments)
