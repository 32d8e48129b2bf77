"""Loans, repayments, grants and tranches in and out of the API.

Output serializers shape what a client reads (amounts are strings in their
currency's minor unit, never floats); the ``...Write`` serializers only check
the shape and types of what it sends. Business rules stay in the services.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.api.fields import (
    AmountField,
    AmountInputField,
    BoundedDateField,
    EnumChoiceField,
    UserScopedRelations,
    code_field,
    related_with_label,
    who_and_when,
)
from cooperation.reference.models import Country, Currency
from partners.models import DacCategory, Organisation
from programs.finance.models import (
    RATE_DIGITS,
    AmortizationMethod,
    ArrearsChoice,
    DayCountConvention,
    Frequency,
    Grant,
    Loan,
    LoanStatus,
    RepaymentStatus,
    RestructuringStatus,
    TrancheStatus,
)
from programs.finance.selectors import grant_element_of, loan_dac_test, loan_list
from programs.models import Programme
from programs.selectors import programme_list

CURRENCY_HELP = _("ISO 4217 code.")
RATE_OPTIONS = {"max_digits": RATE_DIGITS["max_digits"], "decimal_places": RATE_DIGITS["decimal_places"]}
# A percentage to a hundredth; a grant element is negative when the loan costs more than the discount rate.
PERCENT_OPTIONS = {"max_digits": 8, "decimal_places": 2}
GRANT_ELEMENT = serializers.DecimalField(**PERCENT_OPTIONS, read_only=True, allow_null=True)
DAY_COUNT_HELP = _(
    "How interest is counted: the first installment's from the disbursement date to the first repayment date. "
    "full_periods (loans recorded before day counts were chosen) charges every installment one whole period."
)

# --- Output ---------------------------------------------------------------------------------------


class InstallmentSerializer(serializers.Serializer):
    """One row of a loan's schedule, with what is paid and what is still owed on it."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    due_date = serializers.DateField(read_only=True)
    principal_due = AmountField(currency="loan.currency")
    interest_due = AmountField(currency="loan.currency")
    total_due = AmountField(currency="loan.currency")
    principal_paid = AmountField(currency="loan.currency")
    interest_paid = AmountField(currency="loan.currency")
    paid = AmountField(source="paid_amount", currency="loan.currency")
    outstanding = AmountField(source="outstanding_amount", currency="loan.currency")
    balance_after = AmountField(currency="loan.currency")
    days_past_due = serializers.IntegerField(read_only=True, help_text=_("0 unless unpaid after its due date."))


class LoanSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    programme, programme_code = related_with_label("programme", "code")
    borrower, borrower_name = related_with_label("borrower")
    lender = serializers.IntegerField(
        source="lender_id", read_only=True, allow_null=True, help_text=_("Empty when our organisation lends.")
    )
    principal = AmountField()
    currency = serializers.CharField(source="currency_id", read_only=True, help_text=CURRENCY_HELP)
    annual_rate = serializers.DecimalField(**RATE_OPTIONS, read_only=True, help_text=_("Percent per year."))
    frequency = EnumChoiceField(Frequency, read_only=True, help_text=_("Installments per year."))
    installments = serializers.IntegerField(read_only=True)
    amortization = EnumChoiceField(AmortizationMethod, read_only=True)
    grace_periods = serializers.IntegerField(read_only=True)
    disbursement_date = serializers.DateField(read_only=True)
    first_repayment_date = serializers.DateField(read_only=True)
    day_count = EnumChoiceField(DayCountConvention, read_only=True, help_text=DAY_COUNT_HELP)
    discount_rate = serializers.DecimalField(**RATE_OPTIONS, read_only=True)
    grant_element = serializers.SerializerMethodField(
        help_text=_(
            "OECD DAC grant element in percent, from the loan's schedule discounted at `discount_rate`; "
            "null when its terms give no schedule."
        )
    )
    purpose = serializers.CharField(read_only=True)
    status = EnumChoiceField(LoanStatus, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    status_note = serializers.CharField(read_only=True, help_text=_("Why it was rejected, cancelled or written off."))
    outstanding_principal = AmountField()
    overdue_amount = AmountField()
    max_days_past_due = serializers.IntegerField(read_only=True)
    created_by = serializers.IntegerField(source="created_by_id", read_only=True)
    approved_by, approved_at = who_and_when("approved")
    disbursed_on = serializers.DateField(read_only=True, allow_null=True)
    closed_on = serializers.DateField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    @extend_schema_field(GRANT_ELEMENT)
    def get_grant_element(self, loan) -> str | None:
        element = grant_element_of(loan)
        return None if element is None else GRANT_ELEMENT.to_representation(element)


class DacTestSerializer(serializers.Serializer):
    """Whether the loan is concessional under the OECD DAC rules (``selectors.loan_dac_test``)."""

    category = serializers.ChoiceField(
        choices=DacCategory.choices,
        allow_blank=True,
        read_only=True,
        help_text=_("The recipient's category: the programme's when recorded there, else the borrower's."),
    )
    committed_on = serializers.DateField(read_only=True, help_text=_("The day the rule in force is read on."))
    concessional = serializers.BooleanField(
        read_only=True, allow_null=True, help_text=_("Null when the category, a rule or the schedule is missing.")
    )
    grant_element = serializers.DecimalField(
        **PERCENT_OPTIONS, read_only=True, allow_null=True, help_text=_("At the rule's discount rate.")
    )
    discount_rate = serializers.DecimalField(
        source="rule.discount_rate", **RATE_OPTIONS, read_only=True, allow_null=True, default=None
    )
    minimum_grant_element = serializers.DecimalField(
        source="rule.minimum_grant_element", **RATE_OPTIONS, read_only=True, allow_null=True, default=None
    )


class LoanDetailSerializer(LoanSerializer):
    """A loan with its repayment schedule (read from ``context["schedule"]``) and its DAC test."""

    schedule = serializers.SerializerMethodField()
    dac = serializers.SerializerMethodField(
        help_text=_("Whether the loan is concessional under the OECD DAC rules in force on its commitment date.")
    )

    @extend_schema_field(DacTestSerializer)
    def get_dac(self, loan) -> dict:
        return DacTestSerializer(loan_dac_test(loan)).data

    @extend_schema_field(InstallmentSerializer(many=True))
    def get_schedule(self, loan) -> list:
        return InstallmentSerializer(self.context.get("schedule", []), many=True, context=self.context).data


class AllocationSerializer(serializers.Serializer):
    installment = serializers.IntegerField(source="installment.number", read_only=True)
    interest = AmountField(currency="repayment.currency")
    principal = AmountField(currency="repayment.currency")


class RepaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    loan, loan_reference = related_with_label("loan", "reference")
    paid_on = serializers.DateField(read_only=True)
    amount = AmountField()
    currency = serializers.CharField(source="currency_id", read_only=True, help_text=CURRENCY_HELP)
    reference = serializers.CharField(read_only=True)
    status = EnumChoiceField(RepaymentStatus, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    recorded_by = serializers.IntegerField(source="recorded_by_id", read_only=True)
    confirmed_by = serializers.IntegerField(source="confirmed_by_id", read_only=True, allow_null=True)
    reversed_by, reversed_at = who_and_when("reversed")
    reason = serializers.CharField(
        source="reversal_reason", read_only=True, help_text=_("Why it was rejected or reversed.")
    )
    created_at = serializers.DateTimeField(read_only=True)


class RepaymentDetailSerializer(RepaymentSerializer):
    allocations = AllocationSerializer(many=True, read_only=True, help_text=_("How it was applied to the schedule."))


class TrancheSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    grant = serializers.IntegerField(source="grant_id", read_only=True)
    number = serializers.IntegerField(read_only=True)
    amount = AmountField(currency="grant.currency")
    planned_on = serializers.DateField(read_only=True)
    status = EnumChoiceField(TrancheStatus, read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    approved_by = serializers.IntegerField(source="approved_by_id", read_only=True, allow_null=True)
    paid_on = serializers.DateField(read_only=True, allow_null=True)
    payment_reference = serializers.CharField(read_only=True)


class GrantTrancheSerializer(TrancheSerializer):
    """A tranche inside its grant: the grant is already known."""

    grant = None


class GrantSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    kind = EnumChoiceField(Grant.Kind, enum_name="GrantKindEnum", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    programme, programme_code = related_with_label("programme", "code")
    recipient, recipient_name = related_with_label("recipient")
    amount = AmountField()
    currency = serializers.CharField(source="currency_id", read_only=True, help_text=CURRENCY_HELP)
    purpose = serializers.CharField(read_only=True)
    paid_total = AmountField(help_text=_("Paid tranches."))
    unpaid_total = AmountField(help_text=_("Approved tranches awaiting payment."))
    remaining_total = AmountField(help_text=_("The amount less what was paid or cancelled."))
    tranches = GrantTrancheSerializer(many=True, read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class PortfolioCurrencySerializer(serializers.Serializer):
    """The loans in one currency; amounts are principal unless said otherwise."""

    currency = serializers.CharField(source="currency.code", read_only=True, help_text=CURRENCY_HELP)
    loans = serializers.IntegerField(read_only=True, help_text=_("Every loan counted, whatever its status."))
    committed_loans = serializers.IntegerField(
        read_only=True, help_text=_("Approved, disbursed, repaid or written off.")
    )
    active_loans = serializers.IntegerField(read_only=True, help_text=_("Disbursed, not yet repaid or written off."))
    loans_in_arrears = serializers.IntegerField(
        read_only=True, help_text=_("Active loans with an installment unpaid after its due date.")
    )
    par30_loans = serializers.IntegerField(
        read_only=True, help_text=_("Active loans with an installment more than 30 days late.")
    )
    par90_loans = serializers.IntegerField(
        read_only=True, help_text=_("Active loans with an installment more than 90 days late.")
    )
    committed = AmountField(help_text=_("Principal of approved, disbursed, repaid and written-off loans."))
    disbursed = AmountField(help_text=_("Principal of the loans whose money went out."))
    outstanding_principal = AmountField(help_text=_("Principal still owed on active loans."))
    principal_in_arrears = AmountField(help_text=_("Of which due before today and unpaid."))
    overdue = AmountField(help_text=_("Principal and interest due before today and unpaid, on active loans."))
    par30_amount = AmountField(
        help_text=_("Portfolio at risk over 30 days: the outstanding principal of the `par30_loans`.")
    )
    par30_rate = serializers.DecimalField(
        **PERCENT_OPTIONS, read_only=True, help_text=_("`par30_amount` in percent of `outstanding_principal`.")
    )
    par90_amount = AmountField(
        help_text=_("Portfolio at risk over 90 days: the outstanding principal of the `par90_loans`.")
    )
    par90_rate = serializers.DecimalField(
        **PERCENT_OPTIONS, read_only=True, help_text=_("`par90_amount` in percent of `outstanding_principal`.")
    )
    concessional_loans = serializers.IntegerField(
        read_only=True, help_text=_("Committed loans that are concessional under the OECD DAC rules.")
    )
    concessional = AmountField(help_text=_("Principal of the `concessional_loans`."))
    non_concessional_loans = serializers.IntegerField(
        read_only=True, help_text=_("Committed loans that are not concessional under the OECD DAC rules.")
    )
    non_concessional = AmountField(help_text=_("Principal of the `non_concessional_loans`."))
    dac_untested_loans = serializers.IntegerField(
        read_only=True,
        help_text=_(
            "Committed loans not tested under the OECD DAC rules: no recipient category is recorded on their "
            "programme or borrower, or no rule was in force on their commitment date."
        ),
    )


class PortfolioSerializer(serializers.Serializer):
    as_of = serializers.DateField(read_only=True, help_text=_("The day arrears and risk are counted on (today)."))
    currencies = PortfolioCurrencySerializer(
        many=True, read_only=True, help_text=_("One row per currency, in code order; never added across currencies.")
    )


# --- Input ----------------------------------------------------------------------------------------


def _currency_field(**kwargs):
    unknown = _("There is no currency with the code “{value}”.")
    return code_field(Currency, unknown_message=unknown, help_text=CURRENCY_HELP, **kwargs)


class LoanWriteSerializer(UserScopedRelations, serializers.Serializer):
    """A draft loan's terms and parties; omitted fields stay as they are on update."""

    scoped_fields = {"programme": programme_list}

    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())
    borrower = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    lender = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("Leave empty when our organisation lends."),
    )
    principal = AmountInputField()
    currency = _currency_field()
    annual_rate = serializers.DecimalField(**RATE_OPTIONS, help_text=_("Percent per year; 0 for interest-free."))
    frequency = EnumChoiceField(Frequency, help_text=_("Installments per year."))
    installments = serializers.IntegerField()
    amortization = EnumChoiceField(AmortizationMethod)
    grace_periods = serializers.IntegerField(required=False, help_text=_("Interest-only installments at the start."))
    disbursement_date = BoundedDateField()
    first_repayment_date = BoundedDateField()
    day_count = EnumChoiceField(
        DayCountConvention,
        required=False,
        help_text=_(
            "How interest is counted; 30e_360 unless given. The first installment's interest runs from the "
            "disbursement date to the first repayment date. full_periods is accepted only on a loan that already "
            "counts full periods (recorded before day counts were chosen)."
        ),
    )
    discount_rate = serializers.DecimalField(
        **RATE_OPTIONS, required=False, help_text=_("For the grant element; 5 unless agreed otherwise.")
    )
    purpose = serializers.CharField(max_length=5000, required=False, allow_blank=True)


RISK_ACKNOWLEDGED_HELP = _(
    "True when the user saw the partner's risk flags and goes ahead; required when the partner has any."
)


class LoanCreateSerializer(LoanWriteSerializer):
    risk_acknowledged = serializers.BooleanField(required=False, default=False, help_text=RISK_ACKNOWLEDGED_HELP)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text=_("Kept in the record's history."))


class DisburseSerializer(serializers.Serializer):
    disbursed_on = BoundedDateField(past=True)


class RepaymentWriteSerializer(UserScopedRelations, serializers.Serializer):
    """Money paid on a loan. Officers record it (confirmed at once); partner users notify it (pending)."""

    scoped_fields = {"loan": loan_list}

    loan = serializers.PrimaryKeyRelatedField(queryset=Loan.objects.none())
    paid_on = BoundedDateField(past=True)
    amount = AmountInputField()
    currency = _currency_field()
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class GrantWriteSerializer(UserScopedRelations, serializers.Serializer):
    scoped_fields = {"programme": programme_list}

    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())
    recipient = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.filter(is_active=True))
    kind = EnumChoiceField(Grant.Kind, enum_name="GrantKindEnum", required=False)
    amount = AmountInputField()
    currency = _currency_field()
    purpose = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    tranche_count = serializers.IntegerField(default=1, help_text=_("Leftover minor units go to the first tranches."))
    first_tranche_on = BoundedDateField()
    months_between = serializers.IntegerField(default=3)
    risk_acknowledged = serializers.BooleanField(required=False, default=False, help_text=RISK_ACKNOWLEDGED_HELP)


