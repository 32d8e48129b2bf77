import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.date_spans import DateSpan
from cooperation.dates import BoundedDateFormField
from cooperation.forms import DATE_WIDGET, optional_code_choice
from cooperation.reference.codes import ActivityStatus
from programs.models import CooperationForm, Objective
from programs.reporting.scope import DashboardScope, PeriodPreset, dashboard_scope, preset_span


class ProgrammeCodeField(forms.ModelChoiceField):
    """A programme picked by its code, typed: a list of every programme would not fit on a phone."""

    def to_python(self, value):
        return super().to_python(value.strip().upper() if isinstance(value, str) else value)


class DashboardFilterForm(forms.Form):
    """Narrow every dashboard section; the names the programme filter shares (status, currency, country, form,
    objective) mean the same there, so the programme export keeps them."""

    status = optional_code_choice(_("Status"), _("All statuses"), ActivityStatus.choices)
    currency = forms.ModelChoiceField(
        label=_("Currency"), queryset=None, to_field_name="code", empty_label=_("All currencies"), required=False
    )
    country = forms.ModelChoiceField(
        label=_("Recipient country"),
        queryset=None,
        to_field_name="code",
        empty_label=_("All countries"),
        required=False,
    )
    form = forms.ChoiceField(
        label=_("Form of cooperation"), choices=[("", _("All forms")), *CooperationForm.choices], required=False
    )
    objective = forms.ChoiceField(label=_("Goal"), choices=[("", _("All goals")), *Objective.choices], required=False)
    programme = ProgrammeCodeField(
        label=_("Programme code"),
        queryset=None,
        to_field_name="code",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "KSM-2026-001", "autocomplete": "off", "maxlength": 40}),
        error_messages={"invalid_choice": _("No programme you can see has this code.")},
    )
    period = forms.ChoiceField(label=_("Period"), choices=[("", _("Any time")), *PeriodPreset.choices], required=False)
    period_start = BoundedDateFormField(label=_("From"), required=False, widget=DATE_WIDGET)
    period_end = BoundedDateFormField(label=_("To"), required=False, widget=DATE_WIDGET)

    def __init__(self, *args, currencies, countries, programmes, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["currency"].queryset = currencies
        self.fields["currency"].label_from_instance = lambda currency: currency.code
        self.fields["country"].queryset = countries
        self.fields["programme"].queryset = programmes

    def clean(self):
        cleaned = super().clean()
        preset, start, end = cleaned.get("period"), cleaned.get("period_start"), cleaned.get("period_end")
        has_dates = start is not None or end is not None
        if preset and preset != PeriodPreset.CUSTOM and has_dates:
            self.add_error("period", _("Choose “Dates below” to give your own dates, or leave the dates empty."))
        elif preset == PeriodPreset.CUSTOM and not has_dates and not self.errors:
            self.add_error("period_start", _("Give the first day, the last day or both."))
        if start is not None and end is not None and end < start:
            self.add_error("period_end", _("The last day cannot be before the first day."))
        return cleaned

    def span(self) -> DateSpan | None:
        """The period the valid form asks for, or None for any time."""
        preset = self.cleaned_data.get("period")
        if preset and preset != PeriodPreset.CUSTOM:
            return preset_span(preset, self.today)
        start, end = self.cleaned_data.get("period_start"), self.cleaned_data.get("period_end")
        return DateSpan(start, end) if start is not None or end is not None else None

    def scope(self, user) -> DashboardScope:
        """The scope the form asks for; every programme the user may see, any currency and any time while it is
        not bound or not valid (its errors are shown next to the fields)."""
        if not (self.is_bound and self.is_valid()):
            return dashboard_scope(user=user)
        data = self.cleaned_data
        return dashboard_scope(
            user=user,
            status=data["status"],
            currency=data["currency"],
            country=data["country"],
            form=data["form"] or None,
            objective=data["objective"] or None,
            programme=data["programme"],
            period=self.span(),
        )
