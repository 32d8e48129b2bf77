"""Programme filters, shared by the list page and the API so both answer the same question."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.autocomplete import AutocompleteFilter
from cooperation.list_filters import ReferenceChoiceFilter, search_filter, sort_filter
from cooperation.reference.codes import ActivityStatus
from cooperation.reference.models import Country, Currency, Sector
from partners.selectors import organisation_choices
from programs.models import FORM_FIELDS, CooperationForm, Objective, Programme


def _visible_partners(request):
    return organisation_choices(user=request.user if request else None)


class ProgrammeFilter(django_filters.FilterSet):
    q = search_filter("code", "title", "description")
    status = django_filters.MultipleChoiceFilter(choices=ActivityStatus.choices, label=_("Status"))
    form = django_filters.ChoiceFilter(choices=CooperationForm.choices, method="filter_form", label=_("Form"))
    objective = django_filters.ChoiceFilter(
        choices=Objective.choices, field_name="objectives__objective", distinct=True, label=_("Objective")
    )
    country = ReferenceChoiceFilter(
        queryset=Country.objects.all(),
        to_field_name="code",
        field_name="recipient_countries",
        distinct=True,
        label=_("Recipient country"),
    )
    sector = ReferenceChoiceFilter(
        queryset=Sector.objects.all(), to_field_name="code", field_name="sectors", distinct=True, label=_("DAC sector")
    )
    partner = AutocompleteFilter(
        "partners",
        queryset=_visible_partners,
        field_name="participations__organisation",
        distinct=True,
        label=_("Partner"),
    )
    currency = ReferenceChoiceFilter(
        queryset=Currency.objects.all(), to_field_name="code", field_name="budget_currency", label=_("Currency")
    )
    starts_from = django_filters.DateFilter(
        field_name="planned_start", lookup_expr="gte", label=_("Starts on or after")
    )
    starts_until = django_filters.DateFilter(
        field_name="planned_start", lookup_expr="lte", label=_("Starts on or before")
    )
    ends_from = django_filters.DateFilter(field_name="planned_end", lookup_expr="gte", label=_("Ends on or after"))
    ends_until = django_filters.DateFilter(field_name="planned_end", lookup_expr="lte", label=_("Ends on or before"))
    ordering = sort_filter(
        (
            ("code", "code"),
            ("title", "title"),
            ("status", "status"),
            ("planned_start", "planned_start"),
            ("planned_end", "planned_end"),
            ("budget_amount", "budget"),
        ),
        {
            "budget_amount": _("Budget"),
            "-code": _("Code (descending)"),
            "-title": _("Title (descending)"),
            "-status": _("Status (descending)"),
            "-planned_start": _("Planned start (descending)"),
            "-planned_end": _("Planned end (descending)"),
            "-budget": _("Budget (descending)"),
        },
    )

    class Meta:
        model = Programme
        fields = ["q", "status", "form", "objective", "country", "sector", "partner", "currency"]

    def filter_form(self, queryset, name, value):
        return queryset.filter(**{FORM_FIELDS[CooperationForm(value)]: True})
