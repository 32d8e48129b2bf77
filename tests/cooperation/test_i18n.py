"""Bahasa Indonesia: a complete, compiled catalogue, and pages that speak it when a user picks it."""

import datetime
import re
import struct
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from partners.models import Language
from programs.finance.reminders import send_due_reminders
from tests.factories import ContactFactory, ParticipationFactory, ProgrammeFactory, ProgrammeUpdateFactory, currency
from tests.programs.finance.factories import disbursed_loan, recorded_repayment

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES"
PO_FILE = CATALOGUE / "django.po"
MO_FILE = CATALOGUE / "django.mo"

# %(name)s, %s, %d ... and str.format's {name}. "%%" is a literal percent sign: it is matched first so that
# "5%% discount" is not read as a "% d" placeholder, and kept so that a translation cannot lose its escape.
PLACEHOLDER = re.compile(r"%%|%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[\w.]*\}")


# --- a tiny .po reader (no third-party package needed) ---------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: str = ""
    msgstr_plural: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def translations(self) -> list[str]:
        if self.msgid_plural is None:
            return [self.msgstr]
        return [self.msgstr_plural[index] for index in sorted(self.msgstr_plural)] or [""]


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(literal: str) -> str:
    assert literal.startswith('"') and literal.endswith('"'), literal
    return re.sub(r"\\(.)", lambda match: _ESCAPES[match.group(1)], literal[1:-1])


def read_po(path: Path) -> list[Entry]:
    """Entries in file order, the header (msgid "") first; obsolete "#~" entries are left out.

    Entries are separated by blank lines, as gettext tools write them.
    """
    keyword = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        lines = [line.strip() for line in block.splitlines() if line.strip() and not line.startswith("#~")]
        if not any(line.startswith("msgid") for line in lines):
            continue
        entry, target = Entry(), None
        for line in lines:
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif match := keyword.match(line):
                name, index, literal = match.groups()
                if name == "msgstr" and index is not None:
                    target = int(index)
                    entry.msgstr_plural[target] = _unquote(literal)
                else:
                    target = name
                    setattr(entry, name, _unquote(literal))
            elif line.startswith('"') and isinstance(target, int):
                entry.msgstr_plural[target] += _unquote(line)
            elif line.startswith('"') and target:
                setattr(entry, target, getattr(entry, target) + _unquote(line))
            else:
                raise AssertionError(f"Unreadable line in {path.name}: {line!r}")
        entries.append(entry)
    return entries


def read_mo(path: Path) -> dict[str, str]:
    """The compiled catalogue as GNU gettext stores it: original → translation, both NUL-joined for plurals."""
    data = path.read_bytes()
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    _revision, count, originals_at, translations_at = struct.unpack(order + "4I", data[4:20])
    catalogue = {}
    for index in range(count):
        length, offset = struct.unpack(order + "2I", data[originals_at + 8 * index : originals_at + 8 * index + 8])
        original = data[offset : offset + length].decode("utf-8")
        length, offset = struct.unpack(
            order + "2I", data[translations_at + 8 * index : translations_at + 8 * index + 8]
        )
        catalogue[original] = data[offset : offset + length].decode("utf-8")
    return catalogue


def _mo_key(entry: Entry) -> str:
    key = entry.msgid if entry.msgid_plural is None else f"{entry.msgid}\x00{entry.msgid_plural}"
    return key if entry.msgctxt is None else f"{entry.msgctxt}\x04{key}"


@pytest.fixture(scope="module")
def po_entries():
    return read_po(PO_FILE)


@pytest.fixture(scope="module")
def messages(po_entries):
    return [entry for entry in po_entries if entry.msgid]


# --- the catalogue is complete ------------------------------------------------------------------


def test_po_header_declares_indonesian_utf8_and_one_plural_form(po_entries):
    header = po_entries[0]
    assert header.msgid == ""
    assert "fuzzy" not in header.flags
    assert "Language: id\n" in header.msgstr
    assert "charset=UTF-8" in header.msgstr
    assert "Plural-Forms: nplurals=1; plural=0;" in header.msgstr


