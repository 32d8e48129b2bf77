"""Grants, created with their tranches; tranches approved, paid or cancelled by actions."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from cooperation.admin import ReadOnlyAdminMixin, ReadOnlyInline, ServiceHistoryAdmin
from cooperation.dates import BoundedDateFormField
from cooperation.risk import AcknowledgementField
from cooperation.roles import Perm
from partners.selectors import organisation_list
from programs.finance import selectors, services
from programs.finance.admin.actions import AdminMove, money_column, service_actions
from programs.finance.forms import TranchePayForm
from programs.finance.models import (
    Grant,
    Tranche,
)
from programs.selectors import programme_list

# --- grants and tranches --------------------------------------------------------------------------------------------


class GrantAddForm(forms.ModelForm):
    """A grant and how its amount is split into tranches (grant_create's arguments)."""

    tranche_count = forms.IntegerField(label=gettext_lazy("Number of tranches"), min_value=1, initial=1)
    first_tranche_on = BoundedDateFormField(label=gettext_lazy("First tranche planned on"))
    months_between = forms.IntegerField(label=gettext_lazy("Months between tranches"), min_value=0, initial=3)
    risk_acknowledged = AcknowledgementField()

    class Meta:
        model = Grant
        fields = ("programme", "recipient", "kind", "amount", "currency", "purpose")


class TrancheInline(ReadOnlyInline):
    model = Tranche
    fields = ("number", "amount", "planned_on", "status", "approved_by", "paid_on", "payment_reference")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_TRANCHE)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("grant__currency", "approved_by")


GRANT_ADD_FIELDS = (
    "programme",
    "recipient",
    "kind",
    "amount",
    "currency",
    "purpose",
    "tranche_count",
    "first_tranche_on",
    "months_between",
    "risk_acknowledged",
)


@admin.register(Grant)
class GrantAdmin(ServiceHistoryAdmin):
    """Grants are created with their tranches here; they are not edited afterwards (tranches move by actions)."""

    list_display = (
        "reference",
        "kind",
        "recipient",
        "programme",
        "amount_display",
        "paid_display",
        "remaining_display",
    )
    list_filter = (
        "kind",
        ("currency", admin.RelatedOnlyFieldListFilter),
        ("programme", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("reference", "recipient__name", "recipient__acronym", "programme__code", "purpose")
    list_select_related = ("recipient", "programme", "currency")
    fields = (
        "reference",
        "kind",
        "programme",
        "recipient",
        "amount",
        "currency",
        "purpose",
        "created_by",
        "created_at",
    )
    readonly_fields = ("reference", "created_by", "created_at")
    inlines = (TrancheInline,)

    list_selector = selectors.grant_list

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = GrantAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return GRANT_ADD_FIELDS if obj is None else self.fields

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def has_change_permission(self, request, obj=None):
        return False  # no service edits a grant once its tranches are scheduled

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = programme_list(user=request.user).filter(is_financial=True).order_by("code")
        elif db_field.name == "recipient":
            kwargs["queryset"] = organisation_list(user=request.user).filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in GRANT_ADD_FIELDS}
        self.save_through(obj, services.grant_create, created_by=request.user, **data)

    amount_display = money_column("amount", gettext_lazy("amount"), ordering="amount")

    paid_display = money_column("paid_total", gettext_lazy("paid"), ordering="paid_total")

    remaining_display = money_column("remaining_total", gettext_lazy("remaining"), ordering="remaining_total")


TRANCHE_ACTIONS = {
    "approve_tranches": AdminMove(
        gettext_lazy("Approve for payment"),
        "approve",
        services.tranche_approve,
        "approved_by",
        gettext_lazy("%(count)d tranche(s) approved."),
    ),
    "pay_tranches": AdminMove(
        gettext_lazy("Record the payment"),
        "move",
        services.tranche_pay,
        "paid_by",
        gettext_lazy("%(count)d tranche(s) paid."),
        ask=(TranchePayForm, gettext_lazy("Record tranche payments")),
    ),
    "cancel_tranches": AdminMove(
        gettext_lazy("Cancel"),
        "move",
        services.tranche_cancel,
        "cancelled_by",
        gettext_lazy("%(count)d tranche(s) cancelled."),
    ),
}


@admin.register(Tranche)
@service_actions("tranche", TRANCHE_ACTIONS)
class TrancheAdmin(ReadOnlyAdminMixin, ServiceHistoryAdmin):
    """Tranches are created with their grant; approving, paying and cancelling are actions."""

    list_display = ("grant", "number", "amount_display", "planned_on", "status", "paid_on", "approved_by")
    list_filter = ("status", "planned_on", ("grant__currency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("grant__reference", "grant__recipient__name", "payment_reference")
    list_select_related = ("grant__currency", "grant__recipient", "approved_by")
    date_hierarchy = "planned_on"
    fields = ("grant", "number", "amount", "planned_on", "status", "approved_by", "paid_on", "payment_reference")

    list_selector = selectors.tranche_list

    def has_approve_permission(self, request):
        return request.user.has_perm(Perm.APPROVE_TRANCHE)

    def has_move_permission(self, request):
        return request.user.has_perm(Perm.CHANGE_TRANCHE)

    amount_display = money_column("amount", gettext_lazy("amount"), currency="grant.currency", ordering="amount")
