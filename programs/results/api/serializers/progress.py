"""A programme's results progress as a client reads it: each indicator's baseline, target and approved actual to
date, how far along it is and whether that is on track, as the framework page shows them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cooperation.api.fields import EnumChoiceField
from programs.results.api.serializers.output import CURRENCY_HELP, direction_field, unit_field, value_field
from programs.results.models import VALUE_DIGITS
from programs.results.selectors.progress import STATUS_LABELS, Status

# The statuses as choices, so the schema names them as one enum.
ProgressStatus = models.TextChoices(
    "ProgressStatus", [(status.name, (status.value, STATUS_LABELS[status])) for status in Status]
)
# Percent of the way from baseline to target, to a tenth: beyond 100 once the target is passed, negative when the
# value moved the wrong way; as many digits as two values' ratio can take.
PERCENT_OPTIONS = {"max_digits": VALUE_DIGITS["max_digits"] + VALUE_DIGITS["decimal_places"] + 4, "decimal_places": 1}


class ProgressPointSerializer(serializers.Serializer):
    """One reporting period: the indicator's target for it and the value approved for it."""

    period = serializers.IntegerField(source="period.pk", read_only=True)
    starts_on = serializers.DateField(source="period.starts_on", read_only=True)
    ends_on = serializers.DateField(source="period.ends_on", read_only=True)
    target = value_field(allow_null=True)
    actual = value_field(allow_null=True, help_text=_("Empty until a report with a value for it is approved."))


class IndicatorProgressSerializer(serializers.Serializer):
    indicator = serializers.IntegerField(source="indicator.pk", read_only=True)
    title = serializers.CharField(source="indicator.title", read_only=True)
    result = serializers.IntegerField(source="indicator.result_id", read_only=True)
    result_title = serializers.CharField(source="indicator.result.title", read_only=True)
    unit = unit_field(source="indicator.unit", read_only=True)
    currency = serializers.CharField(
        source="indicator.currency_id", read_only=True, allow_null=True, help_text=CURRENCY_HELP
    )
    direction = direction_field(source="indicator.direction", read_only=True)
    cumulative = serializers.BooleanField(
        source="indicator.cumulative", read_only=True, help_text=_("Each period's value adds to the total.")
    )
    baseline = value_field(allow_null=True)
    target = value_field(
        allow_null=True,
        help_text=_(
            "What was due by the last period with an approved value (summed over the periods when values add up), "
            "else the overall target."
        ),
    )
    actual = value_field(
        allow_null=True,
        help_text=_("To date, from approved values only: their sum when values add up, else the latest."),
    )
    percent = serializers.DecimalField(
        **PERCENT_OPTIONS,
        read_only=True,
        allow_null=True,
        help_text=_(
            "How much of the way from the baseline to the target the actual has come, whichever way the indicator "
            "should move; empty until there is both a target and an approved value."
        ),
    )
    status = EnumChoiceField(ProgressStatus, enum_name="IndicatorProgressStatusEnum", read_only=True)
    status_label = serializers.CharField(source="status.label", read_only=True)
    points = ProgressPointSerializer(many=True, read_only=True, help_text=_("Each reporting period, in order."))


class StatusCountsSerializer(serializers.Serializer):
    on_track = serializers.IntegerField(read_only=True)
    at_risk = serializers.IntegerField(read_only=True)
    off_track = serializers.IntegerField(read_only=True)
    not_measured = serializers.IntegerField(read_only=True)


class ProgrammeProgressSerializer(serializers.Serializer):
    programme = serializers.IntegerField(source="programme.pk", read_only=True)
    programme_code = serializers.CharField(source="programme.code", read_only=True)
    on_track_percent = serializers.DecimalField(
        max_digits=6, decimal_places=2, read_only=True, help_text=_("At or above this percent: on track.")
    )
    at_risk_percent = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        read_only=True,
        help_text=_("At or above this percent: at risk; below: off track."),
    )
    counts = StatusCountsSerializer(read_only=True, help_text=_("How many indicators are in each status."))
    indicators = IndicatorProgressSerializer(many=True, read_only=True)
