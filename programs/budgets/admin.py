"""Admin for budget lines and expenditures: saved through the services (a revision asks for its reason, a receipt
is checked like on the pages), with their scoped history; nothing is deleted."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from cooperation.admin import ServiceHistoryAdmin, fresh_copy
from programs.budgets import selectors, services
from programs.budgets.models import BudgetLine, Expenditure
from programs.budgets.services import EXPENDITURE_FIELDS, LINE_FIELDS


class BudgetLineAdminForm(forms.ModelForm):
    reason = forms.CharField(
        label=_("Reason for the revision"),
        required=False,
        max_length=100,
        help_text=_("Needed when the amount, currency, type or status changes."),
    )

    class Meta:
        model = BudgetLine
        fields = ["programme", *LINE_FIELDS]


class BudgetAdmin(ServiceHistoryAdmin):
    history_money_fields = ("amount",)

    def history_currency(self, obj):
        return obj.currency

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = selectors.budget_programmes(user=request.user).order_by("code")
        elif db_field.name == "budget_line":
            kwargs["queryset"] = selectors.line_list(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return (*self.readonly_fields, "programme") if obj else self.readonly_fields


@admin.register(BudgetLine)
class BudgetLineAdmin(BudgetAdmin):
    form = BudgetLineAdminForm
    list_display = (
        "programme",
        "category",
        "period_start",
        "period_end",
        "amount",
        "currency",
        "budget_type",
        "status",
    )
    list_filter = ("category", "budget_type", "status", "currency")
    search_fields = ("programme__code", "programme__title", "description")
    list_select_related = ("programme", "currency")
    fields = ("programme", *LINE_FIELDS, "reason", "created_by", "created_at", "updated_at")
    readonly_fields = ("created_by", "created_at", "updated_at")
    list_selector = selectors.line_list

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in LINE_FIELDS if name in form.cleaned_data}
        if change:
            reason = form.cleaned_data.get("reason", "")
            line = fresh_copy(obj)
            self.save_through(obj, services.line_update, line=line, updated_by=request.user, reason=reason, **data)
        else:
            programme = form.cleaned_data["programme"]
            self.save_through(obj, services.line_create, programme=programme, created_by=request.user, **data)


@admin.register(Expenditure)
class ExpenditureAdmin(BudgetAdmin):
    list_display = ("spent_on", "programme", "payee", "category", "amount", "currency", "reference", "has_receipt")
    list_filter = ("category", "currency", ("payee_organisation", admin.RelatedOnlyFieldListFilter))
    search_fields = ("programme__code", "payee", "reference", "payee_organisation__name")
    list_select_related = ("programme", "currency")
    fields = ("programme", *EXPENDITURE_FIELDS, "receipt_name", "recorded_by", "created_at", "updated_at")
    readonly_fields = ("receipt_name", "recorded_by", "created_at", "updated_at")
    list_selector = selectors.expenditure_list

    @admin.display(boolean=True, description=_("receipt"))
    def has_receipt(self, obj):
        return obj.has_receipt

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in EXPENDITURE_FIELDS if name in form.cleaned_data}
        if change:
            expenditure = fresh_copy(obj)
            self.save_through(
                obj, services.expenditure_update, expenditure=expenditure, updated_by=request.user, **data
            )
        else:
            programme = form.cleaned_data["programme"]
            self.save_through(obj, services.expenditure_create, programme=programme, recorded_by=request.user, **data)
