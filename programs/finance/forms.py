"""Forms of the officer's finance pages: they parse input into typed values for the finance services."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.dates import BoundedDateFormField
from cooperation.forms import ServiceModelForm, active_or_current, past_date_field, reason_field
from cooperation.forms import TranchePayForm as TranchePayForm  # a grant tranche is paid through it (page, admin)
from cooperation.money import quantize
from cooperation.reference.models import Country, Currency
from cooperation.risk import AcknowledgementField, RiskFlag, partner_risk_flags
from cooperation.templatetags.kerjasama import money
from partners.models import Organisation
from programs.finance.models import (
    AmortizationMethod,
    ArrearsChoice,
    DayCountConvention,
    Frequency,
    Grant,
    Loan,
    Repayment,
)
from programs.finance.services.terms import TERM_FIELDS
from programs.forms import ProgrammeChoiceField
from programs.models import Programme

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_WIDGET = forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"})
RATE_WIDGET = forms.NumberInput(attrs={"step": "any", "min": "0", "max": "100", "inputmode": "decimal"})


def financial_programmes(current_pk=None):
    """Programmes that have the financial form of cooperation, plus the one already chosen."""
    condition = Q(is_financial=True)
    if current_pk is not None:
        condition |= Q(pk=current_pk)
    return Programme.objects.filter(condition).order_by("code")


def _organisations(*current_pks):
    return active_or_current(Organisation.objects.order_by("name"), *current_pks)


def chosen_partner_flags(form, field_name: str) -> list[RiskFlag]:
    """The risk flags of the partner chosen in a create form, shown above its acknowledgement box: the one posted,
    or the one a link preselected (``?borrower=<id>`` from a partner's page); none until one is chosen."""
    if "risk_acknowledged" not in form.fields:
        return []
    if form.is_bound:
        form.is_valid()
        return partner_risk_flags(getattr(form, "cleaned_data", {}).get(field_name))
    chosen = form.initial.get(field_name)
    if not chosen:
        return []
    return partner_risk_flags(form.fields[field_name].queryset.filter(pk=chosen).first())


def preselected(request, *names: str) -> dict:
    """Initial values a link gives a new record's form (``?programme=3&borrower=7``): ids only (whole numbers of
    at most nine digits, so no database is asked about a number it cannot hold)."""
    return {name: value for name in names if (value := request.GET.get(name, "")).isdigit() and len(value) <= 9}


# --- Loans ------------------------------------------------------------------------------------------

# The fields the repayment schedule depends on: enough of them, valid, and the preview can be drawn.
PREVIEW_FIELDS = (*TERM_FIELDS, "discount_rate")


class LoanForm(ServiceModelForm):
    """A loan's terms, for ``loan_create`` / ``loan_update`` and for the schedule preview."""

    PREVIEW_FIELDS = PREVIEW_FIELDS

    constraint_fields = {
        "loan_principal_positive": "principal",
        "loan_rate_is_a_percentage": "annual_rate",
        "loan_has_installments": "installments",
        "loan_grace_leaves_repayments": "grace_periods",
        "loan_first_repayment_after_disbursement": "first_repayment_date",
        "loan_frequency_known": "frequency",
        "loan_day_count_known": "day_count",
    }

    programme = ProgrammeChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    risk_acknowledged = AcknowledgementField()  # on a new loan only: the borrower's flags are asked on creation

    class Meta:
        model = Loan
        fields = ["programme", "borrower", "lender", "purpose", *PREVIEW_FIELDS]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "principal": MONEY_WIDGET,
            "annual_rate": RATE_WIDGET,
            "discount_rate": RATE_WIDGET,
            "installments": forms.NumberInput(attrs={"min": "1", "max": "600"}),
            "grace_periods": forms.NumberInput(attrs={"min": "0"}),
            "disbursement_date": DATE_WIDGET,
            "first_repayment_date": DATE_WIDGET,
        }
        help_texts = {
            "programme": _("Only programmes with the financial form of cooperation."),
            "annual_rate": _("0 for an interest-free loan."),
            # xgettext:no-python-format
            "discount_rate": _("Used for the grant element reported to the OECD DAC; 5% unless agreed otherwise."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        loan = self.instance
        editing = loan.pk is not None
        self.fields["programme"].queryset = financial_programmes(loan.programme_id if editing else None)
        self.fields["programme"].empty_label = _("Choose a programme")
        self.fields["programme"].help_text = self._meta.help_texts["programme"]
        self.fields["borrower"].queryset = _organisations(loan.borrower_id if editing else None)
        self.fields["borrower"].empty_label = _("Choose the borrower")
        self.fields["borrower"].help_text = _("A partner that takes part in the programme.")
        self.fields["lender"].queryset = _organisations(loan.lender_id if editing else None)
        self.fields["lender"].empty_label = _("Our organisation")
        self.fields["currency"].queryset = active_or_current(
            Currency.objects.all(), loan.currency_id if editing else None
        )
        self.fields["currency"].empty_label = _("Choose a currency")
        self.fields["frequency"].choices = [("", _("Choose a frequency")), *Frequency.choices]
        self.fields["amortization"].choices = [("", _("Choose a method")), *AmortizationMethod.choices]
        # Full periods stay on the loans that already count them; a new loan chooses a day count.
        keeps_full_periods = editing and loan.day_count == DayCountConvention.FULL_PERIODS
        self.fields["day_count"].choices = [
            (value, label)
            for value, label in DayCountConvention.choices
            if value != DayCountConvention.FULL_PERIODS or keeps_full_periods
        ]
        self.fields["day_count"].required = False  # not sent: the loan's own, or 30E/360 for a new one
        if editing:
            del self.fields["risk_acknowledged"]
            self.initial["principal"] = quantize(loan.principal, loan.currency)
            self.initial["annual_rate"] = loan.annual_rate.normalize()
            self.initial["discount_rate"] = loan.discount_rate.normalize()
        else:
            self.initial.setdefault("discount_rate", Decimal("5"))
            self.initial.setdefault("grace_periods", 0)

    def clean_day_count(self):
        chosen = self.cleaned_data.get("day_count")
        return chosen or self.instance.day_count or DayCountConvention.THIRTY_E_360

    def preview_terms(self) -> dict | None:
        """The schedule terms from valid input, or None when one of them is missing or invalid."""
        data = getattr(self, "cleaned_data", {})
        if any(name in self.errors or data.get(name) is None for name in self.PREVIEW_FIELDS):
            return None
        return {name: data[name] for name in self.PREVIEW_FIELDS}

    def keep_only_preview_errors(self) -> None:
        """While only previewing, a missing programme or borrower is not worth an error yet."""
        for name in list(self.errors):
            if name not in self.PREVIEW_FIELDS:
                del self.errors[name]

    def preview_errors(self) -> list[tuple[str, list[str]]]:
        """(label, messages) of the schedule fields that stop the preview."""
        found = []
        for name in self.PREVIEW_FIELDS:
            if name in self.errors:
                found.append((str(self.fields[name].label), list(self.errors[name])))
            elif getattr(self, "cleaned_data", {}).get(name) is None:
                found.append((str(self.fields[name].label), [str(_("Fill this in to see the schedule."))]))
        return found


# --- Loan transitions and repayments -------------------------------------------------------------


class ReasonForm(forms.Form):
    """Rejecting, cancelling or writing off a loan, rejecting or reversing a repayment: always with a reason."""

    reason = reason_field(_("Give the reason; it is kept in the loan's history."))


class DisburseForm(forms.Form):
    disbursed_on = past_date_field(_("Disbursed on"))


class RepaymentForm(ServiceModelForm):
    """An officer's record of money received; the currency starts as the loan's."""

    class Meta:
        model = Repayment
        fields = ["paid_on", "amount", "currency", "reference"]
        widgets = {"paid_on": DATE_WIDGET, "amount": MONEY_WIDGET}

    def __init__(self, *args, loan: Loan, still_owed: Decimal | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = timezone.localdate
        self.fields["currency"].queryset = active_or_current(Currency.objects.all(), loan.currency_id)
        self.fields["currency"].initial = loan.currency_id
        self.fields["currency"].empty_label = None
        self.fields["reference"].help_text = _("The bank's transaction reference, if any.")
        if still_owed is not None:
            self.fields["amount"].help_text = _("Still owed: %(amount)s") % {"amount": money(still_owed, loan.currency)}


# --- Grants and tranches -----------------------------------------------------------------------------


class GrantForm(ServiceModelForm):
    """A grant or remittance and how its amount is split into tranches."""

    programme = ProgrammeChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    tranche_count = forms.IntegerField(
        label=_("Number of tranches"),
        min_value=1,
        max_value=120,
        initial=1,
        help_text=_("The amount is split evenly; leftover cents go to the first tranches."),
    )
    first_tranche_on = BoundedDateFormField(label=_("First tranche planned on"), widget=DATE_WIDGET)
    months_between = forms.IntegerField(label=_("Months between tranches"), min_value=1, max_value=24, initial=3)
    risk_acknowledged = AcknowledgementField()

    class Meta:
        model = Grant
        fields = ["programme", "recipient", "kind", "purpose", "amount", "currency"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3}), "amount": MONEY_WIDGET}

    field_order = [
        "programme",
        "recipient",
        "kind",
        "purpose",
        "amount",
        "currency",
        "tranche_count",
        "first_tranche_on",
        "months_between",
        "risk_acknowledged",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = financial_programmes()
        self.fields["programme"].empty_label = _("Choose a programme")
        self.fields["recipient"].queryset = _organisations()
        self.fields["recipient"].empty_label = _("Choose the recipient")
        self.fields["currency"].queryset = Currency.objects.filter(is_active=True)
        self.fields["currency"].empty_label = _("Choose a currency")


# --- Restructuring an active loan ---------------------------------------------------------------


class RestructuringForm(forms.Form):
    """New terms for an active loan, with the reason; the officer previews them before proposing."""

    annual_rate = forms.DecimalField(label=_("New annual interest rate (%)"), widget=RATE_WIDGET)
    installments = forms.IntegerField(
        label=_("Remaining installments"),
        min_value=1,
        max_value=600,
        help_text=_("How many installments the new schedule has, at the loan's repayment frequency."),
    )
    grace_periods = forms.IntegerField(
        label=_("Interest-only installments"),
        min_value=0,
        initial=0,
        help_text=_("Installments at the start of the new schedule that pay interest only."),
    )
    first_due_date = BoundedDateFormField(label=_("First new due date"), widget=DATE_WIDGET)
    arrears = forms.ChoiceField(label=_("Overdue interest"), choices=ArrearsChoice.choices)
    reason = reason_field(_("Why the loan is restructured; it is kept with the restructuring."))


class MoratoriumForm(forms.Form):
    """A crisis moratorium: who it covers (country and area), how long, and what happens to the interest."""

    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("e.g. Flood in Central Sulawesi"))
    country = forms.ModelChoiceField(label=_("Recipient country"), queryset=Country.objects.order_by("name"))
    area = forms.CharField(
        label=_("Administrative area"),
        max_length=100,
        help_text=_("The programme's area where it names one, else the borrower's; case does not matter."),
    )
    starts_on = BoundedDateFormField(label=_("First day without payments"), widget=DATE_WIDGET)
    months = forms.IntegerField(label=_("Months without payments"), min_value=1, max_value=36)
    arrears = forms.ChoiceField(label=_("Interest"), choices=ArrearsChoice.choices)
    reason = reason_field(_("Why the moratorium is granted; it is kept with it."))
