"""Admin for loans, their schedules and repayments, reminders, grants and tranches.

Lists come from the finance selectors, so a user sees here what they see
everywhere else. Writes go through the finance services: a draft loan is
created and edited with loan_create / loan_update, a repayment is recorded with
repayment_record, a grant is created with grant_create. Every status change is
an admin action calling its service, one record at a time, and a refusal is
reported per record. Schedules, allocations and reminder logs are written only
by the services, so they are read-only here; installments and allocations show
their change history (payments applied, reversals with who, when and why).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cooperation.admin import (
    ReadOnlyAdminMixin,
    ReadOnlyInline,
    ScopedHistoryAdmin,
    ServiceAdminMixin,
    adopt_saved,
    call_service,
    fresh_copy,
    ordered,
)
from cooperation.dates import BoundedDateFormField
from cooperation.roles import Perm
from partners.selectors import organisation_list
from programs.admin import money_display
from programs.finance import selectors, services
from programs.finance.forms import DisburseForm, ReasonForm, TranchePayForm
from programs.finance.models import (
    Allocation,
    Grant,
    Installment,
    Loan,
    LoanStatus,
    ReminderLog,
    Repayment,
    RepaymentStatus,
    Tranche,
)
from programs.selectors import programme_list

# --- running a service on each selected record ----------------------------------------------------------------------


def _problem(error: Exception) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


def run_on_each(model_admin, request, queryset, call, done: str) -> None:
    """Call ``call(record)`` for each selected record; a refusal is reported next to the record it is about."""
    succeeded = 0
    for record in queryset:
        try:
            call(record)
        except (ValidationError, PermissionDenied) as error:
            model_admin.message_user(request, f"{record}: {_problem(error)}", messages.ERROR)
        else:
            succeeded += 1
    if succeeded:
        model_admin.message_user(request, done % {"count": succeeded}, messages.SUCCESS)


def run_with_form(model_admin, request, queryset, *, form_class, title: str, call, done: str):
    """An action that needs input (a reason, a date): ask for it on an intermediate page, then run it."""
    form = form_class(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        run_on_each(model_admin, request, queryset, lambda record: call(record, **form.cleaned_data), done)
        return None  # back to the changelist, with the messages
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "records": queryset,
        "action": request.POST.get("action", ""),
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "opts": model_admin.model._meta,
    }
    return TemplateResponse(request, "admin/finance/action_form.html", context)


# --- loans ----------------------------------------------------------------------------------------------------------


class InstallmentInline(ReadOnlyInline):
    model = Installment
    fields = ("number", "due_date", "principal_due", "interest_due", "principal_paid", "interest_paid", "balance_after")
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("repayment schedule")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_INSTALLMENT)


LOAN_TERM_FIELDS = (
    "programme",
    "borrower",
    "lender",
    "principal",
    "currency",
    "annual_rate",
    "frequency",
    "installments",
    "amortization",
    "grace_periods",
    "disbursement_date",
    "first_repayment_date",
    "discount_rate",
    "purpose",
)


@admin.register(Loan)
class LoanAdmin(ServiceAdminMixin, ScopedHistoryAdmin):
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
    actions = ("submit_loans", "approve_loans", "reject_loans", "disburse_loans", "cancel_loans", "write_off_loans")

    def get_queryset(self, request):
        return ordered(self, request, selectors.loan_list(user=request.user))

    def get_fieldsets(self, request, obj=None):
        if obj is None:  # a new draft: only its terms; the rest is set by the services
            return ((None, {"fields": LOAN_TERM_FIELDS}),)
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # Terms change only while the loan is a draft; status fields only through the actions.
        if obj is not None and obj.status != LoanStatus.DRAFT:
            return self.RECORD_FIELDS + LOAN_TERM_FIELDS
        return self.RECORD_FIELDS

    def has_change_permission(self, request, obj=None):
        # A loan past its draft is changed only by the status actions, never through the form.
        if obj is not None and obj.status != LoanStatus.DRAFT:
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
            saved = call_service(services.loan_update, loan=fresh_copy(obj), updated_by=request.user, **data)
        else:
            saved = call_service(services.loan_create, created_by=request.user, **data)
        adopt_saved(obj, saved)

    @admin.display(description=gettext_lazy("principal"), ordering="principal")
    def principal_display(self, loan):
        return money_display(loan.principal, loan.currency)

    @admin.display(description=gettext_lazy("outstanding principal"), ordering="outstanding_principal")
    def outstanding_display(self, loan):
        return money_display(loan.outstanding_principal, loan.currency)

    @admin.display(description=gettext_lazy("overdue"), ordering="overdue_amount")
    def overdue_display(self, loan):
        return money_display(loan.overdue_amount, loan.currency) if loan.overdue_amount else "—"

    # Who may run each action; the services check again.
    def has_approve_permission(self, request):
        return request.user.has_perm(Perm.APPROVE_LOAN)

    @admin.action(description=gettext_lazy("Submit for approval"), permissions=["change"])
    def submit_loans(self, request, queryset):
        run_on_each(
            self,
            request,
            queryset,
            lambda loan: services.loan_submit(loan=loan, submitted_by=request.user),
            _("%(count)d loan(s) submitted for approval."),
        )

    @admin.action(description=gettext_lazy("Approve (and generate the schedule)"), permissions=["approve"])
    def approve_loans(self, request, queryset):
        run_on_each(
            self,
            request,
            queryset,
            lambda loan: services.loan_approve(loan=loan, approved_by=request.user),
            _("%(count)d loan(s) approved."),
        )

    @admin.action(description=gettext_lazy("Reject"), permissions=["approve"])
    def reject_loans(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=_("Reject loans"),
            call=lambda loan, reason: services.loan_reject(loan=loan, rejected_by=request.user, reason=reason),
            done=_("%(count)d loan(s) rejected."),
        )

    @admin.action(description=gettext_lazy("Record the disbursement"), permissions=["change"])
    def disburse_loans(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            form_class=DisburseForm,
            title=_("Record the disbursement"),
            call=lambda loan, disbursed_on: services.loan_disburse(
                loan=loan, disbursed_by=request.user, disbursed_on=disbursed_on
            ),
            done=_("%(count)d loan(s) disbursed."),
        )

    @admin.action(description=gettext_lazy("Cancel"), permissions=["change"])
    def cancel_loans(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=_("Cancel loans"),
            call=lambda loan, reason: services.loan_cancel(loan=loan, cancelled_by=request.user, reason=reason),
            done=_("%(count)d loan(s) cancelled."),
        )

    @admin.action(description=gettext_lazy("Write off"), permissions=["approve"])
    def write_off_loans(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=_("Write off loans"),
            call=lambda loan, reason: services.loan_write_off(loan=loan, written_off_by=request.user, reason=reason),
            done=_("%(count)d loan(s) written off."),
        )


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

    @admin.display(description=gettext_lazy("due"))
    def due_display(self, installment):
        return money_display(installment.total_due, installment.loan.currency)

    @admin.display(description=gettext_lazy("paid"))
    def paid_display(self, installment):
        return money_display(installment.total_paid, installment.loan.currency)

    @admin.display(description=gettext_lazy("outstanding"))
    def outstanding_display(self, installment):
        return money_display(installment.outstanding, installment.loan.currency)


# --- repayments -----------------------------------------------------------------------------------------------------


class AllocationInline(ReadOnlyInline):
    """How the repayment was applied, including what a reversal took off the schedule (marked reversed)."""

    model = Allocation
    fields = ("installment", "interest", "principal", "reversed_at", "reversed_by", "reversal_reason")
    readonly_fields = fields
    show_change_link = True

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(Perm.VIEW_REPAYMENT)

    def get_queryset(self, request):
        # Live first, then what reversals took off the schedule.
        ordering = (F("reversed_at").asc(nulls_first=True), "installment__number", "pk")
        return Allocation.with_reversed.select_related("installment__loan", "reversed_by").order_by(*ordering)


@admin.register(Repayment)
class RepaymentAdmin(ServiceAdminMixin, ScopedHistoryAdmin):
    """Officers record repayments here (confirmed at once); confirming, rejecting and reversing are actions."""

    list_display = ("paid_on", "loan", "amount_display", "status", "reference", "recorded_by", "confirmed_by")
    list_filter = ("status", ("currency", admin.RelatedOnlyFieldListFilter), "paid_on")
    search_fields = ("loan__reference", "reference", "loan__borrower__name")
    list_select_related = ("loan__borrower", "currency", "recorded_by", "confirmed_by")
    date_hierarchy = "paid_on"
    fields = (
        "loan",
        "paid_on",
        "amount",
        "currency",
        "reference",
        "status",
        "recorded_by",
        "confirmed_by",
        "reversed_by",
        "reversed_at",
        "reversal_reason",
        "created_at",
    )
    readonly_fields = (
        "status",
        "recorded_by",
        "confirmed_by",
        "reversed_by",
        "reversed_at",
        "reversal_reason",
        "created_at",
    )
    inlines = (AllocationInline,)
    actions = ("confirm_repayments", "reject_repayments", "reverse_repayments")

    def get_queryset(self, request):
        return ordered(self, request, selectors.repayment_list(user=request.user))

    def get_fields(self, request, obj=None):
        return ("loan", "paid_on", "amount", "currency", "reference") if obj is None else self.fields

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
        saved = call_service(
            services.repayment_record,
            recorded_by=request.user,
            **{name: form.cleaned_data.get(name) for name in ("loan", "paid_on", "amount", "currency", "reference")},
        )
        adopt_saved(obj, saved)

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_display(self, repayment):
        return money_display(repayment.amount, repayment.currency)

    @admin.action(description=gettext_lazy("Confirm (the money arrived)"), permissions=["record"])
    def confirm_repayments(self, request, queryset):
        run_on_each(
            self,
            request,
            queryset.filter(status=RepaymentStatus.PENDING).order_by("paid_on", "created_at"),
            lambda repayment: services.repayment_confirm(repayment=repayment, confirmed_by=request.user),
            _("%(count)d repayment(s) confirmed."),
        )

    @admin.action(description=gettext_lazy("Reject (the money never arrived)"), permissions=["record"])
    def reject_repayments(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=_("Reject notified payments"),
            call=lambda repayment, reason: services.repayment_reject(
                repayment=repayment, rejected_by=request.user, reason=reason
            ),
            done=_("%(count)d repayment(s) rejected."),
        )

    @admin.action(description=gettext_lazy("Reverse"), permissions=["record"])
    def reverse_repayments(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=_("Reverse repayments"),
            call=lambda repayment, reason: services.repayment_reverse(
                repayment=repayment, reversed_by=request.user, reason=reason
            ),
            done=_("%(count)d repayment(s) reversed."),
        )


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

    @admin.display(description=gettext_lazy("interest"), ordering="interest")
    def interest_display(self, allocation):
        return money_display(allocation.interest, allocation.repayment.currency)

    @admin.display(description=gettext_lazy("principal"), ordering="principal")
    def principal_display(self, allocation):
        return money_display(allocation.principal, allocation.repayment.currency)


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


# --- grants and tranches --------------------------------------------------------------------------------------------


class GrantAddForm(forms.ModelForm):
    """A grant and how its amount is split into tranches (grant_create's arguments)."""

    tranche_count = forms.IntegerField(label=gettext_lazy("Number of tranches"), min_value=1, initial=1)
    first_tranche_on = BoundedDateFormField(label=gettext_lazy("First tranche planned on"))
    months_between = forms.IntegerField(label=gettext_lazy("Months between tranches"), min_value=0, initial=3)

    class Meta:
        model = Grant
        fields = ("programme", "recipient", "kind", "amount", "currency", "purpose")


class TrancheInline(ReadOnlyInline):
    model = Tranche
    fields = ("number", "amount", "planned_on", "status", "approved_by", "paid_on", "payment_reference")
    readonly_fields = fields

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
)


