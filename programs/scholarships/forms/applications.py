"""Forms of the moves on an application's page: what each move asks before its service runs."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.forms import past_date_field, reason_field
from cooperation.risk import AcknowledgementField


class ReasonForm(forms.Form):
    reason = reason_field(_("Give the reason; it is kept with the application."))


class OptionalReasonForm(forms.Form):
    """A reason the service asks for only in some cases (e.g. passing over a better-ranked application)."""

    reason = reason_field(help_text=_("Needed when a better-ranked application is passed over."))


class ProposeAwardForm(OptionalReasonForm):
    """The host institution's risk flags, when it has any, are shown above this form and acknowledged here."""

    risk_acknowledged = AcknowledgementField()


class DeclineForm(forms.Form):
    reason = reason_field(label=_("Reason given"))


class CompleteForm(forms.Form):
    completed_on = past_date_field(_("Completed on"))


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("PDF file"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Choose a PDF file."), "invalid": _("Choose a PDF file.")},
    )
