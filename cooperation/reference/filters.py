"""Exchange-rate filters, shared by the rates page and the API."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from cooperation.list_filters import ReferenceChoiceFilter
from cooperation.reference.models import Currency, ExchangeRate


@extend_schema_field(OpenApiTypes.STR)
class CurrencyCodeFilter(ReferenceChoiceFilter):
    """A currency given by its ISO 4217 code, matched by the filter's own method."""


class ExchangeRateFilter(django_filters.FilterSet):
    currency = CurrencyCodeFilter(
        queryset=Currency.objects.all(),
        to_field_name="code",
        method="filter_currency",
        label=_("Currency"),
        help_text=_("Rates from or to this currency (ISO 4217 code)."),
    )
    from_currency = ReferenceChoiceFilter(
        queryset=Currency.objects.all(), to_field_name="code", label=_("From currency")
    )
    to_currency = ReferenceChoiceFilter(queryset=Currency.objects.all(), to_field_name="code", label=_("To currency"))
    date_from = django_filters.DateFilter(field_name="on", lookup_expr="gte", label=_("Dated on or after"))
    date_until = django_filters.DateFilter(field_name="on", lookup_expr="lte", label=_("Dated on or before"))

    class Meta:
        model = ExchangeRate
        fields = ["currency", "from_currency", "to_currency", "date_from", "date_until"]

    def filter_currency(self, queryset, name, value):
        return queryset.filter(Q(from_currency=value) | Q(to_currency=value))
