"""The figures of the programmes themselves an indicator can be computed from (registered in apps.py)."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from cooperation.measures import MeasuredValue
from programs.models import Participation


def partners_engaged(indicator, starts_on: datetime.date, ends_on: datetime.date) -> MeasuredValue:
    """The partner organisations taking part in the programme at the end of the span (its last day, in the
    organisation's time zone), read from the participations' history: a partner that joined later is not
    counted, one that has left since still is."""
    end = timezone.make_aware(datetime.datetime.combine(ends_on, datetime.time.max))
    count = (
        Participation.history.as_of(end)
        .filter(programme_id=indicator.result.programme_id)
        .values("organisation_id")
        .distinct()
        .count()
    )
    return MeasuredValue(Decimal(count), {}, reverse("programs:detail", args=[indicator.result.programme_id]))
