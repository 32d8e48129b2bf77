"""Officer workspace forms for partners and their contacts."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.forms import ServiceModelForm, active_or_current
from cooperation.reference.models import Country
from partners.models import Contact, Organisation
from partners.services import CONTACT_FIELDS, ORGANISATION_FIELDS


class OrganisationForm(ServiceModelForm):
    class Meta:
        model = Organisation
        fields = ORGANISATION_FIELDS
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        country = self.fields["country"]
        country.queryset = active_or_current(Country.objects.order_by("name"), self.instance.country_id)
        country.empty_label = _("Choose a country")
        if self.instance.pk is None:
            # A new partner is active; the switch matters only when retiring one.
            del self.fields["is_active"]


class ContactForm(ServiceModelForm):
    class Meta:
        model = Contact
        fields = CONTACT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            del self.fields["is_active"]
