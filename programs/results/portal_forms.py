"""The partner's report form, built from the indicators the partner reports: a value (or text) per indicator, one
number per value of each dimension it is broken down by, a comment, and a narrative per result. It only parses
what was typed; ``services.report_save`` checks it, and its errors come back next to their fields."""

from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from programs.results.models import ReportStatus, Unit
from programs.results.services.reports import shown

COMMENT_WIDGET = {"rows": 2}
NARRATIVE_WIDGET = {"rows": 3}


def number_text(value: Decimal | None) -> str:
    """A stored value as the partner would type it ("90", "12.5"), or an empty string."""
    return "" if value is None else shown(value)


def _number_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        localize=True,
        max_digits=18,
        decimal_places=4,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 10}),
    )


def _value_field(indicator) -> forms.Field:
    if indicator.unit == Unit.TEXT:
        return forms.CharField(
            label=_("Value"), required=False, max_length=5000, widget=forms.Textarea(attrs=NARRATIVE_WIDGET)
        )
    if indicator.unit == Unit.YES_NO:
        return forms.TypedChoiceField(
            label=_("Value"),
            required=False,
            choices=[("", "—"), ("1", _("Yes")), ("0", _("No"))],
            coerce=Decimal,
            empty_value=None,
        )
    label = _("Value")
    if indicator.unit == Unit.PERCENTAGE:
        label = _("Value (%)")
    elif indicator.unit == Unit.MONEY and indicator.currency_id:
        label = _("Value (%(currency)s)") % {"currency": indicator.currency.code}
    return _number_field(label)


@dataclass
class DimensionGroup:
    dimension: object
    parts: list
    errors: list = field(default_factory=list)


@dataclass
class IndicatorRow:
    indicator: object
    target: str
    value: object = None  # the bound field, None for a computed indicator
    comment: object = None
    dimensions: list[DimensionGroup] = field(default_factory=list)
    review_comment: str = ""
    computed_value: str = ""


@dataclass
class ResultSection:
    result: object
    narrative: object
    rows: list[IndicatorRow] = field(default_factory=list)


class PortalReportForm(forms.Form):
    """``PortalReportForm(report, indicators, data=None)``: ``indicators`` as ``services.reported_indicators`` gives
    them (their dimensions and values prefetched), each optionally with ``period_targets``."""

    def __init__(self, report, indicators, data=None, *, actuals=None, narratives=None):
        super().__init__(data=data)
        self.report = report
        self.indicators = list(indicators)
        self.actuals = actuals or {}
        self.dimension_errors: dict[str, list[str]] = {}
        self.results = list({indicator.result_id: indicator.result for indicator in self.indicators}.values())
        for indicator in self.indicators:
            if not indicator.measure:
                self._add_indicator(indicator, self.actuals.get(indicator.pk))
        for result in self.results:
            name = f"narrative-{result.pk}"
            self.fields[name] = forms.CharField(
                label=_("What happened for this result"),
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs=NARRATIVE_WIDGET),
            )
            self.initial[name] = (narratives or {}).get(result.pk, "")

    def _add_indicator(self, indicator, actual) -> None:
        pk = indicator.pk
        self.fields[f"value-{pk}"] = _value_field(indicator)
        if actual is not None:
            if indicator.unit == Unit.TEXT:
                self.initial[f"value-{pk}"] = actual.text
            elif indicator.unit == Unit.YES_NO and actual.value is not None:
                self.initial[f"value-{pk}"] = str(int(actual.value))
            else:
                self.initial[f"value-{pk}"] = number_text(actual.value)
            self.initial[f"comment-{pk}"] = actual.comment
        parts = {part.dimension_value_id: part.value for part in actual.breakdown.all()} if actual else {}
        for dimension in indicator.dimensions.all():
            for value in dimension.values.all():
                name = f"part-{pk}-{value.pk}"
                self.fields[name] = _number_field(value.name)
                self.initial[name] = number_text(parts.get(value.pk))
        self.fields[f"comment-{pk}"] = forms.CharField(
            label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs=COMMENT_WIDGET)
        )

    # --- what the service takes -------------------------------------------------------------------------------

    def values(self) -> dict[int, dict]:
        data, values = self.cleaned_data, {}
        for indicator in self.indicators:
            if indicator.measure:
                continue
            pk = indicator.pk
            given = data.get(f"value-{pk}")
            breakdown = {
                value.pk: data[f"part-{pk}-{value.pk}"]
                for dimension in indicator.dimensions.all()
                for value in dimension.values.all()
                if data.get(f"part-{pk}-{value.pk}") is not None
            }
            values[pk] = {
                "value": None if indicator.unit == Unit.TEXT else given,
                "text": (given or "") if indicator.unit == Unit.TEXT else "",
                "comment": data.get(f"comment-{pk}", ""),
                "breakdown": breakdown,
            }
        return values

    def narratives(self) -> dict[int, str]:
        return {result.pk: self.cleaned_data.get(f"narrative-{result.pk}", "") for result in self.results}

    def add_service_error(self, error: ValidationError) -> None:
        """A service's errors next to their fields; a dimension's sum beside that dimension's values."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for key, errors in error.error_dict.items():
            if key.startswith("dimension-"):
                self.dimension_errors.setdefault(key, []).extend(m for e in errors for m in e.messages)
            elif key in self.fields:
                self.add_error(key, errors)
            else:
                self.add_error(None, errors)

    @property
    def has_problems(self) -> bool:
        return bool(self.is_bound and (self.errors or self.dimension_errors))

    # --- what the page shows ----------------------------------------------------------------------------------

    def sections(self) -> list[ResultSection]:
        """The form laid out as the page shows it: each result, its narrative and its indicators."""
        returned = self.report.status == ReportStatus.RETURNED
        sections = {result.pk: ResultSection(result, self[f"narrative-{result.pk}"]) for result in self.results}
        for indicator in self.indicators:
            actual = self.actuals.get(indicator.pk)
            row = IndicatorRow(
                indicator,
                target=_target_text(indicator),
                review_comment=actual.review_comment if actual is not None and returned else "",
            )
            if indicator.measure:
                row.computed_value = number_text(actual.value) if actual is not None else ""
            else:
                row.value, row.comment = self[f"value-{indicator.pk}"], self[f"comment-{indicator.pk}"]
                row.dimensions = [
                    DimensionGroup(
                        dimension,
                        [self[f"part-{indicator.pk}-{value.pk}"] for value in dimension.values.all()],
                        self.dimension_errors.get(f"dimension-{indicator.pk}-{dimension.code}", []),
                    )
                    for dimension in indicator.dimensions.all()
                ]
            sections[indicator.result_id].rows.append(row)
        return list(sections.values())


def _target_text(indicator) -> str:
    for target in getattr(indicator, "period_targets", ()):
        if target.value is not None:
            return number_text(target.value)
        return target.text
    return ""


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or PDF"),
        help_text=_("A photo (JPEG or PNG) or a PDF document."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
