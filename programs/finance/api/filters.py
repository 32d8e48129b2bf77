"""Filters of the finance API's lists; loans use ``programs.finance.filters``, shared with the page.

Rows are already scoped by the selectors; filters only narrow them.
"""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from programs.finance.filters import LoanFilter, currency_filter
from programs.finance.models import Grant, Loan, Repayment, RepaymentStatus, Tranche, TrancheStatus


class PortfolioFilter(django_filters.FilterSet):
    """Which loans the portfolio counts: those the user may see, of one programme or in one currency."""

    programme = IdFilter(field_name="programme_id", label=_("Programme id"))
    currency = currency_filter("currency")

    class Meta:
        model = Loan
        fields = ["programme", "currency"]


class RepaymentFilter(django_filters.FilterSet):
    loan = IdFilter(field_name="loan_id", label=_("Loan id"))
    status = django_filters.MultipleChoiceFilter(choices=RepaymentStatus.choices, label=_("Status"))
    currency = currency_filter("currency")
    paid_from = django_filters.DateFilter(field_name="paid_on", lookup_expr="gte", label=_("Paid on or after"))
    paid_until = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("Paid on or before"))

    class Meta:
        model = Repayment
        fields = ["loan", "status", "currency", "paid_from", "paid_until"]


class GrantFilter(django_filters.FilterSet):
    recipient = IdFilter(field_name="recipient_id", label=_("Recipient (partner id)"))
    programme = IdFilter(field_name="programme_id", label=_("Programme id"))
    currency = currency_filter("currency")

    class Meta:
        model = Grant
        fields = ["recipient", "programme", "currency"]


class TrancheFilter(django_filters.FilterSet):
    grant = IdFilter(field_name="grant_id", label=_("Grant id"))
    status = django_filters.MultipleChoiceFilter(choices=TrancheStatus.choices, label=_("Status"))
    planned_from = django_filters.DateFilter(field_name="planned_on", lookup_expr="gte", label=_("Planned on or after"))
    planned_until = django_filters.DateFilter(
        field_name="planned_on", lookup_expr="lte", label=_("Planned on or before")
    )

    class Meta:
        model = Tranche
        fields = ["grant", "status", "planned_from", "planned_until"]


__all__ = ["GrantFilter", "LoanFilter", "PortfolioFilter", "RepaymentFilter", "TrancheFilter"]
