"""Forms of the stipend and progress report pages: the tranche list's filters, paying, cancelling, returning."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.dates import BoundedDateFormField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REASON_WIDGET = forms.Textarea(attrs={"rows": 2})


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