def test_every_message_is_translated_and_none_is_fuzzy(messages):
    assert len(messages) > 300  # the whole interface, not a sample
    fuzzy = [entry.msgid for entry in messages if "fuzzy" in entry.flags]
    empty = [entry.msgid for entry in messages if not all(text.strip() for text in entry.translations)]
    assert fuzzy == []
    assert empty == []


def test_plural_messages_fill_the_single_indonesian_form(messages):
    plurals = [entry for entry in messages if entry.msgid_plural is not None]
    assert plurals, "the catalogue has plural messages (record counts, digest subjects)"
    for entry in plurals:
        assert set(entry.msgstr_plural) == {0}, entry.msgid


def test_translations_keep_every_placeholder(messages):
    for entry in messages:
        expected = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        for text in entry.translations:
            assert sorted(PLACEHOLDER.findall(text)) == expected, f"{entry.msgid!r} → {text!r}"


def test_translations_are_indonesian_not_copies_of_the_english(messages):
    # Words that are the same in both languages (Status, Multilateral, Email, ...) are fine; whole sentences are not.
    copied = [entry.msgid for entry in messages if " " in entry.msgid.strip() and entry.msgstr == entry.msgid]
    assert set(copied) <= {"Bahasa Indonesia"}


# --- the compiled catalogue matches the .po -------------------------------------------------------


def test_compiled_catalogue_holds_exactly_the_po_translations(messages):
    compiled = read_mo(MO_FILE)
    compiled.pop("", None)  # the header
    expected = {_mo_key(entry): "\x00".join(entry.translations) for entry in messages}
    stale = sorted(key for key in expected.keys() | compiled.keys() if expected.get(key) != compiled.get(key))
    assert stale == [], "django.mo is out of date: run `manage.py compilemessages -l id`"


def test_django_uses_the_compiled_catalogue():
    with translation.override("id"):
        assert translation.gettext("Log in") == "Masuk"
        assert translation.ngettext("%(counter)s record", "%(counter)s records", 5) % {"counter": 5} == "5 data"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"


# --- pages follow the language the user picks --------------------------------------------


class _VisibleText(HTMLParser):
    """What a reader sees or hears: text outside script/style, plus labels carried by attributes."""

    SPOKEN_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder", "data-label"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._hidden += 1
        for name, value in attrs:
            if name in self.SPOKEN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden and data.strip():
            self.parts.append(" ".join(data.split()))


def visible_text(response) -> str:
    parser = _VisibleText()
    parser.feed(response.content.decode())
    return "\n".join(parser.parts)


def choose_language(client, code: str, next_url: str = "/"):
    response = client.post(reverse("set_language"), {"language": code, "next": next_url})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == code


@pytest.fixture
def budgeted_programme(partner_org):
    programme = ProgrammeFactory(
        code="KSM-ID-001",
        title="Air bersih untuk Kupang",
        budget_amount=Decimal("1250000.00"),
        budget_currency=currency("USD"),
        planned_start=datetime.date(2026, 3, 1),
        planned_end=datetime.date(2027, 12, 31),
    )
    ParticipationFactory(programme=programme, organisation=partner_org)
    ProgrammeUpdateFactory(programme=programme, reported_on=datetime.date(2026, 8, 17), title="Sumur selesai")
    return programme


LOAN_PAGES_TODAY = datetime.date(2026, 5, 20)


@pytest.fixture
def partner_loan(monkeypatch, partner_org, budgeted_programme):
    """12 monthly annuity installments of USD 1,032.80 from 15 Feb. 2026, the first paid; seen on 20 May 2026,
    when the March installment is 66 days late."""
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: LOAN_PAGES_TODAY)
    loan = disbursed_loan(borrower=partner_org, programme=budgeted_programme, reference="LN-ID-001")
    recorded_repayment(loan, loan.schedule.get(number=1).total_due, paid_on=datetime.date(2026, 2, 15))
    return loan


