"""The demo loads on any day and says no in production: each test here loads it afresh (or not at all), so they
stay out of `test_load_demo.py`, whose tests share one load."""

import datetime
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from django.utils import timezone

from programs.finance import selectors as finance_selectors
from programs.finance.models import Loan, LoanStatus, Repayment
from programs.scholarships import selectors as scholarship_selectors
from programs.scholarships.models import Application, ApplicationStatus, CallStatus, ProgressReport, ReportStatus
from programs.shipments import selectors as shipment_selectors
from programs.shipments.models import ShipmentStatus
from tests.cooperation.test_load_demo import load_demo, user

pytestmark = pytest.mark.django_db


def test_refuses_production_mode(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        load_demo()
    assert not get_user_model().objects.filter(username="admin").exists()


def today_is(today: datetime.date):
    """Move today's date; the local date of a given moment (when an award was made) stays what it is."""
    real_localdate = timezone.localdate

    def localdate(value=None, timezone=None):
        return today if value is None else real_localdate(value, timezone)

    return mock.patch("django.utils.timezone.localdate", side_effect=localdate)


@pytest.mark.parametrize("today", [datetime.date(2027, 1, 31), datetime.date(2028, 2, 29), datetime.date(2029, 7, 1)])
def test_the_demo_is_as_meaningful_on_any_day(today):
    with today_is(today):
        load_demo()
        manager = user("manager")
        assert set(Loan.objects.values_list("status", flat=True)) == set(LoanStatus.values)
        days_late = set(finance_selectors.loan_list(user=manager).values_list("max_days_past_due", flat=True))
        assert any(1 <= days <= 10 for days in days_late), days_late
        assert any(30 < days <= 90 for days in days_late), days_late
        assert any(days > 90 for days in days_late), days_late
        assert all(row.par30 >= row.par90 for row in finance_selectors.portfolio_summary(user=manager))
        for username in ("partner", "partner2"):
            assert finance_selectors.notification_list(user=user(username)).exists(), username
        assert Repayment.objects.filter(paid_on__gt=today).count() == 0
        shipments = shipment_selectors.shipment_list(user=manager, today=today)
        assert set(shipments.values_list("status", flat=True)) == set(ShipmentStatus.values)
        assert shipments.filter(is_delayed=True).exists()
        calls = scholarship_selectors.call_list(user=manager, today=today)
        assert set(calls.values_list("status", flat=True)) == set(CallStatus.values)
        assert set(Application.objects.values_list("status", flat=True)) == set(ApplicationStatus.values)
        assert set(ProgressReport.objects.values_list("status", flat=True)) == set(ReportStatus.values)
        assert not ProgressReport.objects.filter(period_end__gt=today).exists()
