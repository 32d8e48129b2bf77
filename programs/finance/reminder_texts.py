"""What a loan reminder says: its emails (to each contact in their language, a copy to the officer for an overdue
one) and its portal notification.

One reminder at a time (``reminder_messages``, ``notification``) renders its templates as they are. The day's run
writes the same words for thousands of reminders at once (``ReminderTexts``): each template is rendered once per
shape — the kind, the due date (hence the days before or after it), whether anything was paid, whether there is an
officer, how many contacts the copy lists — and language, and each reminder's own texts (reference, names, amounts
formatted in the language) are put in (see cooperation.outbox.skeletons).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import formats, translation

from cooperation.outbox.models import OutboxMessage
from cooperation.outbox.services import message
from cooperation.outbox.skeletons import Skeletons, slot
from cooperation.reminders import to_contacts, to_staff, writable
from cooperation.templatetags.kerjasama import money
from partners.models import Contact
from programs.finance.models import Installment

# The kinds of email a reminder writes to the outbox (registered in apps.py).
REMINDER = "finance.loan_reminder"
REMINDER_COPY = "finance.loan_reminder_copy"

UPCOMING, DUE, OVERDUE = "upcoming", "due", "overdue"

TEMPLATES = "finance/email/"
SUBJECT_LENGTH = OutboxMessage._meta.get_field("subject").max_length
NOTICE_TITLE_LENGTH = 200
LINK_MARK = 987654321  # a loan id no portal path holds otherwise


def kind_family(kind: str) -> str:
    return UPCOMING if kind.startswith(UPCOMING) else OVERDUE if kind.startswith(OVERDUE) else DUE


def programme_officer(installment: Installment):
    """The programme's responsible officer, when they can be written to: borrowers' replies go there."""
    return writable(installment.loan.programme.responsible_officer)


def copied_officer(installment: Installment, kind: str):
    """Overdue reminders are copied to the responsible officer, who follows up the arrears."""
    return programme_officer(installment) if kind_family(kind) == OVERDUE else None


class Amount:
    """An amount in its currency, written as the active language writes money when printed."""

    def __init__(self, value, currency):
        self.value, self.currency = value, currency

    def __bool__(self) -> bool:
        return bool(self.value)

    def __str__(self) -> str:
        return money(self.value, self.currency)


def reminder_context(installment: Installment, kind: str, today: datetime.date) -> dict:
    currency = installment.loan.currency
    return {
        "installment": installment,
        "loan": installment.loan,
        "kind": kind,
        "family": kind_family(kind),
        "days_until_due": (installment.due_date - today).days,
        "days_overdue": (today - installment.due_date).days,
        "amount_due": Amount(installment.total_due, currency),
        "outstanding": Amount(installment.outstanding, currency),
        "paid": Amount(installment.total_paid, currency),
    }


def _render(template: str, context: dict) -> str:
    return render_to_string(f"{TEMPLATES}{template}", context).strip()


def portal_link(loan_id: int) -> str:
    try:
        return reverse("finance_portal:loan", args=[loan_id])
    except NoReverseMatch:
        return ""


def notification(installment: Installment, kind: str, today: datetime.date) -> dict:
    """The portal notification's title, body and link, in the site's language: stored text cannot follow each
    reader's language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = reminder_context(installment, kind, today)
        return {
            "title": _render("reminder_subject.txt", context)[:NOTICE_TITLE_LENGTH],
            "body": _render("reminder_notification.txt", context),
            "link": portal_link(installment.loan_id),
        }


def reminder_messages(installment: Installment, kind: str, contacts: list[Contact], today: datetime.date):
    """The emails of one reminder: to each contact in their own language and, for an overdue one, a copy to
    the responsible officer. The borrower's replies go to the officer. Not keyed yet."""
    officer = programme_officer(installment)
    context = reminder_context(installment, kind, today) | {"officer": officer}
    messages = to_contacts(contacts, kind=REMINDER, template=f"{TEMPLATES}reminder", context=context, reply_to=officer)
    copied = copied_officer(installment, kind)
    if copied:
        context |= {"contacts": contacts}
        messages += to_staff(
            [copied], kind=REMINDER_COPY, template=f"{TEMPLATES}reminder_copy", context=context, name="officer"
        )
    return messages


