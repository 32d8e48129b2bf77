"""What a client sends: these serializers only check its shape and types; business rules stay in the services.
Records a client names (a programme, a result, a period, a partner) are looked up among those it may see."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cooperation.api.fields import BoundedDateField, UserScopedRelations, code_field
from cooperation.api.filters import MAX_ID
from cooperation.reference.models import Currency
from partners.models import Organisation
from partners.selectors import organisation_list
from programs.models import Programme
from programs.results.api.serializers.output import (
    CURRENCY_HELP,
    direction_field,
    frequency_field,
    level_field,
    unit_field,
)
from programs.results.models import VALUE_DIGITS, Dimension, Period, Result
from programs.results.selectors import framework_programmes, period_list, result_list
from programs.results.services.periods import MOST_PERIODS

MOST_ROWS = 1000


def id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def number_field(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(**VALUE_DIGITS, **kwargs)


def text_field(max_length: int, **kwargs) -> serializers.CharField:
    return serializers.CharField(max_length=max_length, required=False, allow_blank=True, **kwargs)


# --- the framework ------------------------------------------------------------------------------------------------


class ResultUpdateSerializer(UserScopedRelations, serializers.Serializer):
    """A result's level, title and description, and the higher-level result it serves; omitted fields stay as they
    are on a partial update."""

    scoped_fields = {"parent": result_list}

    level = level_field()
    title = serializers.CharField(max_length=300)
    description = text_field(5000)
    parent = serializers.PrimaryKeyRelatedField(
        queryset=Result.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("A result of the same programme at a higher level (an output serves an outcome)."),
    )


class ResultCreateSerializer(ResultUpdateSerializer):
    scoped_fields = {**ResultUpdateSerializer.scoped_fields, "programme": framework_programmes}

    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())


LARGEST_ID = 2**31 - 1  # an id column's range on PostgreSQL


@extend_schema_field({"oneOf": [{"type": "string"}, {"type": "integer"}]})
class DimensionField(serializers.Field):
    """A disaggregation dimension named by its code (``sex``) or its id."""

    default_error_messages = {"does_not_exist": _("There is no dimension “{value}”.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("does_not_exist", value=data)
        text = str(data).strip()
        if "\x00" in text or len(text) > 100:  # no code holds these; PostgreSQL refuses a NUL in a query
            self.fail("does_not_exist", value=text[:100].replace("\x00", ""))
        lookup = Q(code=text)
        if text.isdigit() and int(text) <= LARGEST_ID:
            lookup |= Q(pk=int(text))
        dimension = Dimension.objects.filter(lookup).first()
        if dimension is None:
            self.fail("does_not_exist", value=text[:100])
        return dimension

    def to_representation(self, value):
        return value.code


class DimensionList(serializers.ListField):
    """The dimensions an indicator is broken down by; shown (the browsable API's form of a record) as their codes."""

    def to_representation(self, data):
        return [dimension.code for dimension in data.all()] if hasattr(data, "all") else super().to_representation(data)


class IndicatorUpdateSerializer(UserScopedRelations, serializers.Serializer):
    """An indicator; omitted fields stay as they are on a partial update. Once values measured against it were
    approved, every change needs a ``revision_reason``."""

    scoped_fields = {"reporter": organisation_list}

    title = serializers.CharField(max_length=300)
    definition = text_field(5000)
    unit = unit_field(required=False)
    currency = code_field(Currency, required=False, allow_null=True, help_text=CURRENCY_HELP)
    direction = direction_field(required=False)
    cumulative = serializers.BooleanField(required=False)
    baseline_value = number_field(required=False, allow_null=True)
    baseline_text = text_field(2000)
    baseline_on = BoundedDateField(required=False, allow_null=True)
    baseline_note = text_field(2000)
    target_value = number_field(required=False, allow_null=True, help_text=_("The overall target."))
    target_text = text_field(2000)
    reporter = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("The partner that reports it: one taking part in the programme."),
    )
    dimensions = DimensionList(
        child=DimensionField(),
        required=False,
        max_length=20,
        help_text=_("The dimensions it is broken down by, by code or id; given, the list replaces the current one."),
    )
    measure = text_field(80, help_text=_("The key of a figure computed from the records; empty for partners."))
    revision_reason = text_field(2000, help_text=_("Required once values measured against it were approved."))


class IndicatorCreateSerializer(IndicatorUpdateSerializer):
    scoped_fields = {**IndicatorUpdateSerializer.scoped_fields, "result": result_list}

    result = serializers.PrimaryKeyRelatedField(queryset=Result.objects.none())
    revision_reason = None


class TargetWriteSerializer(serializers.Serializer):
    period = id_field(help_text=_("A reporting period of the indicator's programme."))
    value = serializers.CharField(
        max_length=2000,
        allow_blank=True,
        allow_null=True,
        help_text=_("A number (text for a qualitative indicator); empty clears the period's target."),
    )


class TargetsSerializer(serializers.Serializer):
    targets = TargetWriteSerializer(many=True, max_length=MOST_PERIODS)
    revision_reason = text_field(2000, help_text=_("Required once values measured against it were approved."))

    def validate_targets(self, targets):
        periods = [row["period"] for row in targets]
        if len(set(periods)) != len(periods):
            raise serializers.ValidationError(_("Give each period once."))
        return targets


class PlanWriteSerializer(UserScopedRelations, serializers.Serializer):
    scoped_fields = {"programme": framework_programmes}

    programme = serializers.PrimaryKeyRelatedField(queryset=Programme.objects.none())
    frequency = frequency_field()
    due_after_days = serializers.IntegerField(
        min_value=0, max_value=365, default=30, help_text=_("Days after a period ends that its report is due.")
    )


# --- reports ------------------------------------------------------------------------------------------------------


class ReportCreateSerializer(UserScopedRelations, serializers.Serializer):
    scoped_fields = {"period": period_list, "organisation": organisation_list}

    period = serializers.PrimaryKeyRelatedField(queryset=Period.objects.none(), help_text=_("A period that has begun."))
    organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.none(), help_text=_("The reporting partner: your own organisation.")
    )


def _ids_as_keys(mapping: dict, message) -> dict:
    """A JSON object keyed by record ids, with its keys as numbers (a key that is not an id is refused)."""
    keyed = {}
    for key, value in mapping.items():
        text = str(key).strip()
        if not text.isdigit() or not 0 < int(text) <= MAX_ID:
            raise serializers.ValidationError({key: [message]})
        keyed[int(text)] = value
    return keyed


class ValueWriteSerializer(serializers.Serializer):
    indicator = id_field(help_text=_("An indicator the partner reports."))
    value = number_field(required=False, allow_null=True, help_text=_("For a numeric indicator; 1 or 0 for yes/no."))
    text = text_field(5000, help_text=_("For a qualitative indicator."))
    comment = text_field(2000)
    breakdown = serializers.DictField(
        child=number_field(),
        required=False,
        help_text=_('The value\'s parts by dimension value id: {"12": "50", "13": "40"}.'),
    )

    def validate_breakdown(self, breakdown):
        return _ids_as_keys(breakdown, _("Give the id of a dimension value."))


class NarrativeWriteSerializer(serializers.Serializer):
    result = id_field(help_text=_("A result the partner reports on."))
    text = serializers.CharField(max_length=10000, allow_blank=True)


class ReportValuesSerializer(serializers.Serializer):
    values = ValueWriteSerializer(many=True, required=False, max_length=MOST_ROWS)
    narratives = NarrativeWriteSerializer(many=True, required=False, max_length=MOST_ROWS)

    def validate_values(self, values):
        indicators = [row["indicator"] for row in values]
        if len(set(indicators)) != len(indicators):
            raise serializers.ValidationError(_("Give each indicator once."))
        return values

    def validate_narratives(self, narratives):
        results = [row["result"] for row in narratives]
        if len(set(results)) != len(results):
            raise serializers.ValidationError(_("Give each result once."))
        return narratives


class ReturnSerializer(serializers.Serializer):
    comment = text_field(2000, help_text=_("What the partner should correct, on the report as a whole."))
    indicator_comments = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True),
        required=False,
        help_text=_('What to correct of a value, by indicator id: {"7": "The attendance lists show 80."}.'),
    )

    def validate_indicator_comments(self, comments):
        return _ids_as_keys(comments, _("Give the id of an indicator of the report."))
