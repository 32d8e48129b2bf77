"""Forms of the officers' call pages and of recording an application received for a call.

They parse input into typed values for the services; the services decide what is allowed and say why not.
"""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db.models import Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.forms import (
    MultipleFileField,
    RowFormSet,
    ServiceModelForm,
    active_or_current,
    add_rows_service_error,
    optional_text,
    row_formset,
)
from cooperation.money import AmountFormField, quantize
from cooperation.reference.models import Country, Currency
from partners.models import Organisation
from programs.forms import OfficerChoiceField, ProgrammeChoiceField
from programs.scholarships.models import WEIGHT_DIGITS, Application, Call, Gender
from programs.scholarships.services.applications import APPLICANT_FIELDS
from programs.scholarships.services.calls import CALL_FIELDS
from programs.selectors import programme_list, responsible_officer_choices

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DECIMAL_WIDGET = forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"})
MAX_AWARDS = 32767


class CallForm(ServiceModelForm):
    """Every field of a call that ``call_create`` / ``call_update`` accept; the rubric is ``CriterionFormSet``."""

    programme = ProgrammeChoiceField(label=_("Programme"), queryset=None)
    fields_of_study = optional_text(
        _("Fields of study"), 3, help_text=_("One per line. Leave empty to accept any field.")
    )
    eligible_countries = forms.ModelMultipleChoiceField(
        label=_("Eligible nationalities"),
        queryset=Country.objects.none(),
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
        error_messages={"required": _("Choose at least one eligible nationality.")},
    )
    stipend_amount = AmountFormField(label=_("Stipend per period"), widget=DECIMAL_WIDGET)
    eligibility_questions = optional_text(
        _("Eligibility questions"),
        3,
        help_text=_(
            "One per line, answered yes or no by those who apply online; the answers are kept with the application."
        ),
    )
    responsible_officer = OfficerChoiceField(
        label=_("Responsible officer"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Not assigned yet"),
        help_text=_("Receives the reminders of stipend tranches due."),
    )

    constraint_fields = {
        "call_closes_after_opening": "closes_on",
        "call_at_least_one_award": "awards_available",
        "call_stipend_positive": "stipend_amount",
        "call_duration_positive": "duration_months",
    }

    class Meta:
        model = Call
        fields = [*CALL_FIELDS, "eligible_countries"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "opens_on": DATE_WIDGET,
            "closes_on": DATE_WIDGET,
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        call = self.instance
        editing = call.pk is not None
        technical = Q(is_technical=True) | Q(pk=call.programme_id if editing else None)
        programmes = programme_list(user=user).prefetch_related(None).filter(technical).order_by("code")
        self.fields["programme"].queryset = programmes
        self.fields["programme"].empty_label = _("Choose a technical programme")
        self.fields["host"].queryset = active_or_current(
            Organisation.objects.order_by("name"), call.host_id if editing else None
        )
        self.fields["host"].empty_label = _("Choose the host institution")
        self.fields["host"].help_text = _("A partner that takes part in the programme.")
        current_countries = [country.pk for country in self.initial.get("eligible_countries", [])]
        self.fields["eligible_countries"].queryset = Country.objects.filter(
            Q(is_active=True) | Q(pk__in=current_countries)
        ).order_by("name")
        self.fields["stipend_currency"].queryset = active_or_current(
            Currency.objects.order_by("code"), call.stipend_currency_id if editing else None
        )
        self.fields["stipend_currency"].empty_label = _("Choose a currency")
        officers = responsible_officer_choices()
        if editing and call.responsible_officer_id:
            officers = officers | get_user_model().objects.filter(pk=call.responsible_officer_id)
        self.fields["responsible_officer"].queryset = officers
        for name in ("level", "stipend_frequency"):
            self.fields[name].choices = [("", _("Choose…")), *self.fields[name].choices[1:]]
        # The column holds a small integer on every database; SQLite alone would store a larger number.
        awards = self.fields["awards_available"]
        awards.max_value = MAX_AWARDS
        awards.validators = [
            *(validator for validator in awards.validators if not isinstance(validator, MaxValueValidator)),
            MaxValueValidator(MAX_AWARDS),
        ]
        awards.widget.attrs["max"] = MAX_AWARDS
        if editing:
            self.initial["fields_of_study"] = "\n".join(call.fields_of_study)
            self.initial["eligibility_questions"] = "\n".join(call.eligibility_questions)
            self.initial["stipend_amount"] = quantize(call.stipend_amount, call.stipend_currency)

    def clean_eligibility_questions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["eligibility_questions"].splitlines() if line.strip()]

    def clean_fields_of_study(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["fields_of_study"].splitlines() if line.strip()]

    def call_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*CALL_FIELDS, "eligible_countries")}


