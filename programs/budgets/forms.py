"""Forms of the budget pages. They parse what was typed; the services decide what is allowed and their refusals come
back next to the field they name."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.files import PHOTO_OR_PDF
from cooperation.forms import DATE_WIDGET, REASON_WIDGET, ServiceModelForm, active_or_current
from cooperation.reference.models import Currency
from partners.models import Organisation
from programs.budgets.models import BudgetLine, Expenditure
from programs.budgets.services import EXPENDITURE_FIELDS, LINE_FIELDS

RECEIPT_ACCEPT = ",".join(extension for _type, extensions in PHOTO_OR_PDF.values() for extension in extensions)


class BudgetLineForm(ServiceModelForm):
    """A new line, or a line revised: a change of amount, currency, type or status asks for the reason."""

    class Meta:
        model = BudgetLine
        fields = list(LINE_FIELDS)
        widgets = {"period_start": DATE_WIDGET, "period_end": DATE_WIDGET}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].queryset = active_or_current(Currency.objects.all(), self.instance.currency_id)
        if self.instance.pk:
            self.fields["reason"] = forms.CharField(
                label=_("Reason for the revision"),
                required=False,
                max_length=100,
                widget=REASON_WIDGET,
                help_text=_("Needed when the amount, currency, type or status changes; kept in the line's history."),
            )


class ExpenditureForm(ServiceModelForm):
    receipt = forms.FileField(
        label=_("Receipt"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": RECEIPT_ACCEPT}),
        help_text=_("A photo (JPEG or PNG) or a PDF of the invoice or voucher."),
    )

    class Meta:
        model = Expenditure
        fields = list(EXPENDITURE_FIELDS)
        widgets = {"spent_on": DATE_WIDGET}

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget_line"].queryset = BudgetLine.objects.filter(programme=programme).select_related("currency")
        self.fields["budget_line"].empty_label = _("None: match by category and date")
        self.fields["currency"].queryset = active_or_current(Currency.objects.all(), self.instance.currency_id)
        self.fields["payee_organisation"].queryset = active_or_current(
            Organisation.objects.order_by("name"), self.instance.payee_organisation_id
        )
        self.fields["payee_organisation"].help_text = _(
            "When the payee is a partner: a missing receipt then shows among the partner's risk flags."
        )
        if self.instance.pk:
            self.fields["receipt"].help_text = _("A new file replaces the receipt kept now.")
            self.fields["receipt"].widget = forms.FileInput(attrs={"accept": RECEIPT_ACCEPT})
