"""The results framework and the reports against it. Values are exact decimals; a qualitative indicator's value is
text, a yes/no indicator's is 1 or 0."""

import uuid
from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.dates import BoundedDateField
from cooperation.fields import (
    ends_after,
    happened_at,
    part_of,
    protected_link,
    reason_field,
    status_field,
    unique,
    user_link,
)
from cooperation.files import private_storage
from cooperation.models import TimeStampedModel

# Every indicator value, target and baseline: up to 13 whole digits and 2 decimals, exact on every database (at
# most 15 significant digits).
VALUE_DIGITS = {"max_digits": 15, "decimal_places": 2}
MAX_VALUE = Decimal(10) ** (VALUE_DIGITS["max_digits"] - VALUE_DIGITS["decimal_places"]) - 1


def value_field(verbose_name, **options) -> models.DecimalField:
    return models.DecimalField(verbose_name, null=True, blank=True, **VALUE_DIGITS, **options)


class ResultLevel(models.IntegerChoices):
    """The IATI result type codes."""

    OUTPUT = 1, _("Output")
    OUTCOME = 2, _("Outcome")
    IMPACT = 3, _("Impact")


class Frequency(models.IntegerChoices):
    """How often partners report: the number of months in a reporting period."""

    MONTHLY = 1, _("Monthly")
    QUARTERLY = 3, _("Quarterly")
    SEMI_ANNUAL = 6, _("Semi-annual")
    ANNUAL = 12, _("Annual")


class Unit(models.TextChoices):
    NUMBER = "number", _("Number")
    PERCENTAGE = "percentage", _("Percentage")
    MONEY = "money", _("Money amount")
    YES_NO = "yes_no", _("Yes / no")
    TEXT = "text", _("Qualitative (text)")


# Each unit's IATI indicator measure code: 1 unit, 2 percentage, 3 nominal, 5 qualitative.
IATI_MEASURE = {Unit.NUMBER: 1, Unit.PERCENTAGE: 2, Unit.MONEY: 1, Unit.YES_NO: 3, Unit.TEXT: 5}
NUMERIC_UNITS = frozenset({Unit.NUMBER, Unit.PERCENTAGE, Unit.MONEY, Unit.YES_NO})


class Direction(models.TextChoices):
    """IATI's ``ascending``: whether a higher value is the better one."""

    INCREASE = "increase", _("More is better")
    DECREASE = "decrease", _("Less is better")


class ReportingPlan(TimeStampedModel):
    """How often a programme's partners report, and how long after a period ends each report is due."""

    programme = models.OneToOneField(
        "programs.Programme", on_delete=models.CASCADE, related_name="reporting_plan", verbose_name=_("programme")
    )
    frequency = models.PositiveSmallIntegerField(_("frequency"), choices=Frequency.choices, default=Frequency.QUARTERLY)
    due_after_days = models.PositiveSmallIntegerField(
        _("days to report after a period ends"), default=30, validators=[MinValueValidator(0), MaxValueValidator(365)]
    )
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("reporting plan")
        verbose_name_plural = _("reporting plans")

    def __str__(self) -> str:
        return f"{self.programme.code}: {self.get_frequency_display()}"


class Period(models.Model):
    """A reporting period of a programme (an IATI ``period``)."""

    programme = part_of("programs.Programme", _("programme"), related_name="reporting_periods")
    starts_on = BoundedDateField(_("start"))
    ends_on = BoundedDateField(_("end"))
    due_on = BoundedDateField(_("report due"))

    class Meta:
        ordering = ["programme", "starts_on"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            unique(("programme", "starts_on"), name="results_period_one_per_start"),
            ends_after(
                "ends_on",
                "starts_on",
                name="results_period_end_after_start",
                message=_("A period ends after it starts."),
            ),
            ends_after(
                "due_on",
                "ends_on",
                name="results_period_due_after_end",
                message=_("A report is due after its period ends."),
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="results_period_due")]

    def __str__(self) -> str:
        return f"{self.starts_on:%Y-%m-%d} – {self.ends_on:%Y-%m-%d}"


