"""The partner portal's own form: an evidence file for a report. The report itself is entered with
``programs.results.forms.ReportForm``, the same form the officers use."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Photo or PDF"),
        help_text=_("A photo (JPEG or PNG) or a PDF document."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )
