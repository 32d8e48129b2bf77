from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.dates import BoundedDateFormField
from cooperation.forms import reason_field
from programs.documents.models import DocumentKind, Visibility


class DocumentForm(forms.Form):
    """What a document says about itself: changed on its page after the upload."""

    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    dated = BoundedDateFormField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    visibility = forms.ChoiceField(
        label=_("Visible to"),
        choices=Visibility.choices,
        help_text=_("Partner users see a document only when it is visible to the partner."),
    )


class VersionForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("A PDF document or a photo (JPEG or PNG)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class UploadForm(DocumentForm, VersionForm):
    field_order = ["title", "kind", "dated", "visibility", "file", "note"]


class WithdrawForm(forms.Form):
    reason = reason_field(_("Say why the document is withdrawn."), label=_("Why is it withdrawn?"))
