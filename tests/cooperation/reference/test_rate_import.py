"""Importing exchange rates from a CSV file: every line checked, problems named by line, all saved or none."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cooperation.reference.models import ExchangeRate
from tests.cooperation.reference.rates import rate

pytestmark = pytest.mark.django_db

GOOD = (
    "date,from,to,rate,source\n"
    "2026-03-02,USD,IDR,16250.5,Bank Indonesia\n"
    "2026-03-03,USD,IDR,16300,\n"
    "\n"
    "2026-03-03,EUR,USD,1.0875,ECB\n"
)


def upload(client, text: str | bytes, name: str = "rates-2026-03.csv"):
    content = text.encode() if isinstance(text, str) else text
    return client.post(reverse("rates:import"), {"file": SimpleUploadedFile(name, content, "text/csv")})


def test_a_good_file_is_previewed_then_saved(client, officer):
    client.force_login(officer)
    preview = upload(client, GOOD)
    assert "3 rates are ready to be saved." in preview.text
    assert not ExchangeRate.objects.exists()
    content = preview.context["form"].initial["content"]
    saved = client.post(
        reverse("rates:import"), {"content": content, "file_name": "rates-2026-03.csv", "save": "1"}, follow=True
    )
    assert "3 exchange rates were saved." in saved.text
    rates = {(r.on, r.from_currency_id, r.to_currency_id): (r.rate, r.source) for r in ExchangeRate.objects.all()}
    assert rates == {
        (datetime.date(2026, 3, 2), "USD", "IDR"): (Decimal("16250.5"), "Bank Indonesia"),
        (datetime.date(2026, 3, 3), "USD", "IDR"): (Decimal("16300"), "CSV import rates-2026-03.csv"),
        (datetime.date(2026, 3, 3), "EUR", "USD"): (Decimal("1.0875"), "ECB"),
    }
    assert {r.created_by for r in ExchangeRate.objects.all()} == {officer}
    assert ExchangeRate.history.filter(history_type="+", history_user=officer).count() == 3


def test_a_bad_file_names_each_bad_line_and_saves_nothing(client, officer):
    rate(datetime.date(2026, 3, 1), "USD", "IDR", "16000")
    client.force_login(officer)
    response = upload(
        client,
        "date,from,to,rate,source\n"
        "2026-03-01,USD,IDR,16100,BI\n"  # line 2: already entered
        "2026-03-02,USD,IDR,16250,BI\n"  # line 3: good
        "04/03/2026,USD,IDR,16250,BI\n"  # line 4: date
        "2026-03-05,USD,XXX,16250,BI\n"  # line 5: currency
        "2026-03-06,USD,IDR,0,BI\n"  # line 6: zero
        "2026-03-07,USD,USD,1,BI\n"  # line 7: same currency
        '2026-03-08,USD,IDR,"16,250",BI\n'  # line 8: comma
        "2026-03-02,USD,IDR,16260,BI\n",  # line 9: same as line 3
    )
    errors = dict(response.context["checked"].errors)
    assert sorted(errors) == [2, 4, 5, 6, 7, 8, 9]
    assert errors[2] == "There is already a rate from USD to IDR on 1 March 2026."
    assert "04/03/2026" in errors[4]
    assert "XXX" in errors[5]
    assert errors[6] == "A rate is a number greater than zero."
    assert errors[7] == "A rate converts between two different currencies."
    assert "16,250" in errors[8]
    assert "line 3" in errors[9]
    assert "Line 4: " in response.text and "The file was not saved" in response.text
    assert ExchangeRate.objects.count() == 1


def test_saving_checks_the_text_again(client, officer):
    client.force_login(officer)
    text = "date,from,to,rate,source\n2026-03-02,USD,IDR,16250,BI\n"
    rate(datetime.date(2026, 3, 2), "USD", "IDR", "16000")  # entered meanwhile
    response = client.post(reverse("rates:import"), {"content": text, "file_name": "a.csv", "save": "1"})
    assert "There is already a rate from USD to IDR on 2 March 2026." in response.text
    assert ExchangeRate.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("when,from,to,rate\n2026-03-02,USD,IDR,1,BI\n", "The first line must be the header"),
        ("", "The submitted file is empty."),
        ("date,from,to,rate,source\n", "The file holds no rates."),
        (b"date,from,to,rate,source\n2026-03-02,USD,IDR,1,\xff\xfe\n", "The file is not UTF-8 text."),
        ("date,from,to,rate,source\n2026-03-02,USD,IDR\n", "3 columns where"),
        ("date,from,to,rate,source\n2026-03-02,USD,IDR,NaN,BI\n", "is not a number"),
        ("date,from,to,rate,source\n2026-03-02,USD,IDR,1e400,BI\n", "at most 10 digits"),
        ("date,from,to,rate,source\n3026-03-02,USD,IDR,1,BI\n", "Enter a date between"),
        ("date,from,to,rate,source\n2026-03-02,USD,IDR,1," + "x" * 201 + "\n", "at most 200 characters"),
    ],
)
def test_files_that_cannot_be_read_are_refused_with_a_reason(client, officer, content, message):
    client.force_login(officer)
    response = upload(client, content)
    assert response.status_code == 200
    assert message in response.text
    assert not ExchangeRate.objects.exists()


def test_posting_nothing_asks_for_a_file(client, officer):
    client.force_login(officer)
    response = client.post(reverse("rates:import"), {})
    assert "Choose a CSV file." in response.text


def test_a_manager_may_import_and_a_partner_may_not(client, manager, partner_user):
    client.force_login(manager)
    assert "1 rate is ready to be saved." in upload(client, "date,from,to,rate,source\n2026-03-02,USD,IDR,1,BI\n").text
    client.force_login(partner_user)
    assert upload(client, GOOD).status_code == 403
