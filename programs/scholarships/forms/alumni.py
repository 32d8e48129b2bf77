"""The alumni outcome's questions, the same for the alumnus's private link and the host's portal form; the
services decide what may be recorded and their errors come back next to the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.reference.models import Sector
from programs.scholarships.models import AlumniOutcome, EmploymentStatus

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def yes_no(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": _("Answer yes or no.")},
    )


class OutcomeForm(forms.Form):
    returned_home = yes_no(_("Have you returned to your country of origin?"))
    employment_status = forms.ChoiceField(
        label=_("What do you do now?"),
        choices=[("", "—"), *EmploymentStatus.choices],
        error_messages={"required": _("Choose the employment status.")},
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.filter(is_active=True).order_by("code"),
        required=False,
        empty_label=_("Not applicable"),
        help_text=_("The sector of your work or studies (OECD DAC sectors)."),
    )
    employer = forms.CharField(label=_("Employer or institution (optional)"), max_length=200, required=False)
    works_with_partners = yes_no(
        _("Do you work with the programme's partners?"),
        help_text=_("The organisations that took part in the programme, including your host institution."),
    )

    @classmethod
    def for_outcome(cls, outcome: AlumniOutcome, data=None):
        initial = {
            "returned_home": "yes" if outcome.returned_home else "no",
            "employment_status": outcome.employment_status,
            "sector": outcome.sector_id,
            "employer": outcome.employer,
            "works_with_partners": "yes" if outcome.works_with_partners else "no",
        }
        return cls(data, initial=initial)


class HostOutcomeForm(OutcomeForm):
    """The same questions, asked of the host's staff about the alumnus."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned_home"].label = _("Has the alumnus returned to their country of origin?")
        self.fields["employment_status"].label = _("Employment status")
        self.fields["sector"].help_text = _("The sector of the alumnus's work or studies (OECD DAC sectors).")
        self.fields["employer"].label = _("Employer (optional)")
        self.fields["works_with_partners"].label = _("Does the alumnus work with the programme's partners?")
