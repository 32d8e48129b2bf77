"""The host institution's forms: the scholar's answer to an award, confirming a scholar's enrolment and reporting a
term's progress.

They parse what was typed; ``application_confirm_enrolment`` and ``progress_report_submit`` decide what is
allowed (no date in the future, none before the award or the enrolment, only an enrolled scholar reports),
and their errors come back next to the field they name.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.dates import BoundedDateFormField
from cooperation.forms import ServiceModelForm, reason_field
from programs.scholarships.models import ProgressReport

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AwardResponseForm(forms.Form):
    """The scholar's answer, as the host institution records it: which button was pressed, and a reason given."""

    ACCEPT, DECLINE = "accept", "decline"
    answer = forms.ChoiceField(
        choices=[(ACCEPT, _("The scholar accepts")), (DECLINE, _("The scholar declines"))],
        widget=forms.HiddenInput,
        error_messages={"required": _("Say whether the scholar accepts or declines.")},
    )
    reason = reason_field(label=_("Reason given (if the scholar declines)"))


class EnrolmentForm(forms.Form):
    enrolled_on = BoundedDateFormField(
        past=True,
        label=_("Date of enrolment"),
        initial=timezone.localdate,
        widget=DATE_WIDGET,
        help_text=_("The day the scholar started at your institution; the stipend is scheduled from it."),
    )


class ProgressReportForm(ServiceModelForm):
    class Meta:
        model = ProgressReport
        fields = ["term_label", "period_end", "result", "remarks"]
        widgets = {
            "term_label": forms.TextInput(attrs={"placeholder": _("e.g. Semester 1, 2026")}),
            "period_end": DATE_WIDGET,
            "remarks": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "period_end": _("The last day of the term this report covers."),
            "remarks": _("Anything the agency should know: attendance, research progress, difficulties."),
        }
