"""Forms of the framework page: the reporting plan, a result, an indicator, an indicator's targets per period.

They parse what was typed; the framework services decide what is allowed (a percentage over 100, money without a
currency, a revision without its reason) and their refusals come back next to the field they name."""

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from cooperation.forms import DATE_WIDGET, REASON_WIDGET, ServiceModelForm, active_or_current
from cooperation.reference.models import Currency
from partners.models import Organisation
from programs.results.forms.report import number_field
from programs.results.measures import measure_choices
from programs.results.models import Dimension, Indicator, ReportingPlan, Result, ResultLevel
from programs.results.services.framework import INDICATOR_FIELDS


def revision_reason_field() -> forms.CharField:
    """Asked once values measured against the indicator were approved; the service refuses a change without it
    and says why, next to this field."""
    return forms.CharField(
        label=_("Reason for the revision"),
        required=False,
        max_length=2000,
        widget=REASON_WIDGET,
        help_text=_("Values reported against this indicator were approved: say why it is revised."),
    )


class PlanForm(ServiceModelForm):
    class Meta:
        model = ReportingPlan
        fields = ["frequency", "due_after_days"]


class ResultForm(ServiceModelForm):
    class Meta:
        model = Result
        fields = ["level", "title", "description", "parent"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        higher = Result.objects.filter(programme=programme, level__gt=ResultLevel.OUTPUT).order_by("-level", "position")
        if self.instance.pk:
            higher = higher.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = higher
        self.fields["parent"].empty_label = _("Nothing (a top-level result)")
        self.fields["parent"].help_text = _("An output serves an outcome, an outcome an impact.")
        self.fields["level"].choices = sorted(ResultLevel.choices, reverse=True)


INDICATOR_FORM_FIELDS = [*INDICATOR_FIELDS, "dimensions"]


class IndicatorForm(ServiceModelForm):
    """An indicator's definition; ``revising`` (values measured against it were approved) adds the reason every
    change must give."""

    class Meta:
        model = Indicator
        fields = INDICATOR_FORM_FIELDS
        widgets = {
            "definition": forms.Textarea(attrs={"rows": 3}),
            "baseline_text": forms.Textarea(attrs={"rows": 2}),
            "baseline_note": forms.Textarea(attrs={"rows": 2}),
            "target_text": forms.Textarea(attrs={"rows": 2}),
            "baseline_on": DATE_WIDGET,
            "dimensions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, programme, revising: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        indicator = self.instance
        self.fields["currency"].queryset = active_or_current(Currency.objects.order_by("code"), indicator.currency_id)
        self.fields["currency"].empty_label = _("None")
        self.fields["currency"].help_text = _("For a money amount only.")
        self.fields["reporter"].queryset = Organisation.objects.filter(participations__programme=programme).distinct()
        self.fields["reporter"].empty_label = _("Nobody yet")
        self.fields["reporter"].help_text = _("A partner taking part in the programme.")
        self.fields["dimensions"].queryset = Dimension.objects.all()
        self.fields["dimensions"].required = False
        self.fields["measure"] = forms.ChoiceField(
            label=_("Computed from"),
            required=False,
            choices=[("", _("Nothing: the partner reports it")), *measure_choices()],
            help_text=_("A figure the records give for each period, instead of a value the partner types."),
        )
        for name in ("baseline_value", "target_value"):
            self.fields[name] = number_field(self.fields[name].label)
        if revising:
            self.fields["revision_reason"] = revision_reason_field()


class TargetsForm(forms.Form):
    """An indicator's target for each period of its programme: ``target-<period id>`` fields, as the service names
    them in its refusals; ``targets()`` is what ``services.targets_set`` takes."""

    def __init__(self, data=None, *, indicator, periods, revising: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        self.indicator = indicator
        self.periods = list(periods)
        current = {target.period_id: target for target in indicator.targets.all()}
        for period in self.periods:
            name = f"target-{period.pk}"
            label = f"{formats.date_format(period.starts_on)} – {formats.date_format(period.ends_on)}"
            target = current.get(period.pk)
            if indicator.is_numeric:
                self.fields[name] = number_field(label)
                self.initial[name] = target.value.normalize() if target and target.value is not None else None
            else:
                self.fields[name] = forms.CharField(label=label, required=False, max_length=2000)
                self.initial[name] = target.text if target else ""
        if revising:
            self.fields["revision_reason"] = revision_reason_field()

    def targets(self) -> dict:
        return {period: self.cleaned_data.get(f"target-{period.pk}") for period in self.periods}


class ReturnForm(forms.Form):
    """Returning a report: what the partner should correct, overall and per indicator (``comment-<indicator id>``);
    once valid, ``cleaned_data`` holds ``comment`` and ``indicator_comments`` as ``services.report_return`` takes
    them."""

    comment = forms.CharField(label=_("What to correct"), required=False, max_length=2000, widget=REASON_WIDGET)

    def __init__(self, data=None, files=None, *, indicators, **kwargs):
        super().__init__(data, files, **kwargs)
        self.indicators = [indicator for indicator in indicators if not indicator.measure]
        for indicator in self.indicators:
            self.fields[f"comment-{indicator.pk}"] = forms.CharField(
                label=indicator.title, required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean(self):
        data = super().clean()
        return {
            "comment": data.get("comment", ""),
            "indicator_comments": {
                indicator.pk: data[f"comment-{indicator.pk}"]
                for indicator in self.indicators
                if data.get(f"comment-{indicator.pk}")
            },
        }