class TranchePaySerializer(serializers.Serializer):
    paid_on = BoundedDateField(past=True)
    payment_reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


# --- Restructurings -------------------------------------------------------------------------------


class RestructuringSerializer(serializers.Serializer):
    """New terms for an active loan: proposed, then approved (applied), rejected, or reversed."""

    id = serializers.IntegerField(read_only=True)
    loan, loan_reference = related_with_label("loan", "reference")
    status = EnumChoiceField(RestructuringStatus, enum_name="RestructuringStatusEnum", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    annual_rate = serializers.DecimalField(**RATE_OPTIONS, read_only=True)
    installments = serializers.IntegerField(read_only=True)
    grace_periods = serializers.IntegerField(read_only=True, help_text=_("Interest-only installments."))
    first_due_date = serializers.DateField(read_only=True)
    arrears = EnumChoiceField(ArrearsChoice, enum_name="ArrearsTreatmentEnum", read_only=True)
    reason = serializers.CharField(read_only=True)
    proposed_by = serializers.IntegerField(source="proposed_by_id", read_only=True)
    proposed_at = serializers.DateTimeField(read_only=True)
    decided_by, decided_at = who_and_when("decided")
    decision_note = serializers.CharField(read_only=True, help_text=_("Why it was rejected."))
    effective_on = serializers.DateField(read_only=True, allow_null=True)
    capitalised = AmountField(currency="loan.currency", help_text=_("Overdue interest added to the new principal."))
    waived = AmountField(currency="loan.currency", help_text=_("Overdue interest forgiven."))
    new_principal = AmountField(currency="loan.currency", allow_null=True)
    first_new_number = serializers.IntegerField(read_only=True, allow_null=True)
    reversed_by, reversed_at = who_and_when("reversed")
    reversal_reason = serializers.CharField(read_only=True)


class MoratoriumSerializer(serializers.Serializer):
    """No payments for some months on every active loan to recipients in one country and administrative area:
    proposed, then approved (every loan restructured at once) or rejected."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    country = serializers.CharField(source="country_id", read_only=True, help_text=_("ISO 3166-1 alpha-2 code."))
    area = serializers.CharField(read_only=True)
    starts_on = serializers.DateField(read_only=True, help_text=_("The first day without payments."))
    months = serializers.IntegerField(read_only=True)
    arrears = EnumChoiceField(ArrearsChoice, enum_name="ArrearsTreatmentEnum", read_only=True)
    reason = serializers.CharField(read_only=True)
    status = EnumChoiceField(RestructuringStatus, enum_name="RestructuringStatusEnum", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    proposed_by = serializers.IntegerField(source="proposed_by_id", read_only=True)
    proposed_at = serializers.DateTimeField(read_only=True)
    decided_by, decided_at = who_and_when("decided")
    decision_note = serializers.CharField(read_only=True, help_text=_("Why it was rejected."))
    restructurings = serializers.SerializerMethodField(
        help_text=_("The restructuring of each loan the approval rewrote (see /restructurings/).")
    )

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_restructurings(self, moratorium) -> list[int]:
        return sorted(record.pk for record in moratorium.restructurings.all())


class MoratoriumWriteSerializer(serializers.Serializer):
    """A proposal: nothing changes on any loan until a manager approves it."""

    title = serializers.CharField(max_length=200)
    country = code_field(Country, unknown_message=_("There is no country with the code “{value}”."))
    area = serializers.CharField(max_length=100, help_text=_("Province or district, e.g. Central Sulawesi."))
    starts_on = BoundedDateField(help_text=_("The first day without payments."))
    months = serializers.IntegerField(help_text=_("Months without payments, from 1 to 36."))
    arrears = EnumChoiceField(ArrearsChoice, enum_name="ArrearsTreatmentEnum")
    reason = serializers.CharField(max_length=2000)


class RestructuringWriteSerializer(UserScopedRelations, serializers.Serializer):
    """A proposal: the loan and its new terms; nothing changes until a manager approves it."""

    scoped_fields = {"loan": loan_list}

    loan = serializers.PrimaryKeyRelatedField(queryset=Loan.objects.none())
    annual_rate = serializers.DecimalField(**RATE_OPTIONS)
    installments = serializers.IntegerField(help_text=_("How many installments the new schedule has."))
    grace_periods = serializers.IntegerField(default=0, help_text=_("Interest-only installments at its start."))
    first_due_date = BoundedDateField()
    arrears = EnumChoiceField(ArrearsChoice, enum_name="ArrearsTreatmentEnum")
    reason = serializers.CharField(max_length=2000)