# --- the day's run at once ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """What decides a reminder template's branches and plural forms; everything else is text put in."""

    kind: str
    due_date: datetime.date
    today: datetime.date
    paid: bool
    officer: bool
    contacts: int = 0


def skeleton_context(shape: Shape) -> dict:
    """A reminder's context with a slot for each text, built from its shape alone."""
    contacts = [
        SimpleNamespace(name=slot(f"contact{n}_name"), email=slot(f"contact{n}_email")) for n in range(shape.contacts)
    ]
    officer = SimpleNamespace(get_full_name=slot("officer_name"), username="", email=slot("officer_email"))
    return {
        "installment": SimpleNamespace(number=slot("number"), due_date=shape.due_date),
        "loan": SimpleNamespace(
            reference=slot("reference"), borrower=slot("borrower"), programme=SimpleNamespace(code=slot("programme"))
        ),
        "kind": shape.kind,
        "family": kind_family(shape.kind),
        "days_until_due": (shape.due_date - shape.today).days,
        "days_overdue": (shape.today - shape.due_date).days,
        "amount_due": slot("amount_due"),
        "outstanding": slot("outstanding"),
        "paid": slot("paid") if shape.paid else "",
        "officer": officer if shape.officer else None,
        "contact": SimpleNamespace(name=slot("contact_name")),
        "contacts": contacts,
    }