# page → (Indonesian words it must show, the English words they replace)
PAGES = {
    "login": (["Masuk ke Kerjasama", "Masuk", "Lupa kata sandi?"], ["Log in", "Forgot your password?"]),
    "programme list": (
        ["Program", "Program baru", "Saring", "Urutkan menurut", "Kode (menurun)", "Saringan lainnya", "Pelaksanaan"],
        ["Programmes", "New programme", "Filter", "Sort by", "(descending)", "More filters", "Implementation"],
    ),
    "partner portal": (
        ["Program saya", "Peran kami", "Tanggal rencana", "Pembaruan terakhir", "Pelaksana"],
        ["My programmes", "Our role", "Planned dates", "Latest update", "Implementing"],
    ),
    "manager dashboard": (
        ["Dasbor", "Total anggaran per mata uang", "Program menurut status", "Ekspor CSV"],
        ["Dashboard", "Total budget by currency", "Programmes by status", "Export CSV"],
    ),
    "officer loan list": (
        ["Pinjaman baru", "Saring pinjaman", "Sisa pokok", "Terbaru lebih dulu", "Dicairkan (aktif)", "USD 12.000,00"],
        ["Loans", "New loan", "Filter loans", "Outstanding principal", "Newest first", "Disbursed (active)"],
    ),
    "partner loan page": (
        [
            "Pinjaman LN-ID-001",
            "Ketentuan",
            "Suku bunga tahunan",
            "12 angsuran, Bulanan",
            "Anuitas (angsuran sama besar)",
            "Jadwal pembayaran kembali",
            "terlambat 66 hari",
            "Belum dibayar",
            "Laporkan pembayaran",
            "15 Maret 2026",
        ],
        [
            "Loan LN-ID-001",
            "Terms",
            "Annual interest rate",
            "12 installments, Monthly",
            "Annuity (equal installments)",
            "Repayment schedule",
            "66 days late",
            "To pay",
            "Notify the payment",
            "March 15, 2026",
        ],
    ),
}


@pytest.fixture
def open_page(request, client, officer, manager, partner_user, budgeted_programme):
    """Log in as the page's user and return its response."""
    where = {
        "login": (None, lambda: reverse("account:login")),
        "programme list": (officer, lambda: reverse("programs:list")),
        "partner portal": (partner_user, lambda: reverse("portal:home")),
        "manager dashboard": (manager, lambda: reverse("reporting:dashboard")),
        "officer loan list": (officer, lambda: _loan_url("finance:loan_list")),
        "partner loan page": (partner_user, lambda: _loan_url("finance_portal:loan")),
    }

    def _loan_url(name):
        # Only the loan pages need a loan: the others stay as quick as before.
        loan = request.getfixturevalue("partner_loan")
        return reverse(name, args=[loan.pk] if name == "finance_portal:loan" else [])

    def open_(page):
        user, url = where[page]
        url = url()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        return response

    return open_


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_page_speaks_indonesian_after_choosing_it(client, open_page, page):
    choose_language(client, "id")

    response = open_page(page)

    text = visible_text(response)
    indonesian, english = PAGES[page]
    assert '<html lang="id">' in response.content.decode()
    for words in indonesian:
        assert words in text, f"{page}: {words!r} missing"
    for words in english:
        assert words not in text, f"{page}: {words!r} still in English"


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_switching_back_to_english_restores_english(client, open_page, page):
    choose_language(client, "id")
    choose_language(client, "en")

    response = open_page(page)

    text = visible_text(response)
    indonesian, english = PAGES[page]
    assert '<html lang="en">' in response.content.decode()
    for words in english:
        assert words in text, f"{page}: {words!r} missing"
    assert "Masuk" not in text and "Program saya" not in text and "Dasbor" not in text


@pytest.mark.django_db
def test_money_and_dates_follow_indonesian_conventions(client, officer, partner_user, budgeted_programme):
    choose_language(client, "id")
    client.force_login(officer)

    programme_list = visible_text(client.get(reverse("programs:list")))
    client.force_login(partner_user)
    portal = visible_text(client.get(reverse("portal:home")))

    assert "USD 1.250.000,00" in programme_list
    assert "USD 1,250,000.00" not in programme_list
    assert "1 Maret 2026 – 31 Des. 2027" in portal
    assert "17 Agu 2026" in portal


