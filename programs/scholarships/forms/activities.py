"""Forms of the exchange-activity pages: the activity itself, the list's filters, and the report of who took part.

They only parse what was typed; the activity services decide what is allowed (dates in order, partners taking
part in the programme, no negative count, no list longer than the counts) and their errors come back next to
the field they name.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperation.forms import ServiceModelForm, active_or_current, add_service_error, optional_text
from cooperation.reference.models import Country
from partners.models import Organisation
from programs.forms import ProgrammeChoiceField
from programs.models import Programme
from programs.scholarships.models import ActivityKind, ExchangeActivity, ExchangeStatus, Gender
from programs.scholarships.services.activities import ACTIVITY_FIELDS

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COUNT_WIDGET = forms.NumberInput(attrs={"min": "0", "inputmode": "numeric", "class": "count-input"})
COUNT_FIELDS = ("women", "men", "other_gender")


def exchange_programmes(current_pk=None):
    """Programmes of technical or cultural cooperation, plus the one already chosen."""
    condition = Q(is_technical=True) | Q(is_cultural=True)
    if current_pk is not None:
        condition |= Q(pk=current_pk)
    return Programme.objects.filter(condition).order_by("code")


def _organisations(*current_pks):
    return active_or_current(Organisation.objects.order_by("name"), *current_pks)


class ActivityForm(ServiceModelForm):
    """An activity's details, for ``activity_create`` / ``activity_update``."""

    constraint_fields = {"activity_ends_after_start": "ends_on"}

    programme = ProgrammeChoiceField(label=_("Programme"), queryset=Programme.objects.none())

    class Meta:
        model = ExchangeActivity
        # What the activity's services write, and the other partners taking part.
        fields = [*ACTIVITY_FIELDS, "partners"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DATE_WIDGET,
            "ends_on": DATE_WIDGET,
            "partners": forms.SelectMultiple(attrs={"size": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        activity = self.instance
        editing = activity.pk is not None
        self.fields["programme"].queryset = exchange_programmes(activity.programme_id if editing else None)
        self.fields["programme"].empty_label = _("Choose a programme")
        self.fields["programme"].help_text = _("Only programmes of technical or cultural cooperation.")
        self.fields["kind"].choices = [("", _("Choose a kind")), *ActivityKind.choices]
        self.fields["status"].choices = ExchangeStatus.choices
        self.fields["country"].queryset = active_or_current(Country.objects.all(), activity.country_id)
        self.fields["country"].empty_label = _("Choose a country")
        self.fields["host"].queryset = _organisations(activity.host_id if editing else None)
        self.fields["host"].empty_label = _("Choose the host partner")
        self.fields["host"].help_text = _("A partner that takes part in the programme; it reports who took part.")
        current_partners = list(activity.partners.values_list("pk", flat=True)) if editing else []
        self.fields["partners"].queryset = _organisations(*current_partners)
        self.fields["partners"].required = False
        self.fields["partners"].help_text = _("Other partners taking part in the programme who are involved.")


# --- reporting who took part ---------------------------------------------------------------------------------------


class ActivityReportForm(forms.Form):
    """The counts by gender and the outcomes; the service refuses negative counts with its own message."""

    women = forms.IntegerField(label=_("Women"), required=False, widget=COUNT_WIDGET)
    men = forms.IntegerField(label=_("Men"), required=False, widget=COUNT_WIDGET)
    other_gender = forms.IntegerField(label=_("Other / not stated"), required=False, widget=COUNT_WIDGET)
    outcome_notes = optional_text(
        _("Outcomes"),
        5,
        max_length=10000,
        help_text=_("What came out of the activity: skills gained, works produced, agreements, follow-up."),
    )

    @classmethod
    def initial_for(cls, activity: ExchangeActivity) -> dict:
        return {name: getattr(activity, name) for name in (*COUNT_FIELDS, "outcome_notes")}


class ParticipantForm(forms.Form):
    """One line of the optional list of participants; a line left empty is ignored."""

    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    gender = forms.ChoiceField(label=_("Gender"), required=False)
    organisation = forms.CharField(label=_("Organisation"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, country_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gender"].choices = [("", _("Choose")), *Gender.choices]
        self.fields["country"].choices = [("", "—"), *country_choices]

    def has_content(self) -> bool:
        return any(self.cleaned_data.get(name) for name in self.fields)


class BaseParticipantFormSet(forms.BaseFormSet):
    """The list of participants; countries are read once for every line, so a long list costs no more queries."""

    def __init__(self, *args, **kwargs):
        self.countries = {country.pk: country for country in Country.objects.all()}
        self.country_choices = [(code, country.name) for code, country in self.countries.items()]
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {"country_choices": self.country_choices}

    def participants(self) -> list[dict]:
        """The lines that say something, as ``activity_report`` takes them."""
        return [
            {
                "name": form.cleaned_data.get("name", ""),
                "gender": form.cleaned_data.get("gender", ""),
                "organisation": form.cleaned_data.get("organisation", ""),
                "country": self.countries.get(form.cleaned_data.get("country")),
            }
            for form in self.forms
            if form.has_content()
        ]

    @staticmethod
    def initial_for(activity: ExchangeActivity) -> list[dict]:
        return [
            {
                "name": participant.name,
                "gender": participant.gender,
                "organisation": participant.organisation,
                "country": participant.country_id or "",
            }
            for participant in activity.participants.all()
        ]


ParticipantFormSet = forms.formset_factory(
    ParticipantForm, formset=BaseParticipantFormSet, extra=1, max_num=1000, absolute_max=1000, validate_max=True
)


def add_report_error(error: ValidationError, *, form: ActivityReportForm, formset: BaseParticipantFormSet) -> None:
    """Show ``activity_report``'s refusal where it belongs: the counts next to their field, the list's problems
    above the list, anything else at the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        if key == "participants":
            formset.non_form_errors().extend(message for single in errors for message in single.messages)
        else:
            add_service_error(form, ValidationError({key if key in form.fields else NON_FIELD_ERRORS: errors}))