class ReminderTexts:
    """The emails and portal notifications of many reminders, each template rendered once per shape and language.

    ``add(key, installment, kind, contacts)`` each reminder, then ``render()``: ``messages[key]`` are its emails in
    the order ``reminder_messages`` writes them, ``notices[key]`` its notification.
    """

    def __init__(self, today: datetime.date):
        self.today = today
        self.skeletons = Skeletons(skeleton_context)
        self.reminders: list[tuple] = []
        self.messages: dict = {}
        self.notices: dict = {}
        self._formatted: dict = {}  # (language, value, currency or None) → text
        self._texts_of: dict = {}  # (reminder key, language) → its texts
        # The portal's loan page for any loan: the path around a loan's id, reversed once.
        self._link = portal_link(LINK_MARK).partition(str(LINK_MARK))

    def add(self, key, installment: Installment, kind: str, contacts: list[Contact]) -> None:
        self.reminders.append((key, installment, kind, contacts))

    def render(self) -> None:
        site = settings.LANGUAGE_CODE
        emails: dict = {}  # key → [(position, message)], positions keep reminder_messages' order
        by_language: dict[str, list] = {site: []}
        for reminder in self.reminders:
            _key, _installment, _kind, contacts = reminder
            for position, contact in enumerate(contacts):
                by_language.setdefault(contact.preferred_language, []).append((reminder, position, contact))
            by_language[site].append((reminder, None, None))
        for language, jobs in by_language.items():
            with translation.override(language):
                for reminder, position, contact in jobs:
                    if contact is None:
                        self._site_texts(reminder, emails)
                    else:
                        emails.setdefault(reminder[0], []).append((position, self._email(reminder, contact)))
        for key, _installment, _kind, _contacts in self.reminders:
            self.messages[key] = [outgoing for _position, outgoing in sorted(emails.get(key, []), key=_first)]

    # --- inside the language of what is rendered ---

    def _shape(self, installment: Installment, kind: str, officer, contacts: int = 0) -> Shape:
        paid = bool(installment.total_paid)
        return Shape(kind, installment.due_date, self.today, paid, officer is not None, contacts)

    def _format(self, language: str, value, currency=None) -> str:
        """An amount (with its currency) or a whole number as the language prints it; each one formatted once."""
        key = (language, value, currency.pk if currency is not None else None)
        if key not in self._formatted:
            self._formatted[key] = money(value, currency) if currency is not None else str(formats.localize(value))
        return self._formatted[key]

    def _texts(self, key, installment: Installment, officer, language: str) -> dict[str, str]:
        """The reminder's texts in ``language`` (the active one), worked out once for all its messages in it."""
        texts = self._texts_of.get((key, language))
        if texts is not None:
            return texts
        loan = installment.loan
        texts = {
            "number": self._format(language, installment.number),
            "reference": loan.reference,
            "borrower": str(loan.borrower),
            "programme": loan.programme.code,
            "amount_due": self._format(language, installment.total_due, loan.currency),
            "outstanding": self._format(language, installment.outstanding, loan.currency),
        }
        if installment.total_paid:
            texts["paid"] = self._format(language, installment.total_paid, loan.currency)
        if officer is not None:
            texts |= {"officer_name": officer.get_full_name() or officer.username, "officer_email": officer.email}
        self._texts_of[key, language] = texts
        return texts

    def _render(self, template: str, shape: Shape, texts: dict, language: str) -> str:
        """``template`` for ``shape`` in ``language``, the active one."""
        return self.skeletons.render(f"{TEMPLATES}{template}", shape, texts, language)

    def _email(self, reminder: tuple, contact: Contact) -> OutboxMessage:
        key, installment, kind, _contacts = reminder
        officer = programme_officer(installment)
        shape = self._shape(installment, kind, officer)
        language = contact.preferred_language
        texts = self._texts(key, installment, officer, language) | {"contact_name": contact.name}
        return message(
            kind=REMINDER,
            to=contact.email,
            subject=" ".join(self._render("reminder_subject.txt", shape, texts, language).split()),
            body=self._render("reminder.txt", shape, texts, language),
            language=language,
            reply_to=officer.email if officer else "",
        )

    def _site_texts(self, reminder: tuple, emails: dict) -> None:
        """The notification and, for an overdue reminder, the officer's copy: both in the site's language."""
        key, installment, kind, contacts = reminder
        officer = programme_officer(installment)
        shape = self._shape(installment, kind, officer)
        site = settings.LANGUAGE_CODE
        texts = dict(self._texts(key, installment, officer, site))
        subject = self._render("reminder_subject.txt", shape, texts, site)
        before, mark, after = self._link
        self.notices[key] = {
            "title": subject.strip()[:NOTICE_TITLE_LENGTH],
            "body": self._render("reminder_notification.txt", shape, texts, site).strip(),
            "link": f"{before}{installment.loan_id}{after}" if mark else "",
        }
        copied = copied_officer(installment, kind)
        if copied is None:
            return
        shape = self._shape(installment, kind, officer, len(contacts))
        for number, contact in enumerate(contacts):
            texts |= {f"contact{number}_name": contact.name, f"contact{number}_email": contact.email}
        copy = message(
            kind=REMINDER_COPY,
            to=copied.email,
            subject=" ".join(self._render("reminder_copy_subject.txt", shape, texts, site).split()),
            body=self._render("reminder_copy.txt", shape, texts, site),
            language=site,
        )
        emails.setdefault(key, []).append((len(contacts), copy))


def _first(pair: tuple):
    return pair[0]


def contacts_of(installments: Iterable[Installment]) -> dict[int, list[Contact]]:
    """The contacts who receive the reminders of these installments' borrowers, by borrower."""
    contacts: dict[int, list[Contact]] = {}
    borrowers = {installment.loan.borrower_id for installment in installments}
    queryset = (
        Contact.objects.filter(organisation_id__in=borrowers, receives_reminders=True, is_active=True)
        .exclude(email="")
        .order_by("name", "email")
    )
    for contact in queryset:
        contacts.setdefault(contact.organisation_id, []).append(contact)
    return contacts
