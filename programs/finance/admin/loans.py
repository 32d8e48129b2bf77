"""Loans with their schedules, and the reminders sent about them: drafts are saved with the loan services, every
status change is an action."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy

from cooperation.admin import (
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    ScopedHistoryAdmin,
    ServiceHistoryAdmin,
    fresh_copy,
    ordered,
)
from cooperation.risk import AcknowledgementField
from cooperation.roles import Perm
from cooperation.workflow import move_refusal
from partners.selectors import organisation_list
from programs.finance import selectors, services
from programs.finance.admin.actions import AdminMove, money_column, service_actions
from programs.finance.forms import DisburseForm, ReasonForm
from programs.finance.models import (
    Installment,
    Loan,
    ReminderLog,
)
from programs.selectors import programme_list

# --- loans ----------------------------------------------------------------------------------------------------------


class InstallmentInline(ReadOnlyInline):
    model = Installment
    fields = ("number", "due_date", "principal_due", "interest_due", "principal_paid", "interest_paid", "balance_after")
    verbose_name_plural = gettext_lazy("repayment schedule")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_INSTALLMENT)


LOAN_TERM_FIELDS = services.LOAN_FIELDS


# Each status change is an action calling its service; who may run it is checked here and again by the service.
LOAN_ACTIONS = {
    "submit_loans": AdminMove(
        gettext_lazy("Submit for approval"),
        "change",
        services.loan_submit,
        "submitted_by",
        gettext_lazy("%(count)d loan(s) submitted for approval."),
    ),
    "approve_loans": AdminMove(
        gettext_lazy("Approve (and generate the schedule)"),
        "approve",
        services.loan_approve,
        "approved_by",
        gettext_lazy("%(count)d loan(s) approved."),
    ),
    "reject_loans": AdminMove(
        gettext_lazy("Reject"),
        "approve",
        services.loan_reject,
        "rejected_by",
        gettext_lazy("%(count)d loan(s) rejected."),
        ask=(ReasonForm, gettext_lazy("Reject loans")),
    ),
    "disburse_loans": AdminMove(
        gettext_lazy("Record the disbursement"),
        "change",
        services.loan_disburse,
        "disbursed_by",
        gettext_lazy("%(count)d loan(s) disbursed."),
        ask=(DisburseForm, gettext_lazy("Record the disbursement")),
    ),
    "cancel_loans": AdminMove(
        gettext_lazy("Cancel"),
        "change",
        services.loan_cancel,
        "cancelled_by",
        gettext_lazy("%(count)d loan(s) cancelled."),
        ask=(ReasonForm, gettext_lazy("Cancel loans")),
    ),
    "write_off_loans": AdminMove(
        gettext_lazy("Write off"),
        "approve",
        services.loan_write_off,
        "written_off_by",
        gettext_lazy("%(count)d loan(s) written off."),
        ask=(ReasonForm, gettext_lazy("Write off loans")),
    ),
}


class LoanAdminForm(forms.ModelForm):
    """The admin's loan form; a new loan for a borrower with risk flags asks for their acknowledgement."""

    risk_acknowledged = AcknowledgementField()

    class Meta:
        model = Loan
        fields = LOAN_TERM_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "day_count" in self.fields:
            self.fields["day_count"].required = False  # not sent: the loan's own, or 30E/360 for a new one

    def clean_day_count(self):
        return self.cleaned_data.get("day_count") or self.instance.day_count


