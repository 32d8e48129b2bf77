"""Calls for applications, their selection criteria, and the amounts every scholarship is counted in."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.dates import BoundedDateField
from cooperation.fields import (
    currency_link,
    ends_after,
    known_choice,
    part_of,
    positive_amount,
    protected_link,
    unique,
    user_link,
)
from cooperation.models import TimeStampedModel
from cooperation.money import AmountField

SCORE_DIGITS = {"max_digits": 3, "decimal_places": 1}
WEIGHT_DIGITS = {"max_digits": 5, "decimal_places": 2}
MIN_SCORE, MAX_SCORE = Decimal(0), Decimal(10)


class Level(models.TextChoices):
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master")
    DOCTORAL = "doctoral", _("Doctoral")
    SHORT_COURSE = "short_course", _("Short course")


class StipendFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMI_ANNUAL = "semi_annual", _("Semi-annual")
    ANNUAL = "annual", _("Annual")
    ONCE = "once", _("Once")


# Months between two stipend payments; a stipend paid once has no period.
MONTHS_PER_PERIOD = {
    StipendFrequency.MONTHLY: 1,
    StipendFrequency.QUARTERLY: 3,
    StipendFrequency.SEMI_ANNUAL: 6,
    StipendFrequency.ANNUAL: 12,
    StipendFrequency.ONCE: None,
}


class CallStatus(models.TextChoices):
    UPCOMING = "upcoming", _("Upcoming")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Call(TimeStampedModel):
    programme = protected_link("programs.Programme", _("programme"), related_name="scholarship_calls")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=10000, blank=True)
    host = protected_link("partners.Organisation", _("host institution"), related_name="hosted_calls")
    fields_of_study = models.JSONField(_("fields of study"), default=list, blank=True)
    eligible_countries = models.ManyToManyField(
        "reference.Country", related_name="+", verbose_name=_("eligible nationalities")
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    opens_on = BoundedDateField(_("opens on"))
    closes_on = BoundedDateField(_("closes on"))
    awards_available = models.PositiveSmallIntegerField(
        _("number of awards"), validators=[MinValueValidator(1)], default=1
    )
    stipend_amount = AmountField(_("stipend per period"), validators=[MinValueValidator(Decimal("0.01"))])
    stipend_currency = currency_link(_("stipend currency"))
    stipend_frequency = models.CharField(_("stipend frequency"), max_length=20, choices=StipendFrequency.choices)
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), validators=[MinValueValidator(1), MaxValueValidator(120)]
    )
    responsible_officer = user_link(_("responsible officer"), optional=True, related_name="scholarship_calls")
    # Published: the call has a public page where anyone may apply online while it is open.
    online_applications = models.BooleanField(
        _("open to online applications"),
        default=False,
        help_text=_(
            "The call gets a public page where anyone may apply, in English or Bahasa Indonesia, while it is open."
        ),
    )
    # Questions the applicant answers yes or no when applying online; the answers are kept with the application.
    eligibility_questions = models.JSONField(_("eligibility questions"), default=list, blank=True)
    created_by = user_link(_("created by"))
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[eligible_countries])

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("scholarship call")
        verbose_name_plural = _("scholarship calls")
        constraints = [
            ends_after(
                "closes_on",
                "opens_on",
                name="call_closes_after_opening",
                message=_("The closing date cannot be before the opening date."),
            ),
            models.CheckConstraint(condition=Q(awards_available__gte=1), name="call_at_least_one_award"),
            *positive_amount("stipend_amount", prefix="call_stipend"),
            models.CheckConstraint(condition=Q(duration_months__gte=1), name="call_duration_positive"),
            known_choice("stipend_frequency", StipendFrequency, name="call_frequency_known"),
        ]

    def __str__(self) -> str:
        return self.title

    def status_on(self, day) -> CallStatus:
        if day < self.opens_on:
            return CallStatus.UPCOMING
        if day > self.closes_on:
            return CallStatus.CLOSED
        return CallStatus.OPEN


class Criterion(models.Model):
    """One line of a call's rubric; reviewers score it 0–10 and the weights make the weighted average."""

    call = part_of(Call, _("call"), related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.DecimalField(_("weight"), **WEIGHT_DIGITS, validators=[MinValueValidator(Decimal("0.01"))])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["call", "position", "pk"]
        verbose_name = _("rubric criterion")
        verbose_name_plural = _("rubric criteria")
        constraints = [
            unique(
                ("call", "name"),
                name="criterion_name_unique_per_call",
                message=_("This call already has a criterion with this name."),
            ),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"
