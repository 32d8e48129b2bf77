from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.forms import optional_code_choice
from cooperation.reference.codes import ActivityStatus


class DashboardFilterForm(forms.Form):
    """Narrow every dashboard figure to one status or one currency; the names match the programme filter."""

    status = optional_code_choice(_("Status"), _("All statuses"), ActivityStatus.choices)
    currency = forms.ModelChoiceField(
        label=_("Currency"),
        queryset=None,
        to_field_name="code",
        empty_label=_("All currencies"),
        required=False,
    )

    def __init__(self, *args, currencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].queryset = currencies
        self.fields["currency"].label_from_instance = lambda currency: currency.code
