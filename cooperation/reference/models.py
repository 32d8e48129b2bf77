"""Reference data derived from the IATI Standard codelists.

Source: IATI Standard (http://iatistandard.org/), codelists version 2.03,
licensed CC BY 4.0. Country and currency lists replicate ISO 3166-1 and
ISO 4217; sectors are the OECD DAC 5-digit purpose codes.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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
