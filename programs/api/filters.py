"""Filters of the API-only lists (participations, progress notes); programmes share programs.filters."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from cooperation.reference.codes import OrganisationRole
from programs.models import Participation, ProgrammeUpdate


class ParticipationFilter(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id", label=_("Programme"))
    organisation = IdFilter(field_name="organisation_id", label=_("Partner"))
    role = django_filters.ChoiceFilter(choices=OrganisationRole.choices, label=_("Role"))

    class Meta:
        model = Participation
        fields = ["programme", "organisation", "role"]


class ProgrammeUpdateFilter(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id", label=_("Programme"))
    reported_from = django_filters.DateFilter(field_name="reported_on", lookup_expr="gte", label=_("Dated on or after"))
    reported_until = django_filters.DateFilter(
        field_name="reported_on", lookup_expr="lte", label=_("Dated on or before")
    )

    class Meta:
        model = ProgrammeUpdate
        fields = ["programme"]
