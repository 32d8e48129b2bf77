"""What a client reads of the results framework and the partners' reports. Values, targets and baselines are decimal
strings (never floats); every label is in the request's language."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.api.fields import ChoiceLabelField, EnumChoiceField, related_with_label, who_and_when
from programs.results import selectors, services
from programs.results.models import VALUE_DIGITS, Direction, Frequency, ReportStatus, ResultLevel, Unit

CURRENCY_HELP = _("ISO 4217 code.")


def value_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(**VALUE_DIGITS, read_only=True, **kwargs)


def level_field(**kwargs) -> EnumChoiceField:
    return EnumChoiceField(ResultLevel, enum_name="ResultLevelEnum", help_text=_("IATI result type."), **kwargs)


def unit_field(**kwargs) -> EnumChoiceField:
    return EnumChoiceField(Unit, enum_name="IndicatorUnitEnum", **kwargs)


def direction_field(**kwargs) -> EnumChoiceField:
    return EnumChoiceField(Direction, enum_name="IndicatorDirectionEnum", **kwargs)


def frequency_field(**kwargs) -> EnumChoiceField:
    return EnumChoiceField(
        Frequency, enum_name="ReportingFrequencyEnum", help_text=_("Months in a reporting period."), **kwargs
    )


# --- the framework ------------------------------------------------------------------------------------------------


class ResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    programme, programme_code = related_with_label("programme", "code")
    level = level_field(read_only=True)
    level_label = ChoiceLabelField("level", read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    parent = serializers.IntegerField(
        source="parent_id", read_only=True, allow_null=True, help_text=_("The higher-level result this one serves.")
    )
    position = serializers.IntegerField(read_only=True)
    indicators = serializers.SerializerMethodField(help_text=_("Its indicators' ids."))
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_indicators(self, result) -> list[int]:
        return [indicator.pk for indicator in result.indicators.all()]


class TargetSerializer(serializers.Serializer):
    period = serializers.IntegerField(source="period_id", read_only=True)
    starts_on = serializers.DateField(source="period.starts_on", read_only=True)
    ends_on = serializers.DateField(source="period.ends_on", read_only=True)
    value = value_field(allow_null=True)
    text = serializers.CharField(read_only=True, help_text=_("The target of a qualitative indicator."))

    def to_representation(self, target):
        # The fields read straight off the target and its period, each shaped by its own field: a page of indicators
        # carries hundreds of targets, and DRF's walk of each field's source cost more than the values themselves.
        fields, period = self.fields, target.period
        return {
            "period": fields["period"].to_representation(target.period_id),
            "starts_on": fields["starts_on"].to_representation(period.starts_on),
            "ends_on": fields["ends_on"].to_representation(period.ends_on),
            "value": None if target.value is None else fields["value"].to_representation(target.value),
            "text": fields["text"].to_representation(target.text),
        }


class IndicatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    result = serializers.IntegerField(source="result_id", read_only=True)
    programme = serializers.IntegerField(source="result.programme_id", read_only=True)
    title = serializers.CharField(read_only=True)
    definition = serializers.CharField(read_only=True)
    unit = unit_field(read_only=True)
    unit_label = ChoiceLabelField("unit", read_only=True)
    iati_measure = serializers.IntegerField(
        read_only=True, help_text=_("IATI indicator measure: 1 unit, 2 percentage, 3 nominal, 5 qualitative.")
    )
    currency = serializers.CharField(source="currency_id", read_only=True, allow_null=True, help_text=CURRENCY_HELP)
    direction = direction_field(read_only=True)
    ascending = serializers.SerializerMethodField(help_text=_("IATI's ascending: a higher value is the better one."))
    cumulative = serializers.BooleanField(read_only=True, help_text=_("Each period's value adds to the total."))
    baseline_value = value_field(allow_null=True)
    baseline_text = serializers.CharField(read_only=True)
    baseline_on = serializers.DateField(read_only=True, allow_null=True)
    baseline_note = serializers.CharField(read_only=True)
    target_value = value_field(allow_null=True, help_text=_("The overall target."))
    target_text = serializers.CharField(read_only=True)
    targets = TargetSerializer(many=True, read_only=True, help_text=_("The target of each reporting period."))
    reporter, reporter_name = (
        serializers.IntegerField(source="reporter_id", read_only=True, allow_null=True),
        serializers.CharField(source="reporter.name", read_only=True, allow_null=True),
    )
    dimensions = serializers.SerializerMethodField(help_text=_("The codes of the dimensions it is broken down by."))
    measure = serializers.CharField(
        read_only=True, help_text=_("The key of the figure it is computed from; empty when partners report it.")
    )
    position = serializers.IntegerField(read_only=True)
    revision_reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def get_dimensions(self, indicator) -> list[str]:
        return [dimension.code for dimension in indicator.dimensions.all()]

    def get_ascending(self, indicator) -> bool:
        return indicator.direction == Direction.INCREASE


class PeriodSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    programme, programme_code = related_with_label("programme", "code")
    starts_on = serializers.DateField(read_only=True)
    ends_on = serializers.DateField(read_only=True)
    due_on = serializers.DateField(read_only=True, help_text=_("When the partners' reports for it are due."))


class PlanSerializer(serializers.Serializer):
    programme = serializers.IntegerField(source="programme_id", read_only=True)
    frequency = frequency_field(read_only=True)
    frequency_label = serializers.CharField(source="get_frequency_display", read_only=True)
    due_after_days = serializers.IntegerField(read_only=True)
    periods = serializers.SerializerMethodField()

    @extend_schema_field(PeriodSerializer(many=True))
    def get_periods(self, plan) -> list:
        periods = plan.programme.reporting_periods.select_related("programme").order_by("starts_on")
        return PeriodSerializer(periods, many=True, context=self.context).data


# --- reports ------------------------------------------------------------------------------------------------------


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    period = serializers.IntegerField(source="period_id", read_only=True)
    starts_on = serializers.DateField(source="period.starts_on", read_only=True)
    ends_on = serializers.DateField(source="period.ends_on", read_only=True)
    due_on = serializers.DateField(source="period.due_on", read_only=True)
    programme = serializers.IntegerField(source="period.programme_id", read_only=True)
    programme_code = serializers.CharField(source="period.programme.code", read_only=True)
    organisation, organisation_name = related_with_label("organisation")
    status = EnumChoiceField(ReportStatus, enum_name="ResultsReportStatusEnum", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    on_behalf = serializers.BooleanField(read_only=True, help_text=_("Entered by the agency on the partner's behalf."))
    submitted_by, submitted_at = who_and_when("submitted")
    reviewed_by, reviewed_at = who_and_when("reviewed")
    review_comment = serializers.CharField(read_only=True, help_text=_("What the reviewer asked to correct."))
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class BreakdownSerializer(serializers.Serializer):
    dimension = serializers.CharField(source="dimension_value.dimension.code", read_only=True)
    dimension_value = serializers.IntegerField(source="dimension_value_id", read_only=True)
    code = serializers.CharField(source="dimension_value.code", read_only=True)
    name = serializers.CharField(source="dimension_value.name", read_only=True)
    value = value_field()


class ActualValueSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator_id", read_only=True)
    value = value_field(allow_null=True)
    text = serializers.CharField(read_only=True)
    comment = serializers.CharField(read_only=True, help_text=_("The partner's comment."))
    review_comment = serializers.CharField(read_only=True, help_text=_("The reviewer's comment on this value."))
    computed = serializers.BooleanField(read_only=True)
    breakdown = BreakdownSerializer(many=True, read_only=True)


class NarrativeSerializer(serializers.Serializer):
    result = serializers.IntegerField(source="result_id", read_only=True)
    text = serializers.CharField(read_only=True)


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text=_("Bytes."))
    uploaded_at = serializers.DateTimeField(read_only=True)


class ReportDetailSerializer(ReportSerializer):
    """A report with its values (and their breakdown), narratives, evidence and the moves open to the reader."""

    values = serializers.SerializerMethodField()
    narratives = NarrativeSerializer(many=True, read_only=True)
    evidence = EvidenceSerializer(many=True, read_only=True)
    moves = serializers.SerializerMethodField()

    @extend_schema_field(ActualValueSerializer(many=True))
    def get_values(self, report) -> list:
        actuals = selectors.report_values(report).values()
        return ActualValueSerializer(actuals, many=True, context=self.context).data

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=list(services.REPORT_MOVES)),
            help_text=_("What the reader may do to the report now: save, submit, approve, return."),
        )
    )
    def get_moves(self, report) -> list[str]:
        user = self.context["request"].user
        return [move for move in services.REPORT_MOVES if services.report_move_refusal(report, user, move) is None]
