"""A span of days a report narrows to, such as the dashboard's period, and the conditions that select within it.

Both ends are included and either may be open: a span from 1 January with no end covers every day since. Modules
receive a ``DateSpan`` (or None for "any time") and ask it for the condition on their own date fields, so each
keeps the choice of which date of its records counts (a repayment's payment date, a shipment's dispatch date).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class DateSpan:
    start: datetime.date | None = None
    end: datetime.date | None = None

    def within(self, field: str) -> Q:
        """Records whose ``field`` falls within the span; a record without that date falls outside."""
        condition = Q(**{f"{field}__isnull": False})
        if self.start is not None:
            condition &= Q(**{f"{field}__gte": self.start})
        if self.end is not None:
            condition &= Q(**{f"{field}__lte": self.end})
        return condition

    def overlaps(self, start_field: str, end_field: str) -> Q:
        """Records running from ``start_field`` to ``end_field`` (an empty end: still running, an empty start:
        not known) for at least one day of the span."""
        condition = Q()
        if self.end is not None:
            condition &= Q(**{f"{start_field}__isnull": True}) | Q(**{f"{start_field}__lte": self.end})
        if self.start is not None:
            condition &= Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gte": self.start})
        return condition

    def __contains__(self, day: datetime.date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)
