"""Repayments (recorded here, confirmed, rejected or reversed by actions) and how they were allocated."""

from django.contrib import admin
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.admin import ReadOnlyAdminMixin, ReadOnlyInline, ScopedHistoryAdmin, ServiceHistoryAdmin, ordered
from cooperation.roles import Perm
from programs.finance import selectors, services
from programs.finance.admin.actions import AdminMove, money_column, service_actions
from programs.finance.forms import ReasonForm
from programs.finance.models import (
    Allocation,
    LoanStatus,
    Repayment,
)

# --- repayments -----------------------------------------------------------------------------------------------------


class AllocationInline(ReadOnlyInline):
    """How the repayment was applied, including what a reversal took off the schedule (marked reversed)."""

    model = Allocation
    fields = ("installment", "interest", "principal", "reversed_at", "reversed_by", "reversal_reason")
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_REPAYMENT)

    def get_queryset(self, request):
        # Live first, then what reversals took off the schedule.
        ordering = (F("reversed_at").asc(nulls_first=True), "installment__number", "pk")
        return Allocation.with_reversed.select_related("installment__loan", "reversed_by").order_by(*ordering)


def _awaiting_confirmation(repayments):
    """Notified repayments, oldest first: confirming applies them to the schedule in that order."""
    return repayments.filter(status__in=services.REPAYMENT_MOVES["confirm"].allowed).order_by("paid_on", "created_at")


REPAYMENT_ACTIONS = {
    "confirm_repayments": AdminMove(
        gettext_lazy("Confirm (the money arrived)"),
        "record",
        services.repayment_confirm,
        "confirmed_by",
        gettext_lazy("%(count)d repayment(s) confirmed."),
        records=_awaiting_confirmation,
    ),
    "reject_repayments": AdminMove(
        gettext_lazy("Reject (the money never arrived)"),
        "record",
        services.repayment_reject,
        "rejected_by",
        gettext_lazy("%(count)d repayment(s) rejected."),
        ask=(ReasonForm, gettext_lazy("Reject notified payments")),
    ),
    "reverse_repayments": AdminMove(
        gettext_lazy("Reverse"),
        "record",
        services.repayment_reverse,
        "reversed_by",
        gettext_lazy("%(count)d repayment(s) reversed."),
        ask=(ReasonForm, gettext_lazy("Reverse repayments")),
    ),
}


# What an officer enters to record a repayment (repayment_record's arguments); the services write the rest.
REPAYMENT_ENTRY_FIELDS = ("loan", "paid_on", "amount", "currency", "reference")
REPAYMENT_RECORD_FIELDS = (
    "status",
    "recorded_by",
    "confirmed_by",
    "reversed_by",
    "reversed_at",
    "reversal_reason",
    "created_at",
)


@admin.register(Repayment)
@service_actions("repayment", REPAYMENT_ACTIONS)
class RepaymentAdmin(ServiceHistoryAdmin):
    """Officers record repayments here (confirmed at once); confirming, rejecting and reversing are actions."""

    list_display = ("paid_on", "loan", "amount_display", "status", "reference", "recorded_by", "confirmed_by")
    list_filter = ("status", ("currency", admin.RelatedOnlyFieldListFilter), "paid_on")
    search_fields = ("loan__reference", "reference", "loan__borrower__name")
    list_select_related = ("loan__borrower", "currency", "recorded_by", "confirmed_by")
    date_hierarchy = "paid_on"
    fields = (*REPAYMENT_ENTRY_FIELDS, *REPAYMENT_RECORD_FIELDS)
    readonly_fields = REPAYMENT_RECORD_FIELDS
    inlines = (AllocationInline,)

    list_selector = selectors.repayment_list

    def get_fields(self, request, obj=None):
        return REPAYMENT_ENTRY_FIELDS if obj is None else self.fields

    def has_add_permission(self, request):
        return request.user.has_perm(Perm.RECORD_REPAYMENT)

    def has_change_permission(self, request, obj=None):
        return False  # a recorded payment is never edited: it is reversed and recorded again

    def has_delete_permission(self, request, obj=None):
        return False

    def has_record_permission(self, request):
        return request.user.has_perm(Perm.RECORD_REPAYMENT)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "loan":
            kwargs["queryset"] = selectors.loan_list(user=request.user).filter(status=LoanStatus.DISBURSED)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data.get(name) for name in REPAYMENT_ENTRY_FIELDS}
        self.save_through(obj, services.repayment_record, recorded_by=request.user, **data)

    amount_display = money_column("amount", gettext_lazy("amount"), ordering="amount")


class AllocationStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return (("live", _("Applied")), ("reversed", _("Reversed")))

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.filter(reversed_at__isnull=True)
        if self.value() == "reversed":
            return queryset.filter(reversed_at__isnull=False)
        return queryset


@admin.register(Allocation)
class AllocationAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    """How confirmed repayments were applied to schedules: part of the repayment, readable with it.

    Lists every allocation ever made; those a reversal took off the schedule are marked reversed.
    """

    list_display = (
        "repayment",
        "installment_number",
        "interest_display",
        "principal_display",
        "reversed_at",
        "reversed_by",
    )
    list_filter = (AllocationStateFilter,)
    search_fields = ("repayment__loan__reference", "repayment__reference")
    list_select_related = ("repayment__loan", "repayment__currency", "installment", "reversed_by")
    fields = ("repayment", "installment", "interest", "principal", "reversed_at", "reversed_by", "reversal_reason")
    history_money_fields = ("interest", "principal")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_REPAYMENT)

    def get_queryset(self, request):
        visible = selectors.repayment_list(user=request.user).values("pk")
        allocations = Allocation.with_reversed.filter(repayment__in=visible)
        return ordered(self, request, allocations.order_by("-repayment_id", "pk"))

    def history_currency(self, allocation):
        return allocation.repayment.currency

    @admin.display(description=gettext_lazy("installment"), ordering="installment__number")
    def installment_number(self, allocation):
        return allocation.installment.number

    interest_display = money_column(
        "interest", gettext_lazy("interest"), currency="repayment.currency", ordering="interest"
    )

    principal_display = money_column(
        "principal", gettext_lazy("principal"), currency="repayment.currency", ordering="principal"
    )
