"""Forms of the exchange-rate pages: they parse what an officer typed; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.dates import BoundedDateFormField
from cooperation.forms import DATE_WIDGET, ServiceModelForm
from cooperation.reference.models import Currency, ExchangeRate
from cooperation.reference.rate_import import MAX_BYTES
from cooperation.reference.services import CORRECTABLE_FIELDS, RATE_FIELDS


def _currency_choice(label) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(queryset=Currency.objects.filter(is_active=True), to_field_name="code", label=label)


class ExchangeRateForm(ServiceModelForm):
    on = BoundedDateFormField(label=_("Date"), widget=DATE_WIDGET, past=True)
    from_currency = _currency_choice(_("From currency"))
    to_currency = _currency_choice(_("To currency"))
    constraint_fields = {"exchange_rate_two_currencies": "to_currency", "exchange_rate_positive": "rate"}

    class Meta:
        model = ExchangeRate
        fields = RATE_FIELDS
        help_texts = {"rate": _("How many units of the second currency one unit of the first is worth.")}


class ExchangeRateCorrectionForm(ServiceModelForm):
    class Meta:
        model = ExchangeRate
        fields = CORRECTABLE_FIELDS


class RateFileForm(forms.Form):
    """The CSV file to check; once checked, its text comes back in ``content`` to be saved."""

    file = forms.FileField(
        label=_("CSV file"),
        required=False,
        help_text=_(
            "A header line date,from,to,rate,source, then one rate a line: 2026-03-04,USD,IDR,16250,Bank Indonesia"
        ),
    )
    content = forms.CharField(required=False, widget=forms.Textarea(attrs={"hidden": True}), max_length=MAX_BYTES)
    file_name = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise forms.ValidationError(
                    _("The file is larger than %(size)d kB.") % {"size": MAX_BYTES // 1024}, code="too_large"
                )
            cleaned["content"] = upload.read()
            cleaned["file_name"] = upload.name[:200]
        elif not cleaned.get("content"):
            raise forms.ValidationError(_("Choose a CSV file."), code="required")
        return cleaned
