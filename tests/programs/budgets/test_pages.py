"""The budget pages and the programme page's Budget panel, as each role sees them."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperation.money_flows import Category, Stage
from programs.budgets.models import BudgetLine, Expenditure
from tests.cooperation.reference.rates import rate
from tests.factories import currency
from tests.programs.budgets.factories import BudgetLineFactory, ExpenditureFactory, flow, flows  # noqa: F401
from tests.programs.budgets.test_services import PNG

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rates(settings):
    settings.REPORTING_CURRENCY = "USD"
    settings.EXCHANGE_RATE_MAX_AGE_DAYS = 400


@pytest.fixture
def line(own_programme):
    return BudgetLineFactory(programme=own_programme, amount=Decimal("1000"), description="Trainers")


@pytest.fixture
def expenditure(own_programme, line):
    upload = SimpleUploadedFile("invoice.png", PNG, "image/png")
    record = ExpenditureFactory(programme=own_programme, amount=Decimal("1200"), budget_line=line)
    record.receipt.save("invoice.png", upload, save=False)
    record.receipt_name, record.receipt_type = "invoice.png", "image/png"
    record.save()
    return record


def _programme_page(client, programme):
    return client.get(reverse("programs:detail", args=[programme.pk])).content.decode()


def test_the_programme_page_shows_each_line_against_its_actuals_and_warns_over_budget(
    client, own_programme, expenditure, flows, officer
):
    flows.append(flow(own_programme, Category.TECHNICAL, Stage.COMMITTED, datetime.date(2026, 4, 1), "USD", "50"))
    client.force_login(officer)

    body = _programme_page(client, own_programme)

    assert 'id="budget"' in body and "Trainers" in body
    assert "USD 1,000.00" in body and "USD 1,200.00" in body and "USD -200.00" in body
    assert "120.0 %" in body
    assert "Over budget" in body
    assert "1 budget line has spent more than its budget." in body
    assert reverse("budgets:line_create", args=[own_programme.pk]) in body


def test_a_line_in_another_currency_names_a_missing_rate_and_the_rate_dates(client, own_programme, flows, officer):
    BudgetLineFactory(programme=own_programme, amount=Decimal("16000000"), currency=currency("IDR"))
    BudgetLineFactory(
        programme=own_programme, amount=Decimal("500"), currency=currency("GBP"), category=Category.TRAVEL
    )
    rate(datetime.date(2026, 1, 1), "IDR", "USD", "0.0000625")
    client.force_login(officer)

    body = _programme_page(client, own_programme)

    assert "no rate for GBP on 1 January 2026" in body
    assert "USD 1,000.00" in body  # 16,000,000 IDR
    assert "rates of IDR 1 January 2026" in body


def test_the_panel_costs_the_same_queries_for_10_or_200_expenditures(client, own_programme, line, flows, officer):
    client.force_login(officer)
    url = reverse("programs:detail", args=[own_programme.pk])

    def queries(count):
        Expenditure.objects.all().delete()
        for day in range(count):
            ExpenditureFactory(
                programme=own_programme,
                amount=Decimal("1"),
                spent_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=day % 150),
                currency=currency("USD" if day % 2 else "IDR"),
            )
        counted = []
        for _visit in range(2):  # the first visit fixes the rates of the new dates, in one insert
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counted.append(len(captured))
        return counted

    rate(datetime.date(2026, 1, 1), "IDR", "USD", "0.0000625")
    first_few, again_few = queries(10)
    first_many, again_many = queries(200)
    assert again_few == again_many
    assert first_many <= again_many + 4 and first_few <= again_few + 4


@pytest.mark.parametrize("name", ["programme", "line_create", "expenditure_create"])
def test_partner_users_get_404_on_a_programme_budget(client, own_programme, partner_user, name):
    client.force_login(partner_user)

    assert client.get(reverse(f"budgets:{name}", args=[own_programme.pk])).status_code == 404


def test_partner_users_see_no_budget_panel_and_get_404_on_lines_and_receipts(
    client, own_programme, expenditure, partner_user
):
    client.force_login(partner_user)

    assert 'id="budget"' not in client.get(reverse("portal:programme", args=[own_programme.pk])).content.decode()
    for name, record in (("line_detail", expenditure.budget_line), ("receipt_download", expenditure)):
        assert client.get(reverse(f"budgets:{name}", args=[record.pk])).status_code == 404


def test_auditors_read_the_budget_but_change_nothing(client, own_programme, expenditure, auditor):
    client.force_login(auditor)

    body = client.get(reverse("budgets:programme", args=[own_programme.pk])).content.decode()
    assert "Trainers" in body and "invoice.png" in body
    assert reverse("budgets:line_create", args=[own_programme.pk]) not in body
    assert client.get(reverse("budgets:line_create", args=[own_programme.pk])).status_code == 403
    assert client.get(reverse("budgets:line_edit", args=[expenditure.budget_line_id])).status_code == 403
    assert client.get(reverse("budgets:expenditure_edit", args=[expenditure.pk])).status_code == 403


def test_the_receipt_is_downloaded_by_those_who_read_expenditures(client, expenditure, auditor):
    client.force_login(auditor)

    response = client.get(reverse("budgets:receipt_download", args=[expenditure.pk]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert 'filename="invoice.png"' in response["Content-Disposition"]


def test_an_expenditure_without_receipt_has_no_download(client, own_programme, officer):
    record = ExpenditureFactory(programme=own_programme)
    client.force_login(officer)

    assert client.get(reverse("budgets:receipt_download", args=[record.pk])).status_code == 404


def test_an_officer_adds_a_line_and_a_bad_one_shows_its_errors(client, own_programme, officer):
    client.force_login(officer)
    url = reverse("budgets:line_create", args=[own_programme.pk])
    data = {
        "category": "staff",
        "period_start": "2026-01-01",
        "period_end": "2025-12-31",
        "amount": "-5",
        "currency": "USD",
        "budget_type": "1",
        "status": "1",
    }

    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "A budget cannot be negative." in body and "The period cannot end before it starts." in body
    assert not BudgetLine.objects.exists()

    response = client.post(url, data | {"period_end": "2026-12-31", "amount": "5000"})
    line = BudgetLine.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("budgets:line_detail", args=[line.pk])


def test_a_revision_asks_for_its_reason_and_the_line_page_shows_it(client, line, manager):
    client.force_login(manager)
    url = reverse("budgets:line_edit", args=[line.pk])
    data = {
        "category": line.category,
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "amount": "1500",
        "currency": "USD",
        "budget_type": "2",
        "status": "2",
        "description": "Trainers",
    }

    assert "Give a reason." in client.post(url, data).content.decode()
    line.refresh_from_db()
    assert line.amount == Decimal("1000")

    client.post(url, data | {"reason": "Second training round"})
    body = client.get(reverse("budgets:line_detail", args=[line.pk])).content.decode()

    assert "Second training round" in body and "USD 1,500.00" in body and "USD 1,000.00" in body
    assert "Revised" in body


def test_an_officer_records_an_expenditure_with_its_receipt(client, own_programme, line, officer):
    client.force_login(officer)
    data = {
        "spent_on": "2026-03-01",
        "amount": "250",
        "currency": "USD",
        "category": "technical",
        "payee": "Trainer",
        "budget_line": line.pk,
        "receipt": SimpleUploadedFile("voucher.png", PNG, "image/png"),
    }

    response = client.post(reverse("budgets:expenditure_create", args=[own_programme.pk]), data)

    expenditure = Expenditure.objects.get()
    assert response["Location"] == reverse("budgets:expenditure_detail", args=[expenditure.pk])
    assert expenditure.receipt_name == "voucher.png"
    body = client.get(response["Location"]).content.decode()
    assert "voucher.png" in body and "Change history" in body
