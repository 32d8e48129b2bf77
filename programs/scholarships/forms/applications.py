"""Forms of the moves on an application's page: what each move asks before its service runs."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.dates import BoundedDateFormField

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SHORT_TEXT = forms.Textarea(attrs={"rows": 2})


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=SHORT_TEXT,
        error_messages={"required": _("Give the reason; it is kept with the application.")},
    )


class OptionalReasonForm(forms.Form):
    """A reason the service asks for only in some cases (e.g. passing over a better-ranked application)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        required=False,
        widget=SHORT_TEXT,
        help_text=_("Needed when a better-ranked application is passed over."),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason given"), max_length=2000, required=False, widget=SHORT_TEXT)


class CompleteForm(forms.Form):
    completed_on = BoundedDateFormField(label=_("Completed on"), widget=DATE_WIDGET, past=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["completed_on"].initial = timezone.localdate


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("PDF file"),
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={"required": _("Choose a PDF file."), "invalid": _("Choose a PDF file.")},
    )
