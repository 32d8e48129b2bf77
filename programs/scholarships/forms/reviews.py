"""Forms of the review pages: the rubric, the conflict declaration, assigning reviewers, deciding on an award.

They only parse input; the review services check scores (0–10, one decimal), recusal and assignments, and
their errors come back next to the fields through ``add_service_error``.
"""

from django import forms
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from cooperation.forms import optional_text
from programs.scholarships.services import criterion_field

ASSIGN_FORM_ID = "assign-reviewers"
SCORE_WIDGET_ATTRS = {"type": "number", "min": "0", "max": "10", "step": "0.1", "inputmode": "decimal"}


class RubricForm(forms.Form):
    """One score field per criterion of the call's rubric, named as the service names its errors."""

    comments = optional_text(_("Comments"), 4, max_length=5000)

    def __init__(self, *args, criteria, scores=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        given = scores or {}
        score_fields = {}
        for criterion in self.criteria:
            score_fields[criterion_field(criterion)] = forms.CharField(
                label=_("%(criterion)s (weight %(weight)s)")
                % {"criterion": criterion.name, "weight": floatformat(criterion.weight, "-2")},
                required=False,  # the service says which criterion is missing, in its own words
                initial=given.get(criterion.pk),
                help_text=_("From 0 to 10, at most one decimal."),
                widget=forms.TextInput(attrs=SCORE_WIDGET_ATTRS),
            )
        self.fields = {**score_fields, "comments": self.fields["comments"]}

    def score_fields(self):
        return [self[criterion_field(criterion)] for criterion in self.criteria]

    def scores(self) -> dict:
        return {criterion.pk: self.cleaned_data.get(criterion_field(criterion), "") for criterion in self.criteria}


class ConflictForm(forms.Form):
    conflict_note = forms.CharField(
        label=_("Your conflict of interest"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("You will be recused: you can no longer score this application or see the applicant's file."),
        error_messages={"required": _("Say what the conflict of interest is.")},
    )


def _reviewer_label(user) -> str:
    return user.get_full_name() or user.username


class ReviewerForm(forms.Form):
    """One reviewer for one application (from the application's page)."""

    reviewer = forms.TypedChoiceField(label=_("Reviewer"), coerce=int)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [("", _("Choose a reviewer"))] + [
            (user.pk, _reviewer_label(user)) for user in candidates
        ]


class AssignReviewersForm(forms.Form):
    """For each application of a call, the reviewers to add; reviewers already assigned are not offered again."""

    def __init__(self, *args, applications, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        candidates = list(candidates)
        self.applications = list(applications)
        for application in self.applications:
            assigned = {review.reviewer_id for review in application.assigned_reviews}
            self.fields[self.field_name(application)] = forms.TypedMultipleChoiceField(
                label=_("Add reviewers to %(name)s") % {"name": application.applicant_name},
                coerce=int,
                required=False,
                choices=[(user.pk, _reviewer_label(user)) for user in candidates if user.pk not in assigned],
                # The table also holds each assignment's own "take off" form, so the selects join the page's one
                # assignment form by its id rather than by nesting.
                widget=forms.SelectMultiple(attrs={"size": min(4, max(len(candidates), 1)), "form": ASSIGN_FORM_ID}),
            )

    @staticmethod
    def field_name(application) -> str:
        return f"reviewers_{application.pk}"

    def rows(self):
        return [(application, self[self.field_name(application)]) for application in self.applications]

    def pairs(self):
        """(application, field name, reviewer id) for every reviewer chosen."""
        for application in self.applications:
            name = self.field_name(application)
            for reviewer_id in self.cleaned_data.get(name) or []:
                yield application, name, reviewer_id


class AwardRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason; the officer who proposed the award reads it.")},
    )
