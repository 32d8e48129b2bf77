"""A partner paid whose receipt is missing past the grace days carries a risk flag."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cooperation.risk import partner_risk_flags
from tests.programs.budgets.factories import ExpenditureFactory
from tests.programs.budgets.test_services import PNG

pytestmark = pytest.mark.django_db


def _paid(programme, organisation, days_ago, reference, **extra):
    spent_on = timezone.localdate() - datetime.timedelta(days=days_ago)
    return ExpenditureFactory(
        programme=programme, payee_organisation=organisation, spent_on=spent_on, reference=reference, **extra
    )


def _flags(organisation):
    return [flag for flag in partner_risk_flags(organisation) if flag.code == "budgets.receipts_missing"]


def test_payments_without_receipt_past_the_grace_days_flag_the_partner(own_programme, partner_org, client, officer):
    _paid(own_programme, partner_org, 45, "INV-45")
    _paid(own_programme, partner_org, 31, "INV-31")
    _paid(own_programme, partner_org, 10, "INV-10")  # not due yet

    (flag,) = _flags(partner_org)

    assert flag.count == 2
    assert flag.message == "2 payments older than 30 days have no receipt: INV-45, INV-31"
    client.force_login(officer)
    body = client.get(flag.url).content.decode()
    assert "INV-45" in body and "INV-31" in body and "INV-10" not in body


def test_a_receipt_in_or_a_longer_grace_clears_the_flag(own_programme, partner_org, other_org, settings):
    expenditure = _paid(own_programme, partner_org, 45, "INV-45")
    _paid(own_programme, other_org, 45, "INV-OTHER")
    assert _flags(partner_org)

    expenditure.receipt.save("r.png", SimpleUploadedFile("r.png", PNG), save=True)
    assert not _flags(partner_org)

    settings.BUDGET_RECEIPT_GRACE_DAYS = 60
    assert not _flags(other_org)


def test_the_list_of_missing_receipts_is_for_staff_only(client, partner_user):
    client.force_login(partner_user)

    assert client.get(reverse("budgets:expenditure_list") + "?receipt=missing").status_code == 403