@admin.register(Loan)
@service_actions("loan", LOAN_ACTIONS)
class LoanAdmin(ServiceHistoryAdmin):
    form = LoanAdminForm
    list_display = (
        "reference",
        "borrower",
        "programme",
        "principal_display",
        "outstanding_display",
        "overdue_display",
        "status",
        "disbursed_on",
    )
    list_filter = (
        "status",
        ("currency", admin.RelatedOnlyFieldListFilter),
        "amortization",
        "frequency",
        "day_count",
        ("programme", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("reference", "borrower__name", "borrower__acronym", "programme__code", "purpose")
    list_select_related = ("programme", "borrower", "lender", "currency")
    date_hierarchy = "disbursement_date"
    fieldsets = (
        (None, {"fields": ("reference", "programme", "borrower", "lender", "purpose")}),
        (
            gettext_lazy("Terms"),
            {
                "fields": (
                    ("principal", "currency"),
                    ("annual_rate", "discount_rate"),
                    ("frequency", "installments", "grace_periods"),
                    "amortization",
                    ("disbursement_date", "first_repayment_date"),
                    "day_count",
                )
            },
        ),
        (
            gettext_lazy("Status"),
            {"fields": ("status", "status_note", ("approved_by", "approved_at"), ("disbursed_on", "closed_on"))},
        ),
        (gettext_lazy("Record"), {"fields": ("created_by", "created_at", "updated_at")}),
    )
    RECORD_FIELDS = (
        "reference",
        "status",
        "status_note",
        "approved_by",
        "approved_at",
        "disbursed_on",
        "closed_on",
        "created_by",
        "created_at",
        "updated_at",
    )
    inlines = (InstallmentInline,)

    list_selector = selectors.loan_list

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # a new draft: only its terms; the rest is set by the services
            return ((None, {"fields": (*LOAN_TERM_FIELDS, "risk_acknowledged")}),)
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # Terms change only while the loan is a draft; status fields only through the actions.
        if obj is not None and move_refusal(obj, services.LOAN_MOVES, "update") is not None:
            return self.RECORD_FIELDS + LOAN_TERM_FIELDS
        return self.RECORD_FIELDS

    def has_change_permission(self, request, obj=None):
        # A loan past its draft is changed only by the status actions, never through the form.
        if obj is not None and move_refusal(obj, services.LOAN_MOVES, "update") is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # a loan ends as cancelled or rejected and keeps its history

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "programme":
            kwargs["queryset"] = programme_list(user=request.user).filter(is_financial=True).order_by("code")
        elif db_field.name in ("borrower", "lender"):
            kwargs["queryset"] = organisation_list(user=request.user).filter(is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        data = {name: form.cleaned_data[name] for name in LOAN_TERM_FIELDS if name in form.cleaned_data}
        if change:
            self.save_through(obj, services.loan_update, loan=fresh_copy(obj), updated_by=request.user, **data)
        else:
            acknowledged = form.cleaned_data.get("risk_acknowledged", False)
            self.save_through(
                obj, services.loan_create, created_by=request.user, risk_acknowledged=acknowledged, **data
            )

    principal_display = money_column("principal", gettext_lazy("principal"), ordering="principal")

    outstanding_display = money_column(
        "outstanding_principal", gettext_lazy("outstanding principal"), ordering="outstanding_principal"
    )

    overdue_display = money_column(
        "overdue_amount", gettext_lazy("overdue"), ordering="overdue_amount", dash_when_zero=True
    )

    def has_approve_permission(self, request):
        return request.user.has_perm(Perm.APPROVE_LOAN)


def _visible_loan_ids(request):
    return selectors.loan_list(user=request.user).values("pk")


@admin.register(Installment)
class InstallmentAdmin(ReadOnlyAdminMixin, ScopedHistoryAdmin):
    list_display = ("loan", "number", "due_date", "due_display", "paid_display", "outstanding_display")
    list_filter = ("due_date", "loan__status")
    search_fields = ("loan__reference", "loan__borrower__name")
    list_select_related = ("loan__borrower", "loan__currency")
    date_hierarchy = "due_date"
    history_money_fields = ("principal_due", "interest_due", "balance_after", "principal_paid", "interest_paid")

    def get_queryset(self, request):
        return ordered(self, request, Installment.objects.filter(loan__in=_visible_loan_ids(request)))

    def history_currency(self, installment):
        return installment.loan.currency

    due_display = money_column("total_due", gettext_lazy("due"), currency="loan.currency")

    paid_display = money_column("total_paid", gettext_lazy("paid"), currency="loan.currency")

    outstanding_display = money_column("outstanding", gettext_lazy("outstanding"), currency="loan.currency")


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    # Its emails, their state and errors, are in the outbox ("outgoing messages").
    list_display = ("installment", "kind", "created_at", "run_on")
    list_filter = ("kind",)
    search_fields = ("installment__loan__reference",)
    list_select_related = ("installment__loan",)
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        logs = ReminderLog.objects.filter(installment__loan__in=_visible_loan_ids(request))
        return ordered(self, request, logs)