@admin.register(Grant)
class GrantAdmin(ServiceAdminMixin, ScopedHistoryAdmin):
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

    def get_queryset(self, request):
        return ordered(self, request, selectors.grant_list(user=request.user))

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
        adopt_saved(obj, call_service(services.grant_create, created_by=request.user, **data))

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_display(self, grant):
        return money_display(grant.amount, grant.currency)

    @admin.display(description=gettext_lazy("paid"), ordering="paid_total")
    def paid_display(self, grant):
        return money_display(grant.paid_total, grant.currency)

    @admin.display(description=gettext_lazy("remaining"), ordering="remaining_total")
    def remaining_display(self, grant):
        return money_display(grant.remaining_total, grant.currency)


@admin.register(Tranche)
class TrancheAdmin(ReadOnlyAdminMixin, ServiceAdminMixin, ScopedHistoryAdmin):
    """Tranches are created with their grant; approving, paying and cancelling are actions."""

    list_display = ("grant", "number", "amount_display", "planned_on", "status", "paid_on", "approved_by")
    list_filter = ("status", "planned_on", ("grant__currency", admin.RelatedOnlyFieldListFilter))
    search_fields = ("grant__reference", "grant__recipient__name", "payment_reference")
    list_select_related = ("grant__currency", "grant__recipient", "approved_by")
    date_hierarchy = "planned_on"
    actions = ("approve_tranches", "pay_tranches", "cancel_tranches")

    def get_queryset(self, request):
        return ordered(self, request, selectors.tranche_list(user=request.user))

    def has_approve_permission(self, request):
        return request.user.has_perm(Perm.APPROVE_TRANCHE)

    def has_move_permission(self, request):
        return request.user.has_perm(Perm.CHANGE_TRANCHE)

    @admin.display(description=gettext_lazy("amount"), ordering="amount")
    def amount_display(self, tranche):
        return money_display(tranche.amount, tranche.grant.currency)

    @admin.action(description=gettext_lazy("Approve for payment"), permissions=["approve"])
    def approve_tranches(self, request, queryset):
        run_on_each(
            self,
            request,
            queryset,
            lambda tranche: services.tranche_approve(tranche=tranche, approved_by=request.user),
            _("%(count)d tranche(s) approved."),
        )

    @admin.action(description=gettext_lazy("Record the payment"), permissions=["move"])
    def pay_tranches(self, request, queryset):
        return run_with_form(
            self,
            request,
            queryset,
            form_class=TranchePayForm,
            title=_("Record tranche payments"),
            call=lambda tranche, paid_on, payment_reference: services.tranche_pay(
                tranche=tranche, paid_by=request.user, paid_on=paid_on, payment_reference=payment_reference
            ),
            done=_("%(count)d tranche(s) paid."),
        )

    @admin.action(description=gettext_lazy("Cancel"), permissions=["move"])
    def cancel_tranches(self, request, queryset):
        run_on_each(
            self,
            request,
            queryset,
            lambda tranche: services.tranche_cancel(tranche=tranche, cancelled_by=request.user),
            _("%(count)d tranche(s) cancelled."),
        )
