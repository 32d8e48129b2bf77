"""Exchange rates in the Django admin: entered through the service, never deleted; fixed rates only read."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation import exchange
from cooperation.reference.models import ExchangeRate, FixedRate
from tests.cooperation.reference.rates import rate

pytestmark = pytest.mark.django_db

MARCH_4 = datetime.date(2026, 3, 4)


def admin_post(**overrides) -> dict:
    data = {"on": "2026-03-04", "from_currency": "USD", "to_currency": "IDR", "rate": "16250", "source": "BI"}
    return data | overrides


def test_an_officer_enters_a_rate_in_the_admin_through_the_service(client, officer):
    client.force_login(officer)
    response = client.post(reverse("admin:reference_exchangerate_add"), admin_post())
    assert response.status_code == 302
    saved = ExchangeRate.objects.get()
    assert (saved.rate, saved.created_by) == (Decimal("16250"), officer)
    assert saved.history.get().history_user == officer


def test_the_admin_refuses_a_rate_of_zero_and_saves_nothing(client, officer):
    client.force_login(officer)
    response = client.post(reverse("admin:reference_exchangerate_add"), admin_post(rate="0"))
    assert response.status_code == 200
    assert "A rate is a number greater than zero." in response.text
    assert not ExchangeRate.objects.exists()


def test_a_correction_in_the_admin_keeps_the_day_and_currencies(client, officer):
    entered = rate(MARCH_4, "USD", "IDR", "16000")
    client.force_login(officer)
    url = reverse("admin:reference_exchangerate_change", args=[entered.pk])
    response = client.post(url, admin_post(on="2026-03-01", from_currency="EUR", rate="16100", source="BI fix"))
    assert response.status_code == 302
    entered.refresh_from_db()
    assert (entered.on, entered.from_currency_id, entered.rate, entered.source) == (
        MARCH_4,
        "USD",
        Decimal("16100"),
        "BI fix",
    )


def test_rates_are_never_deleted_in_the_admin(client, admin_user):
    entered = rate(MARCH_4, "USD", "IDR", "16000")
    client.force_login(admin_user)
    assert client.post(reverse("admin:reference_exchangerate_delete", args=[entered.pk])).status_code == 403
    assert ExchangeRate.objects.exists()


def test_the_auditor_reads_rates_fixed_rates_and_their_history_but_adds_none(client, auditor):
    entered = rate(MARCH_4, "EUR", "USD", "1.1")
    exchange.convert(Decimal("10"), "EUR", MARCH_4)
    fixed = FixedRate.objects.get()
    client.force_login(auditor)
    assert "1.1" in client.get(reverse("admin:reference_exchangerate_changelist")).text
    assert client.get(reverse("admin:reference_fixedrate_changelist")).status_code == 200
    assert client.get(reverse("admin:reference_exchangerate_history", args=[entered.pk])).status_code == 200
    assert client.get(reverse("admin:reference_fixedrate_history", args=[fixed.pk])).status_code == 200
    assert client.get(reverse("admin:reference_exchangerate_add")).status_code == 403
    assert client.get(reverse("admin:reference_fixedrate_add")).status_code == 403


def test_nobody_changes_a_fixed_rate_in_the_admin(client, admin_user):
    rate(MARCH_4, "EUR", "USD", "1.1")
    exchange.convert(Decimal("10"), "EUR", MARCH_4)
    fixed = FixedRate.objects.get()
    client.force_login(admin_user)
    url = reverse("admin:reference_fixedrate_change", args=[fixed.pk])
    client.post(url, {"rate": "2", "rate_on": "2026-03-04", "on": "2026-03-04"})
    fixed.refresh_from_db()
    assert fixed.rate == Decimal("1.1")
