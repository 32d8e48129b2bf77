"""Filters of the finance API's lists. Rows are already scoped by the selectors; filters only narrow them."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from cooperation.reference.models import Currency
from programs.finance.models import Grant, Loan, LoanStatus, Repayment, RepaymentStatus, Tranche, TrancheStatus


def _currency_filter(field_name: str):
    return django_filters.ModelChoiceFilter(
        queryset=Currency.objects.all(), to_field_name="code", field_name=field_name, label=_("Currency (ISO 4217)")
    )


class LoanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="reference", lookup_expr="icontains", label=_("Reference contains"))
    status = django_filters.MultipleChoiceFilter(choices=LoanStatus.choices, label=_("Status"))
    borrower = IdFilter(field_name="borrower_id", label=_("Borrower (partner id)"))
    programme = IdFilter(field_name="programme_id", label=_("Programme id"))
    currency = _currency_filter("currency")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Has overdue installments"))

    class Meta:
        model = Loan
        fields = ["q", "status", "borrower", "programme", "currency", "overdue"]

    def filter_overdue(self, queryset, name, value):
        # overdue_amount is computed by the loan_list selector as of today.
        return queryset.filter(overdue_amount__gt=0) if value else queryset.exclude(overdue_amount__gt=0)


class RepaymentFilter(django_filters.FilterSet):
    loan = IdFilter(field_name="loan_id", label=_("Loan id"))
    status = django_filters.MultipleChoiceFilter(choices=RepaymentStatus.choices, label=_("Status"))
    currency = _currency_filter("currency")
    paid_from = django_filters.DateFilter(field_name="paid_on", lookup_expr="gte", label=_("Paid on or after"))
    paid_until = django_filters.DateFilter(field_name="paid_on", lookup_expr="lte", label=_("Paid on or before"))

    class Meta:
        model = Repayment
        fields = ["loan", "status", "currency", "paid_from", "paid_until"]


class GrantFilter(django_filters.FilterSet):
    recipient = IdFilter(field_name="recipient_id", label=_("Recipient (partner id)"))
    programme = IdFilter(field_name="programme_id", label=_("Programme id"))
    currency = _currency_filter("currency")

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
