"""The results framework and the partners' reports in and out of the API.

Output serializers shape what a client reads (values are decimal strings, never floats); the input serializers only
check the shape and types of what a client sends. Business rules stay in the services.
"""

from programs.results.api.serializers.input import (
    IndicatorCreateSerializer,
    IndicatorUpdateSerializer,
    PlanWriteSerializer,
    ReportCreateSerializer,
    ReportValuesSerializer,
    ResultCreateSerializer,
    ResultUpdateSerializer,
    ReturnSerializer,
    TargetsSerializer,
)
from programs.results.api.serializers.output import (
    IndicatorSerializer,
    PeriodSerializer,
    PlanSerializer,
    ReportDetailSerializer,
    ReportSerializer,
    ResultSerializer,
)

__all__ = [
    "IndicatorCreateSerializer",
    "IndicatorSerializer",
    "IndicatorUpdateSerializer",
    "PeriodSerializer",
    "PlanSerializer",
    "PlanWriteSerializer",
    "ReportCreateSerializer",
    "ReportDetailSerializer",
    "ReportSerializer",
    "ReportValuesSerializer",
    "ResultCreateSerializer",
    "ResultSerializer",
    "ResultUpdateSerializer",
    "ReturnSerializer",
    "TargetsSerializer",
]
