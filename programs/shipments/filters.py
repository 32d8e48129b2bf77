"""Shipment filters, shared by the officers' list page and the API so both answer the same question.

Rows come from ``selectors.shipment_rows`` or ``selectors.shipment_list`` (already scoped to the user); the filters
only narrow them, and ask for delays and discrepancies in SQL themselves, so a list pages its rows before it
computes their figures.
"""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.autocomplete import AutocompleteFilter
from cooperation.list_filters import ReferenceChoiceFilter, search_filter, sort_filter
from cooperation.reference.models import Country
from partners.selectors import organisation_choices
from programs.selectors import programme_choices
from programs.shipments.models import Shipment, ShipmentStatus, TransportMode
from programs.shipments.selectors.shipments import delayed_condition, discrepancy_condition


def _visible_partners(request):
    return organisation_choices(user=request.user if request else None)


def in_kind_programmes(*, user):
    """The programmes ``user`` may pick in the shipments' programme filter: the in-kind ones they see."""
    return programme_choices(user=user).filter(is_in_kind=True)


def _visible_programmes(request):
    return in_kind_programmes(user=request.user if request else None)


class ShipmentFilter(django_filters.FilterSet):
    q = search_filter("waybill", "destination_place", "carrier", "transport_reference", "consignee__name")
    status = django_filters.MultipleChoiceFilter(choices=ShipmentStatus.choices, label=_("Status"))
    consignee = AutocompleteFilter("partners", queryset=_visible_partners, label=_("Consignee"))
    destination_country = ReferenceChoiceFilter(
        queryset=Country.objects.all(), to_field_name="code", label=_("Destination country")
    )
    sender = AutocompleteFilter(
        "partners", queryset=_visible_partners, method="_sent_by", label=_("Sent by (donor or consignor)")
    )
    programme = AutocompleteFilter("in-kind-programmes", queryset=_visible_programmes, label=_("Programme"))
    mode = django_filters.ChoiceFilter(choices=TransportMode.choices, label=_("Transport mode"))
    delayed = django_filters.BooleanFilter(method="_delayed", label=_("Delayed"))
    has_discrepancy = django_filters.BooleanFilter(method="_with_discrepancy", label=_("With discrepancies"))
    ordering = sort_filter(
        (
            ("waybill", "waybill"),
            ("status", "status"),
            ("planned_dispatch", "planned_dispatch"),
            ("expected_arrival", "expected_arrival"),
        ),
        {
            "-waybill": _("Waybill (descending)"),
            "-status": _("Status (descending)"),
            "-planned_dispatch": _("Planned dispatch (descending)"),
            "-expected_arrival": _("Expected arrival (descending)"),
        },
    )

    class Meta:
        model = Shipment
        fields = [
            "q",
            "status",
            "consignee",
            "sender",
            "destination_country",
            "programme",
            "mode",
            "delayed",
            "has_discrepancy",
        ]

    def _delayed(self, queryset, name, value):
        if value is None:
            return queryset
        condition = delayed_condition(timezone.localdate())
        return queryset.filter(condition if value else ~condition)

    def _with_discrepancy(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(discrepancy_condition() if value else ~discrepancy_condition())

    def _sent_by(self, queryset, name, organisation):
        if organisation is None:
            return queryset
        return queryset.filter(Q(donor=organisation) | Q(consignor=organisation))
