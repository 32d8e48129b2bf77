"""Money paid in numbered tranches (a grant's, a scholar's stipend): one status set and one shape for both."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.fields import happened_on, status_field, user_link
from cooperation.models import TimeStampedModel
from cooperation.money import AmountField


class TrancheStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class BaseTranche(TimeStampedModel):
    """One numbered part of an amount: scheduled, approved by an officer, then paid on a day with a reference."""

    number = models.PositiveSmallIntegerField(_("number"))
    amount = AmountField(_("amount"))
    status = status_field(TrancheStatus, TrancheStatus.SCHEDULED)
    approved_by = user_link(_("approved by"), optional=True)
    paid_on = happened_on(_("paid on"))
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    # Every kind of tranche keeps its change history (each gets its own history table).
    history = HistoricalRecords(excluded_fields=["updated_at"], inherit=True)

    class Meta:
        abstract = True

    @staticmethod
    def paid_has_date(*, name: str) -> models.CheckConstraint:
        """The database refuses a paid tranche without its payment date."""
        return models.CheckConstraint(condition=~Q(status=TrancheStatus.PAID) | Q(paid_on__isnull=False), name=name)
