"""The partner risk flag of the budgets: a partner was paid and has not sent the receipt within
``BUDGET_RECEIPT_GRACE_DAYS`` (30 by default) of the payment."""

import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from cooperation.risk import Level, RiskFlag
from programs.budgets.models import Expenditure
from programs.budgets.selectors import without_receipt_before

SHOWN_REFERENCES = 5


def grace_days() -> int:
    return int(getattr(settings, "BUDGET_RECEIPT_GRACE_DAYS", 30))


def receipt_deadline() -> datetime.date:
    """A payment made before this day should have its receipt by now."""
    return timezone.localdate() - datetime.timedelta(days=grace_days())


def missing_receipts(organisation):
    return Expenditure.objects.filter(payee_organisation=organisation).filter(
        without_receipt_before(receipt_deadline())
    )


def receipts_missing(organisation) -> list[RiskFlag]:
    rows = list(missing_receipts(organisation).order_by("spent_on", "pk").values_list("reference", "pk")[:50])
    if not rows:
        return []
    count = missing_receipts(organisation).count() if len(rows) == 50 else len(rows)
    references = ", ".join(reference or f"#{pk}" for reference, pk in rows[:SHOWN_REFERENCES])
    message = ngettext(
        "%(count)d payment older than %(days)d days has no receipt: %(references)s",
        "%(count)d payments older than %(days)d days have no receipt: %(references)s",
        count,
    ) % {"count": count, "days": grace_days(), "references": references}
    url = reverse("budgets:expenditure_list") + "?" + urlencode({"payee": organisation.pk, "receipt": "missing"})
    return [RiskFlag("budgets.receipts_missing", message, Level.WARNING, count, url)]