class CriterionForm(forms.Form):
    """One line of the rubric. A row without a name is skipped."""

    name = forms.CharField(label=_("Criterion"), max_length=200, required=False)
    weight = forms.DecimalField(label=_("Weight"), **WEIGHT_DIGITS, required=False, widget=DECIMAL_WIDGET)

    def clean(self):
        cleaned = super().clean()
        name, weight = (cleaned.get("name") or "").strip(), cleaned.get("weight")
        if cleaned.get(DELETION_FIELD_NAME):
            return cleaned
        if not name and weight is not None and "name" not in self.errors:
            self.add_error("name", _("Give the criterion's name, or clear the row."))
        elif name and weight is None and "weight" not in self.errors:
            self.add_error("weight", _("Give the criterion's weight."))
        return cleaned

    def criterion(self) -> dict | None:
        data = getattr(self, "cleaned_data", None) or {}
        if self.errors or data.get(DELETION_FIELD_NAME) or not (data.get("name") or "").strip():
            return None
        return {"name": data["name"].strip(), "weight": data["weight"]}


def _plain(weight: Decimal) -> Decimal:
    """A weight as people type it: 3 or 1.5, never 3.00 (nor 1E+1)."""
    return weight.quantize(Decimal(1)) if weight == weight.to_integral() else weight.normalize()


class BaseCriterionFormSet(RowFormSet):
    def __init__(self, *args, call: Call | None = None, **kwargs):
        self.current = []
        if call is not None and call.pk:
            self.current = [{"name": c.name, "weight": _plain(c.weight)} for c in call.criteria.all()]
            kwargs.setdefault("initial", self.current)
        kwargs.setdefault("prefix", "criteria")
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        form.fields["name"].widget.attrs["placeholder"] = _("e.g. Academic merit")

    def criteria(self) -> list[dict]:
        return [row for row in (form.criterion() for form in self.forms) if row is not None]

    def rubric_changed(self) -> bool:
        """Whether the rows ask for another rubric than the call has (names, weights or order)."""
        return [(row["name"], row["weight"]) for row in self.criteria()] != [
            (row["name"], row["weight"]) for row in self.current
        ]


CriterionFormSet = row_formset(CriterionForm, BaseCriterionFormSet, extra=2, most=30)

# Keys of a service ValidationError that concern the rubric rather than the call's own fields.
RUBRIC_ERROR_KEYS = {"criteria"}


def add_call_error(form: CallForm, formset: BaseCriterionFormSet, error: ValidationError) -> None:
    """Show a service's ValidationError next to the call's field, or on the rubric."""
    add_rows_service_error(form, formset, error, RUBRIC_ERROR_KEYS)


# --- Recording an application received ----------------------------------------------------------------------


class ApplicationForm(ServiceModelForm):
    """The applicant's facts and up to three PDF files, for ``application_submit``."""

    attachments = MultipleFileField(
        label=_("Attachments"),
        accept="application/pdf,.pdf",
        required=False,
        help_text=_("Up to 3 PDF files (CV, transcripts, letters)."),
    )

    constraint_fields = {"application_once_per_email_and_call": "email"}

    class Meta:
        model = Application
        fields = list(APPLICANT_FIELDS)
        widgets = {"date_of_birth": DATE_WIDGET, "motivation": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nationality"].queryset = Country.objects.filter(is_active=True).order_by("name")
        self.fields["nationality"].empty_label = _("Choose a country")
        self.fields["nationality"].help_text = _("Eligible: %(countries)s.") % {
            "countries": ", ".join(country.name for country in call.eligible_countries.all())
        }
        self.fields["gender"].choices = [("", _("Choose…")), *Gender.choices]
        self.fields["date_of_birth"].widget.attrs["max"] = timezone.localdate().isoformat()
        if call.fields_of_study:
            self.fields["field_of_study"].help_text = _("One of: %(fields)s.") % {
                "fields": ", ".join(call.fields_of_study)
            }

    def application_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in (*APPLICANT_FIELDS, "attachments")}
