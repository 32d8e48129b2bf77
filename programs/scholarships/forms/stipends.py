"""Forms of the stipend and progress report pages: cancelling a tranche, returning a report (a tranche is paid
through the shared ``cooperation.forms.TranchePayForm``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.forms import reason_field


class ReasonForm(forms.Form):
    """Cancelling a tranche or returning a report: always with a reason, kept in the record's history."""

    reason = reason_field(_("Give the reason; it is kept in the history."))
