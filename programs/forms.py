from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programs.models import ProgrammeUpdate


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

    def clean_reported_on(self):
        reported_on = self.cleaned_data["reported_on"]
        if reported_on > timezone.localdate():
            raise forms.ValidationError(_("A progress note cannot be dated in the future."))
        return reported_on
