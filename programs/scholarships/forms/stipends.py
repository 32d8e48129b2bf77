"""Forms of the stipend and progress report pages: the tranche list's filters, paying, cancelling, returning."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.dates import BoundedDateFormField
from programs.scholarships.models import TrancheStatus

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REASON_WIDGET = forms.Textarea(attrs={"rows": 2})


class TrancheFilterForm(forms.Form):
    """Filters of the tranche list; every field is optional and a bad value is simply ignored."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    due_before = BoundedDateFormField(label=_("Due on or before"), required=False, widget=DATE_WIDGET)
    call = forms.ModelChoiceField(label=_("Call"), queryset=None, required=False)

    def __init__(self, *args, calls, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any")), *TrancheStatus.choices]
        self.fields["call"].queryset = calls
        self.fields["call"].empty_label = _("Any")

    def filter(self, queryset):
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("due_before"):
            queryset = queryset.filter(due_on__lte=data["due_before"])
        if data.get("call") is not None:
            queryset = queryset.filter(application__call=data["call"])
        return queryset


class TranchePayForm(forms.Form):
    paid_on = BoundedDateFormField(label=_("Paid on"), widget=DATE_WIDGET, past=True)
    payment_reference = forms.CharField(label=_("Payment reference"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate


class ReasonForm(forms.Form):
    """Cancelling a tranche or returning a report: always with a reason, kept in the record's history."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=REASON_WIDGET,
        error_messages={"required": _("Give the reason; it is kept in the history.")},
    )
