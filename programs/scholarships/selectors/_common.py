"""What every scholarship read shares: today, a permission check, a count per row, how a hidden value shows."""

from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    Q,
)
from django.db.models.functions import Coalesce

from cooperation.roles import Perm
from programs.selectors import per_row

SCORE = DecimalField(max_digits=5, decimal_places=2)
# A personal field shown to someone who may not see it.
REDACTED = "—"


def may(user, perm: Perm) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(perm))


def count_of(model, link: str, *conditions: Q, outer: str = "pk") -> Coalesce:
    """How many ``model`` rows (meeting ``conditions``) link to each row of the outer query; 0 for none."""
    rows = model.objects.filter(*conditions)
    return per_row(rows, link, Count("pk"), output_field=IntegerField(), otherwise=0, outer=outer)
