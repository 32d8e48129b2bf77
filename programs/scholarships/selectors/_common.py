"""What every scholarship read shares: today, a permission check, a count per row, how a hidden value shows."""

import datetime

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cooperation.roles import Perm

SCORE = DecimalField(max_digits=5, decimal_places=2)
# A personal field shown to someone who may not see it.
REDACTED = "—"


def today_or(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def may(user, perm: Perm) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(perm))


def count_of(model, link: str, *conditions: Q, outer: str = "pk") -> Coalesce:
    rows = model.objects.filter(*conditions, **{link: OuterRef(outer)}).order_by().values(link).annotate(n=Count("pk"))
    return Coalesce(Subquery(rows.values("n"), output_field=IntegerField()), Value(0))
