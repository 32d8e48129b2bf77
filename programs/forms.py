from decimal import Decimal
from itertools import groupby

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.forms import (
    RowFormSet,
    ServiceModelForm,
    active_or_current,
    add_rows_service_error,
    optional_code_choice,
    row_formset,
)
from cooperation.money import AmountFormField, quantize
from cooperation.reference.codes import OrganisationRole
from cooperation.reference.models import Country, Currency, Sector
from partners.models import Organisation
from programs.models import CooperationForm, Objective, Programme, ProgrammeUpdate
from programs.selectors import responsible_officer_choices
from programs.services import PROGRAMME_FIELDS, ParticipantInput


class ProgrammeUpdateForm(forms.ModelForm):
    """A dated progress note; used by officers on the programme page and by partners in the portal."""

    class Meta:
        model = ProgrammeUpdate
        fields = ["reported_on", "title", "body"]
        widgets = {"reported_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate
        self.fields["body"].widget.attrs["rows"] = 5


# --- Programme create / edit ------------------------------------------------------------------------


class SectorChoiceIterator(ModelChoiceIterator):
    """DAC sectors as <optgroup>s under their category, each option labelled "code name"."""

    def __iter__(self):
        sectors = self.queryset.order_by("category_code", "code")
        for (code, name), group in groupby(sectors, key=lambda sector: (sector.category_code, sector.category_name)):
            yield f"{code} {name}", [self.choice(sector) for sector in group]

    def __len__(self):
        return self.queryset.values("category_code").distinct().count()


class SectorMultipleChoiceField(forms.ModelMultipleChoiceField):
    iterator = SectorChoiceIterator


class OfficerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.get_username()


def programme_label(programme) -> str:
    return f"{programme.code} — {programme.title}"


class ProgrammeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return programme_label(obj)


class PercentagesField(forms.CharField):
    """Each country's or sector's share of the programme, typed as "code percentage" pairs: "23231 60, 23181 40"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, dict):
            return ", ".join(f"{code} {percentage}" for code, percentage in sorted(value.items()))
        return value

    def to_python(self, value) -> dict:
        if isinstance(value, dict):
            return value
        text = super().to_python(value)
        shares = {}
        for pair in filter(None, (part.strip() for part in text.replace(";", ",").replace("\n", ",").split(","))):
            words = pair.replace(":", " ").replace("%", " ").split()
            try:
                code, percentage = words
                percentage = Decimal(percentage)
            except (ValueError, ArithmeticError):
                raise ValidationError(
                    _("Write each code and its percentage, separated by commas, e.g. “KE 60, ID 40”."),
                    code="invalid",
                ) from None
            shares[code] = str(percentage)
        return shares


DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_WIDGET = forms.NumberInput(attrs={"step": "any", "min": "0", "inputmode": "decimal"})


class ProgrammeForm(ServiceModelForm):
    """Every programme field the services accept; participants come in ``ParticipantFormSet``."""

    objectives = forms.MultipleChoiceField(
        label=_("Objectives"), choices=Objective.choices, widget=forms.CheckboxSelectMultiple, required=False
    )
    sectors = SectorMultipleChoiceField(
        label=_("DAC sectors"),
        queryset=Sector.objects.none(),
        required=False,
        help_text=_("Hold Ctrl (or Cmd) to choose more than one."),
    )
    country_percentages = PercentagesField(
        label=_("Recipient country percentages"),
        help_text=_(
            "With more than one recipient country: each country's code and its share of the programme, adding up "
            "to 100, e.g. “KE 60, ID 40”. Needed to publish the programme to IATI."
        ),
    )
    sector_percentages = PercentagesField(
        label=_("Sector percentages"),
        help_text=_(
            "With more than one sector: each sector's code and its share of the programme, adding up to 100, "
            "e.g. “23231 60, 23181 40”. Needed to publish the programme to IATI."
        ),
    )
    responsible_officer = OfficerChoiceField(
        label=_("Responsible officer"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("Not assigned yet"),
    )

    # Declared last: from here on, ``forms`` in this class body is the field, not django.forms.
    forms = forms.MultipleChoiceField(
        label=_("Forms of cooperation"),
        choices=CooperationForm.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one form of cooperation.")},
    )

    constraint_fields = {
        "programme_has_a_form": "forms",
        "programme_planned_end_after_start": "planned_end",
        "programme_actual_end_after_start": "actual_end",
        "programme_budget_not_negative": "budget_amount",
    }

    class Meta:
        model = Programme
        # What the programme's services write, and its countries and sectors.
        fields = [*PROGRAMME_FIELDS, "recipient_countries", "sectors"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "description_indonesian": forms.Textarea(attrs={"rows": 5}),
            "planned_start": DATE_WIDGET,
            "planned_end": DATE_WIDGET,
            "actual_start": DATE_WIDGET,
            "actual_end": DATE_WIDGET,
            "budget_amount": MONEY_WIDGET,
        }
        help_texts = {"recipient_countries": _("Hold Ctrl (or Cmd) to choose more than one.")}

    # The chosen forms and objectives follow the description; the other fields keep the order of ``Meta.fields``.
    field_order = ["code", "title", "title_indonesian", "description", "description_indonesian", "forms", "objectives"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        programme = self.instance
        editing = programme.pk is not None
        # The model form's initial data already holds the current countries and sectors.
        current_countries = [country.pk for country in self.initial.get("recipient_countries", [])]
        current_sectors = [sector.pk for sector in self.initial.get("sectors", [])]
        self.fields["recipient_countries"].queryset = Country.objects.filter(
            Q(is_active=True) | Q(pk__in=current_countries)
        ).order_by("name")
        self.fields["sectors"].queryset = Sector.objects.filter(Q(is_active=True) | Q(pk__in=current_sectors))
        self.fields["budget_currency"].queryset = active_or_current(
            Currency.objects.all(), programme.budget_currency_id if editing else None
        )
        self.fields["budget_currency"].empty_label = _("Choose a currency")
        officers = responsible_officer_choices()
        if editing and programme.responsible_officer_id:
            officers = officers | get_user_model().objects.filter(pk=programme.responsible_officer_id)
        self.fields["responsible_officer"].queryset = officers
        if editing:
            self.initial.setdefault("forms", programme.forms)
            self.initial.setdefault("objectives", [o.objective for o in programme.objectives.all()])
            self.initial["budget_amount"] = quantize(programme.budget_amount, programme.budget_currency)


class ParticipantForm(forms.Form):
    """One partner of the programme. A row without a partner is skipped."""

    organisation = forms.ModelChoiceField(
        label=_("Partner"), queryset=Organisation.objects.none(), required=False, empty_label=_("Choose a partner")
    )
    role = optional_code_choice(_("Role"), _("Choose a role"), OrganisationRole.choices)
    committed_amount = AmountFormField(
        label=_("Committed amount"),
        required=False,
        min_value=0,
        widget=MONEY_WIDGET,
        help_text=_("In the budget currency; optional."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get(DELETION_FIELD_NAME):
            return cleaned
        organisation, role = cleaned.get("organisation"), cleaned.get("role")
        if organisation is None and "organisation" not in self.errors:
            if role is not None or cleaned.get("committed_amount") is not None:
                self.add_error("organisation", _("Choose the partner, or clear the row."))
        elif organisation is not None and role is None and "role" not in self.errors:
            self.add_error("role", _("Choose the partner's role in the programme."))
        return cleaned

    def participant(self) -> ParticipantInput | None:
        data = getattr(self, "cleaned_data", None) or {}
        if data.get(DELETION_FIELD_NAME) or data.get("organisation") is None:
            return None
        return ParticipantInput(data["organisation"], data["role"], data.get("committed_amount"))


class BaseParticipantFormSet(RowFormSet):
    """The programme's partners; one query lists the organisations for every row."""

    def __init__(self, *args, programme: Programme | None = None, **kwargs):
        current = []
        if programme is not None and programme.pk:
            participations = list(programme.participations.all())
            current = [p.organisation_id for p in participations]
            kwargs.setdefault("initial", [_participant_initial(p, programme) for p in participations])
        self.organisations = Organisation.objects.filter(Q(is_active=True) | Q(pk__in=current)).only(
            "id", "name", "acronym"
        )
        self._organisation_choices = None
        kwargs.setdefault("prefix", "participants")
        super().__init__(*args, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields["organisation"]
        field.queryset = self.organisations
        if self._organisation_choices is None:
            # iter() first: list() on the choices would also run a COUNT query to size itself.
            self._organisation_choices = list(iter(field.choices))
        field.choices = self._organisation_choices

    def participants(self) -> list[ParticipantInput]:
        return [row for row in (form.participant() for form in self.forms) if row is not None]


ParticipantFormSet = row_formset(ParticipantForm, BaseParticipantFormSet, extra=3)

# Keys of a service ValidationError that concern the participants rather than the programme's own fields.
PARTICIPANT_ERROR_KEYS = {"participants", "organisation", "role", "committed_amount"}


def _participant_initial(participation, programme) -> dict:
    amount = participation.committed_amount
    return {
        "organisation": participation.organisation_id,
        "role": participation.role,
        "committed_amount": None if amount is None else quantize(amount, programme.budget_currency),
    }


def add_programme_error(form: ProgrammeForm, formset: BaseParticipantFormSet, error: ValidationError) -> None:
    """Show a service's ValidationError next to the programme field, or on the participants section."""
    add_rows_service_error(form, formset, error, PARTICIPANT_ERROR_KEYS)
