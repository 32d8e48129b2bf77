"""The public application form of a call: the applicant's facts and files as an officer keys them in, the call's
eligibility questions answered yes or no, and the two fields that catch robots (``services.online``)."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cooperation.forms import add_service_error
from programs.scholarships.forms.calls import ApplicationForm
from programs.scholarships.models import Call
from programs.scholarships.services.online import HONEYPOT_FIELD, form_started

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class OnlineApplicationForm(ApplicationForm):
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, call: Call, **kwargs):
        super().__init__(*args, call=call, **kwargs)
        self.fields["attachments"].help_text = _("Up to 3 PDF files (CV, transcripts, letters), 5 MB each at most.")
        self.questions = list(call.eligibility_questions or ())
        for position, question in enumerate(self.questions):
            self.fields[self.question_field(position)] = forms.ChoiceField(
                label=question,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": _("Answer yes or no.")},
            )
        # Hidden by the stylesheet (never by a style attribute) and skipped by the keyboard: only robots fill it.
        self.fields[HONEYPOT_FIELD] = forms.CharField(
            label=_("Leave this field empty"),
            required=False,
            widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
        )
        if not self.is_bound:
            self.initial["started"] = form_started()

    @staticmethod
    def question_field(position: int) -> str:
        return f"question_{position}"

    def question_fields(self) -> list:
        return [self[self.question_field(position)] for position in range(len(self.questions))]

    def online_values(self) -> dict:
        data = self.cleaned_data
        return {
            **self.application_values(),
            "answers": [data[self.question_field(position)] == "yes" for position in range(len(self.questions))],
            "honeypot": data.get(HONEYPOT_FIELD, ""),
            "started": data.get("started", ""),
        }

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict") and "eligibility_answers" in error.error_dict and self.questions:
            answers = error.error_dict.pop("eligibility_answers")
            for single in answers:
                self.add_error(self.question_field(0), single)
        add_service_error(self, error)
