"""Exchange rates over the API, with the same permissions as the pages: staff who may see or enter rates."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_utils import get_flat_serializer_fields, get_serializer_fields_with_error_codes
from rest_framework.decorators import action
from rest_framework.response import Response

from cooperation import exchange
from cooperation.api.schema import AutoSchema
from cooperation.api.viewsets import CreateByService, RecordViewSet, documented, writes
from cooperation.dates import OUT_OF_RANGE
from cooperation.reference import selectors, services
from cooperation.reference.api.serializers import (
    ConversionQuerySerializer,
    ConvertedSerializer,
    ExchangeRateInputSerializer,
    ExchangeRateSerializer,
)
from cooperation.reference.filters import ExchangeRateFilter
from cooperation.reference.models import ExchangeRate


class RatesSchema(AutoSchema):
    """The conversion reads its query parameters itself (no filter set): a bad one is a 400 like a bad filter."""

    def _should_add_validation_error_response(self) -> bool:
        return getattr(self.view, "action", None) == "convert" or super()._should_add_validation_error_response()

    def _determine_fields_with_error_codes(self):
        if getattr(self.view, "action", None) == "convert":
            fields = get_flat_serializer_fields(ConversionQuerySerializer())
            return get_serializer_fields_with_error_codes(fields)
        return super()._determine_fields_with_error_codes()

    def _get_validation_error_codes_by_field(self, data_fields):
        codes = super()._get_validation_error_codes_by_field(data_fields)
        if getattr(self.view, "action", None) == "convert":
            codes["on"].add(OUT_OF_RANGE)  # the date's bounds, checked by a validator the schema cannot read
        return codes


@documented(
    tag="exchange-rates",
    list=_("List exchange rates"),
    retrieve=_("Show an exchange rate"),
    create=(
        _("Enter an exchange rate"),
        _("One unit of from_currency is worth rate units of to_currency on the day on; one rate per day and pair."),
    ),
)
class ExchangeRateViewSet(CreateByService, RecordViewSet):
    # No change or delete here: a rate already used stays fixed for the events it converted; corrections are made
    # on the rates page, which says so.
    http_method_names = ["get", "post", "head", "options"]
    schema = RatesSchema()
    model = ExchangeRate
    selectors = (selectors.exchange_rate_list, selectors.exchange_rate_get)
    create_service = (services.exchange_rate_create, "created_by")
    serializer_class = ExchangeRateSerializer
    write_serializer_classes = writes(create=ExchangeRateInputSerializer)
    filterset_class = ExchangeRateFilter

    @extend_schema(
        summary=_("Convert an amount into the reporting currency"),
        description=_(
            "At the latest rate on or before the date, fixed for that currency and date the first time it is used. "
            "Without a rate, amount is null and missing says so."
        ),
        parameters=[ConversionQuerySerializer],
        responses={200: ConvertedSerializer},
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def convert(self, request):
        query = ConversionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        converted = exchange.convert(
            query.validated_data["amount"], query.validated_data["currency"], query.validated_data["on"]
        )
        return Response(ConvertedSerializer(converted).data)
