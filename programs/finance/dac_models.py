"""The OECD DAC concessionality rules, kept as data (see ``services.dac``)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.fields import unique
from partners.models import DacCategory

# A percentage with four decimals: interest rates, grant elements, discount rates.
RATE_DIGITS = {"max_digits": 7, "decimal_places": 4}


class DacRule(models.Model):
    """One OECD DAC threshold for a concessional loan: a loan to a recipient of ``category`` committed on or after
    ``valid_from`` is concessional when its grant element at ``discount_rate`` is at least ``minimum_grant_element``
    (until a later row for the same category takes over). Kept as data so that a change of the rules is an edit."""

    category = models.CharField(_("recipient category"), max_length=12, choices=DacCategory.choices)
    minimum_grant_element = models.DecimalField(
        _("minimum grant element (%)"), **RATE_DIGITS, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    discount_rate = models.DecimalField(
        _("discount rate (%)"), **RATE_DIGITS, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    valid_from = models.DateField(_("valid from"), help_text=_("The first commitment date the rule applies to."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "-valid_from"]
        verbose_name = _("DAC concessionality rule")
        verbose_name_plural = _("DAC concessionality rules")
        constraints = [
            unique(
                ("category", "valid_from"),
                name="dac_rule_one_per_category_and_date",
                message=_("This category already has a rule from that date."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} ({self.valid_from})"
