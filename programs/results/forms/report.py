"""The entry form of a partner's report, shared by the officers' "enter on the partner's behalf" page and the
partner portal.

``ReportForm(report, indicators, data=None)`` builds its fields from ``indicators`` (what the partner reports,
as ``services.reported_indicators(report.period, report.organisation_id)`` gives them, with their dimensions and
the dimensions' values prefetched), filled from what the report already holds:

- ``value-<indicator id>``: the value (a number, yes/no as 1 or 0, or a text for a qualitative indicator);
- ``part-<indicator id>-<dimension value id>``: the value for one dimension value (women, 15–24, ...);
- ``comment-<indicator id>``: the partner's comment;
- ``narrative-<result id>``: what the partner tells of each result the indicators serve.

An indicator computed from the records (``indicator.measure``) gets no field: its row shows the computed value.
Indicators given with ``period_targets`` (the period's targets prefetched) show the target beside the input.
``narrative_label`` and ``unit_in_label`` (the value's label names its unit: "Value (%)") let each page word it.

Once valid, ``values()`` and ``narratives()`` are what ``services.report_save(values=, narratives=)`` takes;
``add_service_error(error)`` puts a service's ValidationError back next to its input (a ``dimension-<indicator
id>-<code>`` error beside that dimension's inputs, see ``rows()``), anything else at the top of the form.
``rows()`` gives the template one group per result: its narrative field and, per indicator, the value field, the
dimensions with their part fields and errors, the comment field, the period's target, the computed value and the
reviewer's comment on a returned report. ``number_text`` writes a stored value as people type it ("90", "12.5").
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.results.models import ReportStatus, Unit
from programs.results.selectors import report_values
from programs.results.services.reports import shown

NUMBER_WIDGET = {"inputmode": "decimal", "autocomplete": "off"}
NARRATIVE_LABEL = _("Progress of this result")


def number_text(value: Decimal | None) -> str:
    """A stored value as the partner would type it ("90", "12.5"), or an empty string."""
    return "" if value is None else shown(value)


def number_field(label, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        max_digits=18,
        decimal_places=4,
        localize=True,
        widget=forms.TextInput(attrs=NUMBER_WIDGET),
        **kwargs,
    )


def value_field(indicator, *, unit_in_label: bool = False) -> forms.Field:
    label = _("Value")
    if indicator.unit == Unit.TEXT:
        return forms.CharField(label=label, required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    if indicator.unit == Unit.YES_NO:
        return forms.TypedChoiceField(
            label=label,
            required=False,
            choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))],
            coerce=Decimal,
            empty_value=None,
        )
    if unit_in_label and indicator.unit == Unit.PERCENTAGE:
        label = _("Value (%)")
    elif unit_in_label and indicator.unit == Unit.MONEY and indicator.currency_id:
        label = _("Value (%(currency)s)") % {"currency": indicator.currency.code}
    return number_field(label)


@dataclass
class DimensionRow:
    dimension: object
    parts: list  # bound fields, one per dimension value
    errors: list[str] = field(default_factory=list)


@dataclass
class IndicatorRow:
    indicator: object
    value: object | None  # bound field; None for a computed indicator
    comment: object | None
    dimensions: list[DimensionRow]
    actual: object | None  # what the report holds (its computed value, the reviewer's comment)
    review_comment: str = ""  # the reviewer's comment, while the report is returned

    @property
    def target(self) -> str:
        """The period's target, when the indicator came with its ``period_targets``."""
        for target in getattr(self.indicator, "period_targets", ()):
            return target.text if target.value is None else number_text(target.value)
        return ""

    @property
    def computed_value(self) -> str:
        return number_text(self.actual.value) if self.indicator.measure and self.actual is not None else ""


@dataclass
class ResultGroup:
    result: object
    narrative: object
    indicators: list[IndicatorRow]


def _initial_number(number):
    return None if number is None else number.normalize()


