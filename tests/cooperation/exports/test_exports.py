"""Every list's export: the file a user downloads, as they see the list (the programme list stands for them all)."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cooperation.exports import writers
from cooperation.exports.tables import Column, Table, Workbook
from cooperation.reference.codes import ActivityStatus
from tests.factories import ParticipationFactory, ProgrammeFactory, currency

pytestmark = pytest.mark.django_db


def _url(file_format: str, **params) -> str:
    url = reverse("exports:export", args=["programs.programmes", file_format])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")


def _sheet(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return openpyxl.load_workbook(io.BytesIO(body)).active


@pytest.fixture
def programmes(db):
    water = ProgrammeFactory(
        code="WAT-1",
        title="Clean water",
        budget_amount=Decimal("250000.5"),
        planned_start=datetime.date(2026, 1, 15),
        countries=["ID"],
    )
    yen = ProgrammeFactory(
        code="YEN-1",
        title='=HYPERLINK("http://example.com")',
        status=ActivityStatus.PIPELINE,
        budget_amount=Decimal("3000000"),
        budget_currency=currency("JPY"),
        countries=["PH"],
    )
    return water, yen


def test_xlsx_cells_are_typed_and_money_has_its_currency(client, manager, programmes):
    client.force_login(manager)

    response = client.get(_url("xlsx", ordering="code"))

    assert response.status_code == 200
    assert response["Content-Type"] == writers.CONTENT_TYPES["xlsx"]
    sheet = _sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("Code", "Title", "Forms of cooperation", "Status")
    water = rows[1]
    assert water[0] == "WAT-1"
    assert water[header.index("Planned start")] == datetime.datetime(2026, 1, 15)
    assert sheet.cell(row=2, column=header.index("Planned start") + 1).number_format == "yyyy-mm-dd"
    assert water[header.index("Budget")] == 250000.5
    assert water[header.index("Currency")] == "USD"
    yen = rows[2]
    assert yen[header.index("Budget")] == 3000000
    assert yen[header.index("Currency")] == "JPY"
    # Text that looks like a formula stays text in a spreadsheet file.
    assert yen[1] == '=HYPERLINK("http://example.com")'
    assert sheet.cell(row=3, column=2).data_type == "s"


def test_export_follows_the_list_filters_and_sort(client, manager, programmes):
    client.force_login(manager)

    pipeline = _sheet(client.get(_url("xlsx", status=ActivityStatus.PIPELINE)))
    descending = _sheet(client.get(_url("xlsx", ordering="-code")))

    assert [row[0] for row in pipeline.iter_rows(min_row=2, values_only=True)] == ["YEN-1"]
    assert [row[0] for row in descending.iter_rows(min_row=2, values_only=True)] == ["YEN-1", "WAT-1"]


def test_csv_quotes_formulas_and_keeps_numbers_and_dates_plain(client, manager, programmes):
    client.force_login(manager)

    response = client.get(_url("csv", ordering="code", page="3"))

    body = b"".join(response.streaming_content).decode()
    assert body.startswith("\ufeff")
    header, water, yen = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert water[header.index("Planned start")] == "2026-01-15"
    assert water[header.index("Budget")] == "250000.50"
    assert yen[1] == '\'=HYPERLINK("http://example.com")'


def test_negative_numbers_are_numbers_not_formulas():
    table = Table("t", [Column("Amount", lambda row: row)], [Decimal("-5.25")])

    text = "".join(writers.csv_lines(table))

    assert text.endswith("\r\n-5.25\r\n")


def test_every_kind_of_cell_reads_the_same_in_a_file_as_on_its_own():
    moment = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)
    cells = ["Air bersih", "=SUM(A1:A9)", "+62 21 555", "-", "@home", "\tTab", "", None, 0, 12, True, False]
    cells += [Decimal("-5.25"), Decimal("1000000.00"), 2.5, datetime.date(2026, 3, 1), moment, ActivityStatus.CLOSED]
    table = Table("t", [Column(str(number), lambda row, n=number: row[n]) for number in range(len(cells))], [cells])

    with translation.override("id"):
        [_header, row] = list(csv.reader(io.StringIO("".join(writers.csv_lines(table)).lstrip("\ufeff"))))

    with translation.override("id"):
        assert row == [writers.csv_text(cell) for cell in cells]
    assert row[:8] == ["Air bersih", "'=SUM(A1:A9)", "'+62 21 555", "'-", "'@home", "'\tTab", "", ""]
    assert row[8:13] == ["0", "12", "Ya", "Tidak", "-5.25"]
    assert row[15] == "2026-03-01"


def test_a_long_csv_streams_in_chunks_not_a_write_per_row():
    table = Table("t", [Column("Number", lambda row: row)], range(20_000))

    chunks = list(writers.csv_lines(table))

    assert "".join(chunks) == "\ufeffNumber\r\n" + "".join(f"{number}\r\n" for number in range(20_000))
    assert 1 < len(chunks) <= 3
    assert all(len(chunk) <= writers.CHUNK_CHARACTERS + 100 for chunk in chunks)


def test_headers_are_in_the_viewers_language(client, manager, programmes):
    client.force_login(manager)
    client.cookies["django_language"] = "id"

    sheet = _sheet(client.get(_url("xlsx")))

    with translation.override("id"):
        expected = translation.gettext("Title")
    assert sheet.cell(row=1, column=2).value == expected != "Title"


def test_the_buttons_on_the_list_carry_its_filters(client, manager, programmes):
    client.force_login(manager)

    html = client.get(reverse("programs:list"), {"status": ActivityStatus.PIPELINE, "page": 1}).content.decode()

    assert f'href="{_url("xlsx", status=ActivityStatus.PIPELINE)}"' in html
    assert f'href="{_url("csv", status=ActivityStatus.PIPELINE)}"' in html


def test_partner_users_cannot_export_a_workspace_list(client, partner_user, programmes):
    client.force_login(partner_user)

    assert client.get(_url("xlsx")).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(_url("csv"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("account:login"))


@pytest.mark.parametrize("path", ["nothing.here.csv", "programs.programmes.pdf"])
def test_unknown_lists_and_formats_are_not_found(client, manager, path):
    client.force_login(manager)

    assert client.get(f"/exports/{path}").status_code == 404


def test_auditors_export_what_they_read(client, auditor, programmes):
    client.force_login(auditor)

    sheet = _sheet(client.get(_url("xlsx")))

    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == ["WAT-1", "YEN-1"]


def test_query_count_is_the_same_for_5_and_50_programmes(client, manager):
    def make(count):
        for _ in range(count):
            ParticipationFactory(programme=ProgrammeFactory(countries=["ID", "TL"]))

    client.force_login(manager)
    make(5)
    with CaptureQueriesContext(connection) as few:
        _sheet(client.get(_url("xlsx")))
    make(45)
    with CaptureQueriesContext(connection) as many:
        sheet = _sheet(client.get(_url("xlsx")))

    assert sheet.max_row == 51
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_workbook_has_a_sheet_per_table_and_its_csv_a_titled_part_per_table():
    first = Table("a", [Column("Currency", lambda row: row[0]), Column("Amount", lambda row: row[1])], [("USD", 5)])
    second = Table("b", [Column("Country", lambda row: row)], ["ID", "TL"], title="=By country")
    workbook = Workbook("dashboard", [first, second])
    file = io.BytesIO()

    rows = writers.write_xlsx(workbook, file)
    lines = list(writers.csv_lines(workbook))

    sheets = openpyxl.load_workbook(io.BytesIO(file.getvalue()))
    assert rows == 3 and workbook.count() == 3
    assert sheets.sheetnames == ["a", "=By country"]
    assert [row for row in sheets["=By country"].iter_rows(values_only=True)] == [("Country",), ("ID",), ("TL",)]
    assert "".join(lines) == "\ufeffa\r\nCurrency,Amount\r\nUSD,5\r\n\r\n'=By country\r\nCountry\r\nID\r\nTL\r\n"
