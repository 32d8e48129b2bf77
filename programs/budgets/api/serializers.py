"""The budgets over the API: what a client sends (checked for shape only; the services decide the rest) and what
it reads back, amounts as strings in their currency's minor unit."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperation.api.fields import (
    AmountField,
    AmountInputField,
    BoundedDateField,
    EnumChoiceField,
    UserScopedRelations,
    code_field,
    related_with_label,
)
from cooperation.money_flows import Category
from cooperation.reference.models import Currency
from partners.models import Organisation
from partners.selectors import organisation_list
from programs.budgets import selectors
from programs.budgets.models import BudgetLine, BudgetStatus, BudgetType
from programs.models import Programme

CURRENCY_HELP = _("ISO 4217 code, e.g. USD.")


def category_field(**kwargs):
    return EnumChoiceField(Category, enum_name="BudgetCategoryEnum", **kwargs)


def budget_type_field(**kwargs):
    return EnumChoiceField(BudgetType, help_text=_("IATI BudgetType: 1 original, 2 revised."), **kwargs)


def budget_status_field(**kwargs):
    return EnumChoiceField(BudgetStatus, help_text=_("IATI BudgetStatus: 1 indicative, 2 committed."), **kwargs)


class BudgetLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    programme, programme_code = related_with_label("programme", "code")
    category = category_field(read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    period_start = serializers.DateField(read_only=True)
    period_end = serializers.DateField(read_only=True)
    amount = AmountField()
    currency = serializers.CharField(source="currency_id", read_only=True)
    budget_type = budget_type_field(read_only=True)
    status = budget_status_field(read_only=True)
    description = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class BudgetLineUpdateSerializer(serializers.Serializer):
    """A line's details; a change of amount, currency, type or status is a revision and needs ``reason``
    (refused with ``reason_required`` otherwise), which the line's history keeps."""

    category = category_field()
    period_start = BoundedDateField()
    period_end = BoundedDateField()
    amount = AmountInputField()
    currency = code_field(Currency, help_text=CURRENCY_HELP)
    budget_type = budget_type_field(required=False)
    status = budget_status_field(required=False)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    reason = serializers.CharField(max_length=100, required=False, allow_blank=True, write_only=True)


class BudgetLineCreateSerializer(UserScopedRelations, BudgetLineUpdateSerializer):
    scoped_fields = {"programme": selectors.budget_programmes}

    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())
    reason = None


class ExpenditureSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    programme, programme_code = related_with_label("programme", "code")
    budget_line = serializers.IntegerField(source="budget_line_id", read_only=True, allow_null=True)
    spent_on = serializers.DateField(read_only=True)
    amount = AmountField()
    currency = serializers.CharField(source="currency_id", read_only=True)
    category = category_field(read_only=True)
    payee = serializers.CharField(read_only=True)
    payee_organisation = serializers.IntegerField(source="payee_organisation_id", read_only=True, allow_null=True)
    reference = serializers.CharField(read_only=True)
    has_receipt = serializers.BooleanField(read_only=True)
    receipt_name = serializers.CharField(read_only=True)
    recorded_by = serializers.IntegerField(source="recorded_by_id", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class ExpenditureUpdateSerializer(UserScopedRelations, serializers.Serializer):
    scoped_fields = {"budget_line": selectors.line_list, "payee_organisation": organisation_list}

    budget_line = serializers.PrimaryKeyRelatedField(
        queryset=BudgetLine.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("A line of the same programme; without one the category and date find the line."),
    )
    spent_on = BoundedDateField(past=True)
    amount = AmountInputField()
    currency = code_field(Currency, help_text=CURRENCY_HELP)
    category = category_field()
    payee = serializers.CharField(max_length=200)
    payee_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(), required=False, allow_null=True
    )
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ExpenditureCreateSerializer(ExpenditureUpdateSerializer):
    scoped_fields = {**ExpenditureUpdateSerializer.scoped_fields, "programme": selectors.budget_programmes}

    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())


class ReceiptSerializer(serializers.Serializer):
    receipt = serializers.FileField(help_text=_("A photo (JPEG or PNG) or a PDF of the invoice or voucher."))


# --- the programme's budget against its actuals -------------------------------------------------------------------


class TotalSerializer(serializers.Serializer):
    """Amounts in several currencies and their sum in the reporting currency."""

    per_currency = serializers.DictField(child=serializers.DecimalField(max_digits=30, decimal_places=4))
    reporting_currency = serializers.CharField()
    reporting = serializers.DecimalField(max_digits=30, decimal_places=4)
    complete = serializers.BooleanField(help_text=_("False when a rate is missing: see `missing`."))
    missing = serializers.ListField(child=serializers.CharField(), help_text=_('"no rate for USD on 4 March 2026"'))
    rate_dates = serializers.SerializerMethodField(help_text=_("The currency and date of each rate used."))

    def get_rate_dates(self, total) -> list[dict]:
        return [{"currency": code, "on": on.isoformat()} for code, on in total.rate_dates]


class FiguresSerializer(serializers.Serializer):
    currency = serializers.CharField(
        source="currency.code", default=None, help_text=_("Empty when the amounts are in several currencies.")
    )
    budget = serializers.DecimalField(max_digits=30, decimal_places=4, allow_null=True)
    committed = serializers.DecimalField(max_digits=30, decimal_places=4, allow_null=True)
    actual = serializers.DecimalField(max_digits=30, decimal_places=4, allow_null=True)
    remaining = serializers.DecimalField(max_digits=30, decimal_places=4, allow_null=True)
    burn_rate = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    budget_total = TotalSerializer()
    committed_total = TotalSerializer()
    actual_total = TotalSerializer()
    remaining_reporting = serializers.DecimalField(max_digits=30, decimal_places=4, allow_null=True)
    burn_rate_reporting = serializers.DecimalField(max_digits=8, decimal_places=1, allow_null=True)
    over_budget = serializers.BooleanField()
    over_committed = serializers.BooleanField()


class LineFiguresSerializer(FiguresSerializer):
    line = serializers.IntegerField(source="line.pk")
    category = category_field(source="line.category")


class PeriodFiguresSerializer(FiguresSerializer):
    period_start = serializers.DateField()
    period_end = serializers.DateField()


class UnbudgetedSerializer(serializers.Serializer):
    category = category_field()
    source = serializers.CharField()
    total = TotalSerializer()


class ProgrammeBudgetSerializer(serializers.Serializer):
    programme = serializers.IntegerField(source="programme.pk")
    reporting_currency = serializers.CharField()
    lines = LineFiguresSerializer(many=True)
    periods = PeriodFiguresSerializer(many=True)
    overall = FiguresSerializer()
    unbudgeted = UnbudgetedSerializer(many=True)
    unbudgeted_total = TotalSerializer()
