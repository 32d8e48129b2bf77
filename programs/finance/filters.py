"""The loan list's filters, shared by the officers' list page and the API so both answer the same question.

Rows come from ``selectors.loan_list`` (already scoped to the user and annotated with ``overdue_amount``); the
filters only narrow them. The page shows the same filters as selects and adds its "Sort by".
"""

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cooperation.api.filters import IdFilter
from cooperation.autocomplete import use_autocomplete
from cooperation.forms import OneOfSelect, YesNoSelect, any_choices
from cooperation.list_filters import ReferenceChoiceFilter
from cooperation.pages import sorted_rows
from cooperation.reference.models import Currency
from partners.models import Organisation
from partners.selectors import organisation_choices
from programs.finance.forms import financial_programmes
from programs.finance.models import Installment, Loan, LoanStatus
from programs.finance.selectors.common import ARREARS_STATUSES, UNPAID
from programs.selectors import programme_choices


def currency_filter(field_name: str):
    return ReferenceChoiceFilter(
        queryset=Currency.objects.all(), to_field_name="code", field_name=field_name, label=_("Currency (ISO 4217)")
    )


class LoanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="reference", lookup_expr="icontains", label=_("Reference contains"))
    status = django_filters.MultipleChoiceFilter(choices=LoanStatus.choices, label=_("Status"))
    borrower = IdFilter(field_name="borrower_id", label=_("Borrower (partner id)"))
    programme = IdFilter(field_name="programme_id", label=_("Programme id"))
    currency = currency_filter("currency")
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Has overdue installments"))

    class Meta:
        model = Loan
        fields = ["q", "status", "borrower", "programme", "currency", "overdue"]

    def filter_overdue(self, queryset, name, value):
        # What ``overdue_amount > 0`` means (the loan_list selector's figure as of today), asked as an EXISTS over
        # the loan's installments: the database stops at the first late one instead of summing every loan's.
        overdue = Q(status__in=ARREARS_STATUSES) & Exists(
            Installment.objects.filter(UNPAID, loan=OuterRef("pk"), due_date__lt=timezone.localdate())
        )
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


# A sort key of the page → the fields it orders by (ties broken by the reference).
LOAN_ORDERINGS = {
    "reference": ("reference",),
    "borrower": ("borrower__name", "reference"),
    "programme": ("programme__code", "reference"),
    "principal": ("principal", "reference"),
    "outstanding": ("outstanding_principal", "reference"),
    "overdue": ("overdue_amount", "reference"),
    "status": ("status", "reference"),
    "disbursement": ("disbursement_date", "reference"),
}


def _sort_choices():
    labels = {
        "reference": _("Reference"),
        "borrower": _("Borrower"),
        "programme": _("Programme"),
        "principal": _("Principal"),
        "outstanding": _("Outstanding principal"),
        "overdue": _("Overdue amount"),
        "status": _("Status"),
        "disbursement": _("Disbursement date"),
    }
    choices = [("", _("Newest first"))]
    for key, label in labels.items():
        choices += [(key, label), (f"-{key}", _("%(label)s (descending)") % {"label": label})]
    return choices


def _borrowers(request):
    """The organisations a borrower is picked among: those the user sees (drawn without a request, every one; the
    loans are scoped to the user anyway)."""
    return organisation_choices(user=request.user) if request else Organisation.objects.order_by("name")


def financial_programme_choices(*, user):
    """The programmes ``user`` may pick in the loans' programme filter: the financial ones they see."""
    return programme_choices(user=user).filter(is_financial=True)


def _financial_programmes(request):
    """Those of ``financial_programme_choices`` (drawn without a request, every one: the loans are scoped to the
    user anyway)."""
    return financial_programme_choices(user=request.user) if request else financial_programmes()


class LoanListFilter(LoanFilter):
    """The loan list page: the API's filters as the page shows them, and the sorting the page offers."""

    ordering = django_filters.ChoiceFilter(choices=_sort_choices, method="sort", label=_("Sort by"), empty_label=None)

    class Meta(LoanFilter.Meta):
        fields = ["q", "status", "borrower", "currency", "programme", "overdue", "ordering"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.form.fields
        fields["q"].label = _("Reference")
        fields["q"].widget = forms.TextInput(attrs={"type": "search"})
        fields["status"].widget = OneOfSelect(choices=any_choices(LoanStatus.choices))
        fields["borrower"].label = _("Borrower")
        use_autocomplete(self.form, "borrower", "partners", _borrowers(self.request))
        fields["currency"].label = _("Currency")
        fields["currency"].queryset = Currency.objects.filter(is_active=True)
        fields["currency"].empty_label = _("Any")
        fields["programme"].label = _("Programme")
        use_autocomplete(self.form, "programme", "financial-programmes", _financial_programmes(self.request))
        fields["overdue"].label = _("Overdue")
        fields["overdue"].widget = YesNoSelect(_("Overdue"), _("Not overdue"))

    def sort(self, queryset, name, value):
        return sorted_rows(queryset, value, LOAN_ORDERINGS)
