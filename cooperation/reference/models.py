"""Reference data derived from the IATI Standard codelists.

Source: IATI Standard (http://iatistandard.org/), codelists version 2.03,
licensed CC BY 4.0. Country and currency lists replicate ISO 3166-1 and
ISO 4217; sectors are the OECD DAC 5-digit purpose codes.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.dates import BoundedDateField


class Country(models.Model):
    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.name


class Currency(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("name"), max_length=120)
    minor_unit = models.PositiveSmallIntegerField(
        _("minor unit"), default=2, help_text=_("Digits after the decimal point (ISO 4217).")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")
        constraints = [
            models.CheckConstraint(condition=models.Q(minor_unit__lte=4), name="currency_minor_unit_at_most_4"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Sector(models.Model):
    code = models.CharField(_("code"), max_length=5, primary_key=True)
    name = models.CharField(_("name"), max_length=200)
    category_code = models.CharField(_("category code"), max_length=3)
    category_name = models.CharField(_("category"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("DAC sector")
        verbose_name_plural = _("DAC sectors")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


# A rate has at most 10 whole digits and 10 decimals, and at most 15 significant digits in all, so every database
# keeps it exactly (SQLite stores a decimal as a floating-point number).
RATE_DIGITS = {"max_digits": 20, "decimal_places": 10}
RATE_SIGNIFICANT_DIGITS = 15
RATE_CEILING = Decimal(10) ** (RATE_DIGITS["max_digits"] - RATE_DIGITS["decimal_places"])
# A fixed rate may be the inverse of an entered one (1 / 16,250 IDR a dollar): kept to 15 significant digits,
# which needs finer decimals than an entered rate.
FIXED_RATE_DIGITS = {"max_digits": 30, "decimal_places": 20}


def rate_text(rate: Decimal, *, localized: bool = False) -> str:
    """``rate`` with the digits it was given with: 16250 rather than 16250.0000000000."""
    exact = rate.normalize()
    if not localized:
        return f"{exact:f}"
    return number_format(exact, use_l10n=True, force_grouping=True)


class ExchangeRate(models.Model):
    """One unit of ``from_currency`` is worth ``rate`` units of ``to_currency`` on the day ``on``, as an officer
    entered or imported it. The same rate read the other way converts ``to_currency`` back (its inverse)."""

    on = BoundedDateField(_("date"))
    from_currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("from currency")
    )
    to_currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("to currency"))
    rate = models.DecimalField(_("rate"), **RATE_DIGITS)
    source = models.CharField(
        _("source"), max_length=200, help_text=_('Where the rate comes from: "Bank Indonesia", a file name.')
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "from_currency", "to_currency"]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=("on", "from_currency", "to_currency"),
                name="exchange_rate_one_per_day_and_pair",
                violation_error_message=_("There is already a rate for these currencies on this date."),
            ),
            models.CheckConstraint(
                condition=Q(rate__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("A rate is a number greater than zero."),
            ),
            models.CheckConstraint(
                condition=Q(rate__lt=RATE_CEILING),
                name="exchange_rate_fits",
                violation_error_message=_("A rate is smaller than 10,000,000,000."),
            ),
            models.CheckConstraint(
                condition=~Q(from_currency=F("to_currency")),
                name="exchange_rate_two_currencies",
                violation_error_message=_("A rate converts between two different currencies."),
            ),
        ]
        indexes = [models.Index(fields=("from_currency", "to_currency", "on"), name="exchange_rate_pair_day")]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} 1 {self.from_currency_id} = {rate_text(self.rate)} {self.to_currency_id}"

    def rate_display(self) -> str:
        """The rate as the active language writes numbers, without trailing zeros: "16,250.5"."""
        return rate_text(self.rate, localized=True)


class FixedRate(models.Model):
    """The rate that converts money events of ``currency`` dated ``on`` into the reporting currency: stored the
    first time it is computed and used ever after, so a total never changes because a closer rate was entered
    later. ``rate_on`` is the date of the exchange rate it came from."""

    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("currency"))
    on = models.DateField(_("date of the money event"))
    reporting_currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, related_name="+", verbose_name=_("reporting currency")
    )
    rate = models.DecimalField(_("rate"), **FIXED_RATE_DIGITS)
    rate_on = models.DateField(_("date of the rate used"))
    fixed_at = models.DateTimeField(_("fixed"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-on", "currency"]
        verbose_name = _("fixed exchange rate")
        verbose_name_plural = _("fixed exchange rates")
        constraints = [
            models.UniqueConstraint(
                fields=("currency", "on", "reporting_currency"), name="fixed_rate_one_per_currency_and_day"
            ),
            models.CheckConstraint(condition=Q(rate__gt=0), name="fixed_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.on:%Y-%m-%d} 1 {self.currency_id} = {self.rate} {self.reporting_currency_id}"
