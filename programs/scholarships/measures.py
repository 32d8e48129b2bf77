"""The figures of technical and cultural cooperation an indicator can be computed from (registered in apps.py):
scholars who completed their studies and participants of exchange activities, by sex."""

import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse

from cooperation.measures import MeasuredValue
from programs.scholarships.models import Application, ApplicationStatus, ExchangeActivity, ExchangeStatus, Gender

SEX = "sex"


def _by_sex(counts: dict[str, int]) -> dict[tuple[str, str], Decimal]:
    return {(SEX, gender.value): Decimal(counts.get(gender.value) or 0) for gender in Gender}


def scholars_completed(indicator, starts_on: datetime.date, ends_on: datetime.date) -> MeasuredValue:
    """The scholars of the programme's calls who completed their studies in the span, by sex."""
    rows = (
        Application.objects.filter(
            call__programme_id=indicator.result.programme_id,
            status=ApplicationStatus.COMPLETED,
            completed_on__gte=starts_on,
            completed_on__lte=ends_on,
        )
        .order_by()
        .values("gender")
        .annotate(count=Count("pk"))
    )
    counts = {row["gender"]: row["count"] for row in rows}
    breakdown = _by_sex(counts)
    programme_page = reverse("programs:detail", args=[indicator.result.programme_id])
    return MeasuredValue(sum(breakdown.values(), Decimal(0)), breakdown, programme_page)


def participants(indicator, starts_on: datetime.date, ends_on: datetime.date) -> MeasuredValue:
    """The participants (women, men, other or not stated) of the programme's exchange activities that ended in the
    span; a cancelled activity reached nobody."""
    sums = (
        ExchangeActivity.objects.filter(
            programme_id=indicator.result.programme_id, ends_on__gte=starts_on, ends_on__lte=ends_on
        )
        .exclude(status=ExchangeStatus.CANCELLED)
        .aggregate(female=Sum("women"), male=Sum("men"), other=Sum("other_gender"))
    )
    breakdown = _by_sex(sums)
    records = f"{reverse('scholarships:activity_list')}?{urlencode({'programme': indicator.result.programme_id})}"
    return MeasuredValue(sum(breakdown.values(), Decimal(0)), breakdown, records)
