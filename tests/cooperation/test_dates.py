"""The bounds of typed dates, and dates computed from them that never run off the calendar.

Records typed before the bounds existed (a loan whose first repayment is in 9999, a shipment planned for
9999-12-01) must not break a page or an action either: the action is refused with a clear error on the date,
and the page shows why the schedule cannot be drawn.
"""

import datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from cooperation.dates import (
    LATEST_COMPUTED_DATE,
    BoundedDateFormField,
    DateOutOfRange,
    add_days,
    add_months,
    check_date,
    days_after,
)
from cooperation.roles import Role
from programs.finance import services as finance
from programs.finance.models import Loan, LoanStatus
from tests.factories import UserFactory
from tests.programs.finance.factories import submitted_loan
from tests.programs.shipments.factories import ShipmentFactory, ShipmentItemFactory

pytestmark = pytest.mark.django_db

RANGE = "Enter a date between Jan. 1, 1900 and Dec. 31, 2199."


def test_month_arithmetic_refuses_to_run_off_the_calendar():
    assert add_months(datetime.date(2026, 1, 31), 1) == datetime.date(2026, 2, 28)
    assert add_months(datetime.date(2199, 12, 31), 600 * 12) == datetime.date(2799, 12, 31)
    with pytest.raises(DateOutOfRange):
        add_months(datetime.date(9999, 12, 1), 1)
    with pytest.raises(DateOutOfRange):
        add_months(LATEST_COMPUTED_DATE, 1)
    with pytest.raises(DateOutOfRange):
        add_days(datetime.date(9999, 12, 31), 1)
    assert days_after(datetime.date(9999, 12, 1), 90) == datetime.date.max


def test_the_service_check_names_the_field_and_the_range():
    check_date(datetime.date(1900, 1, 1), "paid_on", past=True)
    with pytest.raises(ValidationError) as refused:
        check_date(datetime.date(9999, 12, 31), "paid_on")
    assert refused.value.message_dict == {"paid_on": [RANGE]}
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    with pytest.raises(ValidationError) as refused:
        check_date(tomorrow, "paid_on", past=True)
    assert refused.value.message_dict == {"paid_on": ["This date is in the future."]}


def test_the_form_field_bounds_the_browsers_date_picker_too():
    field = BoundedDateFormField(widget=forms.DateInput(attrs={"type": "date"}))
    assert field.widget.attrs["min"] == "1900-01-01" and field.widget.attrs["max"] == "2199-12-31"
    with pytest.raises(ValidationError, match="Enter a date between"):
        field.clean("0001-01-01")


def test_a_loan_typed_before_the_bounds_cannot_be_approved_and_its_page_still_opens(client, officer):
    loan = submitted_loan()
    Loan.objects.filter(pk=loan.pk).update(
        disbursement_date=datetime.date(9999, 11, 1), first_repayment_date=datetime.date(9999, 12, 1)
    )
    loan.refresh_from_db()
    manager = UserFactory(role=Role.MANAGER)
    with pytest.raises(ValidationError) as refused:
        finance.loan_approve(loan=loan, approved_by=manager)
    assert "first_repayment_date" in refused.value.message_dict
    loan.refresh_from_db()
    assert loan.status == LoanStatus.SUBMITTED and not loan.schedule.exists()

    client.force_login(officer)
    response = client.get(reverse("finance:loan_detail", args=[loan.pk]))
    assert response.status_code == 200
    assert RANGE in response.content.decode()


def test_a_schedule_ending_past_the_computed_limit_is_caught_before_it_is_built():
    longest = {"first_repayment_date": datetime.date(2199, 12, 31), "installments": 600, "frequency": 1}
    assert finance._schedule_ends_in_time(longest)  # the longest loan typed today ends in 2798
    assert not finance._schedule_ends_in_time({**longest, "first_repayment_date": datetime.date(2500, 1, 1)})


def test_a_shipment_planned_for_9999_still_shows_its_page(client, officer):
    far = datetime.date(9999, 12, 1)
    shipment = ShipmentFactory(planned_dispatch=far, expected_arrival=datetime.date(9999, 12, 31))
    ShipmentItemFactory(shipment=shipment, expiry_date=datetime.date(9999, 12, 20))
    client.force_login(officer)
    assert client.get(reverse("shipments:detail", args=[shipment.pk])).status_code == 200
    assert client.get("/api/v1/shipment-items/").status_code == 200


def test_the_reminder_commands_refuse_a_day_off_the_calendar():
    for command in ("send_loan_reminders", "send_scholarship_reminders"):
        with pytest.raises(CommandError, match="1900-01-01 to 2199-12-31"):
            call_command(command, today="9999-12-31")


def test_a_time_at_the_calendars_first_day_is_refused_without_overflowing():
    from django.utils import timezone

    first = timezone.make_aware(datetime.datetime(1, 1, 1))  # in Asia/Jakarta: before year 1 in UTC
    with pytest.raises(ValidationError) as refused:
        check_date(first, "occurred_at", past=True)
    assert refused.value.message_dict == {"occurred_at": [RANGE]}
    later = timezone.now() + datetime.timedelta(hours=3)
    with pytest.raises(ValidationError, match="This time is in the future."):
        check_date(later, "occurred_at", past=True)