class Dimension(models.Model):
    """A way of breaking a value down (sex, age group, disability, location, beneficiary type): IATI's dimension
    ``name``. A managed list: administrators add dimensions and values; the framework chooses from them."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    # The values cover everyone (every person counted is in exactly one): the parts must add up to the total.
    covers_everyone = models.BooleanField(_("values add up to the total"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("disaggregation dimension")
        verbose_name_plural = _("disaggregation dimensions")

    def __str__(self) -> str:
        return str(self.name)


class DimensionValue(models.Model):
    """One value of a dimension (female, 15–24, with a disability): IATI's dimension ``value``."""

    dimension = part_of(Dimension, _("dimension"), related_name="values")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["dimension", "position", "code"]
        verbose_name = _("dimension value")
        verbose_name_plural = _("dimension values")
        constraints = [unique(("dimension", "code"), name="results_dimension_value_unique")]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.name}"


class Result(TimeStampedModel):
    """What a programme promised to change, at one level; an output may serve an outcome (its ``parent``)."""

    programme = part_of("programs.Programme", _("programme"), related_name="results")
    level = models.PositiveSmallIntegerField(_("level"), choices=ResultLevel.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    parent = protected_link("self", _("serves"), optional=True, related_name="children")
    position = models.PositiveIntegerField(_("order"), default=0)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["programme", "-level", "position", "pk"]
        verbose_name = _("result")
        verbose_name_plural = _("results")

    def __str__(self) -> str:
        return f"{self.get_level_display()}: {self.title}"


class Indicator(TimeStampedModel):
    """How a result is measured: baseline, overall target, a target per period, who reports it, how it breaks down."""

    result = part_of(Result, _("result"), related_name="indicators")
    title = models.CharField(_("title"), max_length=300)
    definition = models.TextField(_("definition"), max_length=5000, blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices, default=Unit.NUMBER)
    currency = protected_link("reference.Currency", _("currency"), optional=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    cumulative = models.BooleanField(
        _("values add up over periods"),
        default=True,
        help_text=_(
            "Add each period's value to the total so far (people trained); if not, each period stands alone "
            "(a rate measured each time)."
        ),
    )
    baseline_value = value_field(_("baseline"))
    baseline_text = models.TextField(_("baseline (text)"), max_length=2000, blank=True)
    baseline_on = BoundedDateField(_("baseline date"), null=True, blank=True)
    baseline_note = models.TextField(_("baseline note"), max_length=2000, blank=True)
    target_value = value_field(_("overall target"))
    target_text = models.TextField(_("overall target (text)"), max_length=2000, blank=True)
    reporter = protected_link("partners.Organisation", _("reported by"), optional=True, related_name="+")
    dimensions = models.ManyToManyField(Dimension, blank=True, related_name="+", verbose_name=_("disaggregated by"))
    # A measure computed from the records of a module (its registered key), or empty when partners report it.
    measure = models.CharField(_("computed from"), max_length=80, blank=True)
    position = models.PositiveIntegerField(_("order"), default=0)
    # Why the indicator was changed after values had been approved (empty before that).
    revision_reason = reason_field(_("reason for the revision"))
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[dimensions])

    class Meta:
        ordering = ["result", "position", "pk"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=~Q(unit=Unit.MONEY) | Q(currency__isnull=False),
                name="results_money_indicator_has_currency",
                violation_error_message=_("Choose the currency of a money indicator."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_numeric(self) -> bool:
        return self.unit in NUMERIC_UNITS

    @property
    def iati_measure(self) -> int:
        return IATI_MEASURE[Unit(self.unit)]


class PeriodTarget(models.Model):
    """An indicator's target for one reporting period."""

    indicator = part_of(Indicator, _("indicator"), related_name="targets")
    period = part_of(Period, _("period"), related_name="targets")
    value = value_field(_("target"))
    text = models.TextField(_("target (text)"), max_length=2000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period__starts_on"]
        verbose_name = _("period target")
        verbose_name_plural = _("period targets")
        constraints = [unique(("indicator", "period"), name="results_target_one_per_period")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.period}"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for revision")
    APPROVED = "approved", _("Approved")


class Report(TimeStampedModel):
    """What one partner reports for one period: a value for each indicator it reports, a narrative per result."""

    period = part_of(Period, _("period"), related_name="reports")
    organisation = protected_link("partners.Organisation", _("reporting partner"), related_name="+")
    status = status_field(ReportStatus, ReportStatus.DRAFT)
    # Entered by an officer on the partner's behalf (a report sent on paper, by email).
    on_behalf = models.BooleanField(_("entered by the agency on the partner's behalf"), default=False)
    submitted_by = user_link(_("submitted by"), optional=True)
    submitted_at = happened_at(_("submitted"))
    reviewed_by = user_link(_("reviewed by"), optional=True)
    reviewed_at = happened_at(_("reviewed"))
    review_comment = reason_field(_("reviewer's comment"))
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-period__starts_on", "organisation__name"]
        verbose_name = _("results report")
        verbose_name_plural = _("results reports")
        constraints = [unique(("period", "organisation"), name="results_report_one_per_partner_period")]
        indexes = [models.Index(fields=["status", "submitted_at"], name="results_report_status")]
        permissions = [("review_report", _("Can approve or return results reports"))]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.period}"


class ActualValue(models.Model):
    """An indicator's actual value in a report (an IATI ``actual`` once approved), with the partner's comment and
    the reviewer's."""

    report = part_of(Report, _("report"), related_name="values")
    indicator = protected_link(Indicator, _("indicator"), related_name="actuals")
    value = value_field(_("value"))
    text = models.TextField(_("value (text)"), max_length=5000, blank=True)
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    review_comment = reason_field(_("reviewer's comment"))
    computed = models.BooleanField(_("computed from the records"), default=False)
    # A computed value's drill-down: the officers' page listing the records it was computed from.
    records_url = models.CharField(_("records behind the value"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "indicator__result__position", "indicator__position", "indicator"]
        verbose_name = _("actual value")
        verbose_name_plural = _("actual values")
        constraints = [unique(("report", "indicator"), name="results_value_one_per_indicator")]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value if self.value is not None else self.text}"


class Breakdown(models.Model):
    """Part of an actual value for one dimension value (women: 120): an IATI ``dimension``."""

    actual = part_of(ActualValue, _("actual value"), related_name="breakdown")
    dimension_value = protected_link(DimensionValue, _("dimension value"))
    value = models.DecimalField(_("value"), **VALUE_DIGITS)

    class Meta:
        ordering = ["actual", "dimension_value__dimension__position", "dimension_value__position"]
        verbose_name = _("disaggregated value")
        verbose_name_plural = _("disaggregated values")
        constraints = [unique(("actual", "dimension_value"), name="results_breakdown_unique")]

    def __str__(self) -> str:
        return f"{self.dimension_value}: {self.value}"


class Narrative(models.Model):
    """What a partner tells of a result's progress in a report."""

    report = part_of(Report, _("report"), related_name="narratives")
    result = protected_link(Result, _("result"))
    text = models.TextField(_("narrative"), max_length=10000, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "result__position"]
        verbose_name = _("narrative")
        verbose_name_plural = _("narratives")
        constraints = [unique(("report", "result"), name="results_narrative_one_per_result")]

    def __str__(self) -> str:
        return f"{self.result}: {self.text[:40]}"


def evidence_path(instance, filename: str) -> str:
    # The stored name tells nothing; the name the partner gave is kept in ``original_name``.
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"results/evidence/{uuid.uuid4().hex}.{extension}"


class Evidence(models.Model):
    """A file that backs a report (a photo of the new well, an attendance list as PDF); private, streamed only to
    those who may see the report."""

    report = part_of(Report, _("report"), related_name="evidence")
    file = models.FileField(_("file"), storage=private_storage, upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = user_link(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["report", "uploaded_at", "pk"]
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.original_name


class IndicatorStanding(models.Model):
    """How far an indicator has come, kept beside it so that the dashboard counts indicators by progress in SQL:
    the percent of the way from baseline to target its approved values have come (None when not measured yet), as
    the framework page works it out. It moves only when the indicator, its targets, its programme's periods or
    the approved values do (never with the calendar), and ``programs.results.summaries`` changes it in the same
    transaction. The thresholds that make a percent on track or at risk are settings, so they are applied when
    counting, not stored."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, primary_key=True, related_name="standing", verbose_name=_("indicator")
    )
    programme = part_of("programs.Programme", _("programme"), related_name="indicator_standings")
    percent = models.DecimalField(_("percent of the way to the target"), max_digits=24, decimal_places=1, null=True)

    class Meta:
        verbose_name = _("indicator standing")
        verbose_name_plural = _("indicator standings")
        indexes = [models.Index(fields=["programme", "percent"], name="results_standing_programme")]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.percent}"
