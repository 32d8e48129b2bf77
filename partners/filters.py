"""Partner organisation filters, shared by the list page and the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.list_filters import ReferenceChoiceFilter, search_filter, sort_filter
from cooperation.reference.codes import OrganisationType
from cooperation.reference.models import Country
from partners.models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    q = search_filter("name", "acronym", "iati_identifier")
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationType.choices, label=_("Kind"))
    country = ReferenceChoiceFilter(queryset=Country.objects.all(), to_field_name="code", label=_("Country"))
    is_active = django_filters.BooleanFilter(label=_("Active"))
    ordering = sort_filter(
        (("name", "name"), ("acronym", "acronym"), ("country__name", "country")),
        {
            "country__name": _("Country"),
            "-name": _("Name (descending)"),
            "-acronym": _("Acronym (descending)"),
            "-country": _("Country (descending)"),
        },
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "country", "is_active"]
