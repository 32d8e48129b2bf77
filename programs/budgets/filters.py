"""Filters of the budget lists in the API: by programme (an id), category, and for expenditures the partner paid
and whether the receipt is in."""

import django_filters
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from cooperation.money_flows import Category
from programs.budgets.models import BudgetLine, BudgetStatus, BudgetType, Expenditure


class BudgetLineFilter(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id", label=_("Programme (id)"))
    category = django_filters.MultipleChoiceFilter(choices=Category.choices, label=_("Category"))
    budget_type = django_filters.ChoiceFilter(choices=BudgetType.choices, label=_("Budget type"))
    status = django_filters.ChoiceFilter(choices=BudgetStatus.choices, label=_("Status"))

    class Meta:
        model = BudgetLine
        fields = ["programme", "category", "budget_type", "status"]


class ExpenditureFilter(django_filters.FilterSet):
    programme = IdFilter(field_name="programme_id", label=_("Programme (id)"))
    budget_line = IdFilter(field_name="budget_line_id", label=_("Budget line (id)"))
    payee_organisation = IdFilter(field_name="payee_organisation_id", label=_("Partner paid (id)"))
    category = django_filters.MultipleChoiceFilter(choices=Category.choices, label=_("Category"))
    has_receipt = django_filters.BooleanFilter(method="_has_receipt", label=_("Receipt in"))
    spent_from = django_filters.DateFilter(field_name="spent_on", lookup_expr="gte", label=_("Spent from"))
    spent_to = django_filters.DateFilter(field_name="spent_on", lookup_expr="lte", label=_("Spent until"))

    class Meta:
        model = Expenditure
        fields = ["programme", "budget_line", "payee_organisation", "category", "has_receipt"]

    def _has_receipt(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(receipt="") if value else queryset.filter(receipt="")
