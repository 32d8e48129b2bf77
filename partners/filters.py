"""Partner organisation filters, shared by the list page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cooperation.reference.codes import OrganisationType
from cooperation.reference.models import Country
from partners.models import Organisation


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=OrganisationType.choices, label=_("Kind"))
    country = django_filters.ModelChoiceFilter(queryset=Country.objects.all(), to_field_name="code", label=_("Country"))
    is_active = django_filters.BooleanFilter(label=_("Active"))
    ordering = django_filters.OrderingFilter(
        fields=(("name", "name"), ("acronym", "acronym"), ("country__name", "country"), ("created_at", "created")),
        field_labels={
            "country__name": _("Country"),
            "created_at": _("Created"),
            # django-filter formats the descending labels once, at import, so they would stay in English.
            "-name": _("Name (descending)"),
            "-acronym": _("Acronym (descending)"),
            "-country": _("Country (descending)"),
            "-created": _("Created (descending)"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Organisation
        fields = ["q", "kind", "country", "is_active"]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(acronym__icontains=value) | Q(iati_identifier__icontains=value)
        )