class ReportForm(forms.Form):
    def __init__(
        self,
        report,
        indicators,
        data=None,
        *,
        narrative_label=NARRATIVE_LABEL,
        unit_in_label: bool = False,
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        self.report = report
        self.indicators = list(indicators)
        self.dimension_errors: dict[str, list[str]] = {}
        actuals = report_values(report) if report.pk else {}
        narratives = {n.result_id: n.text for n in report.narratives.all()} if report.pk else {}
        self.actuals = actuals
        self.results = []
        for indicator in self.indicators:
            if indicator.result not in self.results:
                self.results.append(indicator.result)
            if indicator.measure:
                continue
            actual = actuals.get(indicator.pk)
            name = f"value-{indicator.pk}"
            self.fields[name] = value_field(indicator, unit_in_label=unit_in_label)
            if actual is not None:
                if indicator.unit == Unit.TEXT:
                    self.initial[name] = actual.text
                elif actual.value is not None:
                    yes_no = indicator.unit == Unit.YES_NO
                    self.initial[name] = str(int(actual.value)) if yes_no else _initial_number(actual.value)
            parts = {part.dimension_value_id: part.value for part in actual.breakdown.all()} if actual else {}
            for dimension in indicator.dimensions.all():
                for value in dimension.values.all():
                    part = f"part-{indicator.pk}-{value.pk}"
                    self.fields[part] = number_field(value.name)
                    if value.pk in parts:
                        self.initial[part] = _initial_number(parts[value.pk])
            comment = f"comment-{indicator.pk}"
            self.fields[comment] = forms.CharField(
                label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )
            if actual is not None:
                self.initial[comment] = actual.comment
        # Highest level first, as the framework reads: impact, outcome, output.
        self.results.sort(key=lambda result: (-result.level, result.position, result.pk))
        for result in self.results:
            name = f"narrative-{result.pk}"
            self.fields[name] = forms.CharField(
                label=narrative_label,
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
            self.initial[name] = narratives.get(result.pk, "")

    def values(self) -> dict[int, dict]:
        """What was typed per indicator, as ``services.report_save(values=...)`` takes it."""
        data = self.cleaned_data
        values = {}
        for indicator in self.indicators:
            if indicator.measure:
                continue
            typed = data.get(f"value-{indicator.pk}")
            breakdown = {
                value.pk: data[f"part-{indicator.pk}-{value.pk}"]
                for dimension in indicator.dimensions.all()
                for value in dimension.values.all()
                if data.get(f"part-{indicator.pk}-{value.pk}") is not None
            }
            values[indicator.pk] = {
                "value": None if indicator.unit == Unit.TEXT else typed,
                "text": (typed or "") if indicator.unit == Unit.TEXT else "",
                "comment": data.get(f"comment-{indicator.pk}", ""),
                "breakdown": breakdown,
            }
        return values

    def narratives(self) -> dict[int, str]:
        """The narrative typed per result, as ``services.report_save(narratives=...)`` takes it."""
        return {result.pk: self.cleaned_data.get(f"narrative-{result.pk}", "") for result in self.results}

    def add_service_error(self, error: ValidationError) -> None:
        """A service's refusal next to the inputs it names; what names no input at the top of the form."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            if key in self.fields:
                self.add_error(key, errors)
            elif key.startswith("dimension-"):
                self.dimension_errors.setdefault(key, []).extend(m for e in errors for m in e.messages)
            else:
                self.add_error(None, errors)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or bool(self.dimension_errors)

    def rows(self) -> list[ResultGroup]:
        returned = self.report.status == ReportStatus.RETURNED
        groups = {result.pk: ResultGroup(result, self[f"narrative-{result.pk}"], []) for result in self.results}
        for indicator in self.indicators:
            computed = bool(indicator.measure)
            actual = self.actuals.get(indicator.pk)
            dimensions = []
            if not computed:
                for dimension in indicator.dimensions.all():
                    parts = [self[f"part-{indicator.pk}-{value.pk}"] for value in dimension.values.all()]
                    errors = self.dimension_errors.get(f"dimension-{indicator.pk}-{dimension.code}", [])
                    dimensions.append(DimensionRow(dimension, parts, errors))
            groups[indicator.result_id].indicators.append(
                IndicatorRow(
                    indicator,
                    None if computed else self[f"value-{indicator.pk}"],
                    None if computed else self[f"comment-{indicator.pk}"],
                    dimensions,
                    actual,
                    actual.review_comment if actual is not None and returned else "",
                )
            )
        return list(groups.values())
