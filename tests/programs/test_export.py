import csv
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation.exports.writers import neutralise_formula
from cooperation.reference.codes import ActivityStatus, OrganisationRole
from tests.factories import OrganisationFactory, ParticipationFactory, ProgrammeFactory, currency

pytestmark = pytest.mark.django_db

URL = "reporting:programmes_csv"


def _download(client, **params):
    response = client.get(reverse(URL), params)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8")
    return response, body


def _rows(body):
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.fixture
def programmes(partner_org, other_org):
    water = ProgrammeFactory(
        code="WAT-1",
        title="Clean water",
        is_technical=False,
        is_financial=True,
        is_in_kind=True,
        budget_amount=Decimal("250000.5"),
        countries=["ID", "TL"],
    )
    ParticipationFactory(programme=water, organisation=partner_org, role=OrganisationRole.IMPLEMENTING)
    ParticipationFactory(programme=water, organisation=other_org, role=OrganisationRole.FUNDING)
    ProgrammeFactory(
        code="YEN-1",
        title="Scholarships",
        status=ActivityStatus.PIPELINE,
        budget_amount=Decimal("3000000"),
        budget_currency=currency("JPY"),
        countries=["PH"],
    )
    return water


def test_manager_downloads_programmes_as_csv(client, manager, programmes):
    client.force_login(manager)

    response, body = _download(client, ordering="code")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = f"programmes-{timezone.localdate():%Y-%m-%d}.csv"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert body.startswith("\ufeff")
    header, water, yen = _rows(body)
    assert header == [
        "Code",
        "Title",
        "Forms of cooperation",
        "Status",
        "Planned start",
        "Planned end",
        "Recipient countries",
        "Budget",
        "Currency",
        "Partners and roles",
    ]
    assert water == [
        "WAT-1",
        "Clean water",
        "Financial; In-kind",
        "Implementation",
        "2026-01-01",
        "2027-12-31",
        "Indonesia; Timor-Leste",
        "250000.50",
        "USD",
        "Pacific Relief Network (PRN) (Funding); Yayasan Air Bersih (YAB) (Implementing)",
    ]
    assert yen[0] == "YEN-1" and yen[7:9] == ["3000000", "JPY"]


def test_export_follows_the_programme_filter(client, auditor, programmes):
    client.force_login(auditor)

    _, body = _download(client, status=ActivityStatus.PIPELINE.value)
    assert [row[0] for row in _rows(body)[1:]] == ["YEN-1"]

    _, body = _download(client, form="in_kind")
    assert [row[0] for row in _rows(body)[1:]] == ["WAT-1"]

    _, body = _download(client, currency="JPY")
    assert [row[0] for row in _rows(body)[1:]] == ["YEN-1"]


def test_invalid_filter_is_refused_not_ignored(client, manager, programmes):
    client.force_login(manager)
    response = client.get(reverse(URL), {"status": "99"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")


def test_cells_that_look_like_formulas_are_quoted(client, manager):
    programme = ProgrammeFactory(code="CSV-1", title='=HYPERLINK("http://evil.example","click")')
    ParticipationFactory(programme=programme, organisation=OrganisationFactory(name="@SUM(1+1)", acronym=""))
    client.force_login(manager)

    _, body = _download(client)

    [row] = _rows(body)[1:]
    assert row[1] == '\'=HYPERLINK("http://evil.example","click")'
    assert row[9] == "'@SUM(1+1) (Implementing)"


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@A1", "\tcmd", "\rcmd"])
def test_neutralise_formula_prefixes(value):
    assert neutralise_formula(value) == "'" + value


def test_ordinary_text_is_left_alone():
    assert neutralise_formula("Clean water - phase 2") == "Clean water - phase 2"


def test_text_survives_as_utf8(client, manager):
    ProgrammeFactory(code="UTF-1", title="Bantuan pangan — Sulawesi Tengah, Palu ‘22")
    client.force_login(manager)
    _, body = _download(client)
    assert _rows(body)[1][1] == "Bantuan pangan — Sulawesi Tengah, Palu ‘22"


@pytest.mark.parametrize("user_fixture", ["officer", "partner_user"])
def test_officers_and_partners_get_403(client, request, user_fixture, programmes):
    client.force_login(request.getfixturevalue(user_fixture))
    assert client.get(reverse(URL)).status_code == 403


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account:login"))


def test_export_query_count_is_the_same_for_5_and_50_programmes(client, manager):
    def make(count):
        for _ in range(count):
            ParticipationFactory(programme=ProgrammeFactory(countries=["ID", "TL"]))

    client.force_login(manager)
    make(5)
    with CaptureQueriesContext(connection) as few:
        _download(client)
    make(45)
    with CaptureQueriesContext(connection) as many:
        _, body = _download(client)

    assert len(_rows(body)) == 51
    assert len(many.captured_queries) == len(few.captured_queries)
