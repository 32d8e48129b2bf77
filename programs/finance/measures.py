"""The figures of financial cooperation an indicator can be computed from (registered in apps.py): loans
disbursed, repayments received and grant tranches paid by a programme over a span, money always in the
indicator's own currency (amounts in other currencies are never converted nor counted)."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse

from cooperation.measures import MeasuredValue
from cooperation.tranches import TrancheStatus
from programs.finance.models import Loan, Repayment, RepaymentStatus, Tranche


def _programme_page(indicator) -> str:
    return reverse("programs:detail", args=[indicator.result.programme_id])


def _loan_list(indicator, **filters) -> str:
    query = {"programme": indicator.result.programme_id, **filters}
    return f"{reverse('finance:loan_list')}?{urlencode(query)}"


def loans_disbursed(indicator, starts_on: datetime.date, ends_on: datetime.date) -> MeasuredValue:
    """The principal of the programme's loans disbursed in the span, in the indicator's currency (a money
    indicator), or how many loans were disbursed (a number)."""
    loans = Loan.objects.filter(
        programme_id=indicator.result.programme_id, disbursed_on__gte=starts_on, disbursed_on__lte=ends_on
    )
    if indicator.unit == "money":
        total = loans.filter(currency_id=indicator.currency_id).aggregate(total=Sum("principal"))["total"]
        return MeasuredValue(total or Decimal(0), {}, _loan_list(indicator, currency=indicator.currency_id))
    count = loans.aggregate(count=Count("pk"))["count"]
    return MeasuredValue(Decimal(count), {}, _loan_list(indicator))


def repayments_received(indicator, starts_on: datetime.date, ends_on: datetime.date) -> MeasuredValue:
    """The confirmed repayments on the programme's loans paid in the span, in the indicator's currency."""
    total = Repayment.objects.filter(
        loan__programme_id=indicator.result.programme_id,
        status=RepaymentStatus.CONFIRMED,
        currency_id=indicator.currency_id,
        paid_on__gte=starts_on,
        paid_on__lte=ends_on,
    ).aggregate(total=Sum("amount"))["total"]
    return MeasuredValue(total or Decimal(0), {}, _loan_list(indicator, currency=indicator.currency_id))


def tranches_paid(indicator, starts_on: datetime.date, ends_on: datetime.date) -> MeasuredValue:
    """The grant tranches of the programme paid in the span, in the indicator's currency."""
    total = Tranche.objects.filter(
        grant__programme_id=indicator.result.programme_id,
        grant__currency_id=indicator.currency_id,
        status=TrancheStatus.PAID,
        paid_on__gte=starts_on,
        paid_on__lte=ends_on,
    ).aggregate(total=Sum("amount"))["total"]
    return MeasuredValue(total or Decimal(0), {}, _programme_page(indicator))