@pytest.mark.django_db
def test_money_and_dates_in_english_after_switching_back(client, officer, partner_user, budgeted_programme):
    choose_language(client, "id")
    choose_language(client, "en")
    client.force_login(officer)

    programme_list = visible_text(client.get(reverse("programs:list")))
    client.force_login(partner_user)
    portal = visible_text(client.get(reverse("portal:home")))

    assert "USD 1,250,000.00" in programme_list
    assert "March 1, 2026 – Dec. 31, 2027" in portal
    assert "Aug. 17, 2026" in portal


@pytest.mark.django_db
def test_language_switcher_names_both_languages_in_the_active_one(client, officer):
    client.force_login(officer)
    choose_language(client, "id")

    text = visible_text(client.get(reverse("programs:list")))

    assert "Bahasa Inggris" in text and "Bahasa Indonesia" in text
    assert "English" not in text


# --- reminder emails follow each contact's language -------------------------------------------------------

# timeline offset (days from the due date of 15 Feb. 2026) → what the Indonesian email says, and the English it replaces
REMINDERS = {
    -14: (
        [
            "Pinjaman LN-ID-001: angsuran ke-1 jatuh tempo pada 15 Feb. 2026",
            "Angsuran ke-1 pinjaman LN-ID-001 jatuh tempo pada 15 Feb. 2026, 14 hari lagi.",
            "Mohon pastikan pembayaran sudah kami terima paling lambat pada tanggal jatuh tempo.",
        ],
        ["falls due", "in 14 days", "Please make sure"],
    ),
    0: (
        ["Pinjaman LN-ID-001: angsuran ke-1 jatuh tempo hari ini", "jatuh tempo hari ini."],
        ["is due today", "Please make sure"],
    ),
    7: (
        [
            "Pinjaman LN-ID-001: angsuran ke-1 terlambat 7 hari",
            "jatuh tempo pada 15 Feb. 2026 dan sudah terlambat 7 hari.",
            "Mohon segera melunasi sisa tagihan.",
        ],
        ["days overdue", "as soon as possible"],
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("offset", REMINDERS)
def test_a_reminder_reaches_an_indonesian_speaking_contact_in_indonesian(
    partner_org, budgeted_programme, django_capture_on_commit_callbacks, offset
):
    loan = disbursed_loan(borrower=partner_org, programme=budgeted_programme, reference="LN-ID-001")
    ContactFactory(
        organisation=partner_org,
        name="Siti",
        email="siti@mitra.example",
        receives_reminders=True,
        preferred_language=Language.INDONESIAN,
    )
    ContactFactory(organisation=partner_org, name="Ayu", email="ayu@mitra.example", receives_reminders=True)

    with django_capture_on_commit_callbacks(execute=True):
        send_due_reminders(today=loan.first_repayment_date + datetime.timedelta(days=offset))

    [indonesian] = [message for message in mail.outbox if message.to == ["siti@mitra.example"]]
    [english] = [message for message in mail.outbox if message.to == ["ayu@mitra.example"]]
    email = f"{indonesian.subject}\n{indonesian.body}"
    said, replaced = REMINDERS[offset]
    assert indonesian.extra_headers["Content-Language"] == "id"
    for words in [*said, "Yth. Siti,", "Peminjam:", "Sisa yang harus dibayar: USD 1.032,80", "laporkan pembayaran"]:
        assert words in email, f"{words!r} missing from:\n{email}"
    for words in [*replaced, "Dear", "Installment", "Borrower", "Still to pay", "USD 1,032.80", "Feb. 15, 2026"]:
        assert words not in email, f"{words!r} still in English in:\n{email}"
    # The same run still writes to an English-speaking contact in English.
    assert english.body.startswith("Dear Ayu,") and "USD 1,032.80" in english.body
