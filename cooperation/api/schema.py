"""The OpenAPI schema documents every error an operation can answer, in the one shape of ``cooperation.api.exceptions``.

drf-standardized-errors adds the error responses to each operation from what the view is (authentication,
permissions, parsers, throttles, pagination, path parameters) and lists, per input field, the codes the input
checks can give. Two things it cannot see are added here:

- a write is answered 400 when a business rule refuses it, even with no body (a loan that is not a draft cannot be
  submitted), and the rule's error may name any field or none: each write's errors accept a refusal
  (``RefusalError``) beside the documented input errors;
- errors inside lists are reported at the row's position (``participants.0.organisation``): the schema states
  them as patterns instead of the library's placeholder names (``participants.INDEX.organisation``).

Nothing here is per view: a new endpoint gets its error responses from the same rules.
"""

import functools
import re

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.plumbing import get_doc
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ValidationErrorEnum
from drf_standardized_errors.openapi_utils import (
    get_error_examples,
    get_flat_serializer_fields,
    get_serializer_fields_with_error_codes,
)
from drf_standardized_errors.settings import package_settings
from inflection import camelize
from rest_framework import serializers
from rest_framework.settings import api_settings

from cooperation.api.authentication import SessionAuthentication
from cooperation.api.exceptions import GENERIC_REFUSAL_CODE, LOCKED_OUT_CODE
from cooperation.kept import FIGURES_AS_OF
from cooperation.middleware import NULL_CHARACTER_CODE

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
REFUSAL_COMPONENT = "RefusalError"


class RequestErrorCode(models.TextChoices):
    PARSE_ERROR = "parse_error", _("The body could not be read (malformed JSON, a broken upload).")
    NULL_CHARACTER = NULL_CHARACTER_CODE, _("Text in the query or the body carries the NUL character.")


class ThrottledCode(models.TextChoices):
    THROTTLED = "throttled", _("Too many requests: try again after Retry-After seconds.")
    LOCKED_OUT = LOCKED_OUT_CODE, _("Too many failed logins: the account is locked for a while.")


def error_body(codes: type[models.TextChoices], name: str, body_name: str, description: str = ""):
    """The body of one kind of whole-request error, ``{"type", "errors": [{"code", "detail", "attr"}]}``, with
    ``codes`` as the codes it may carry, documented as the components ``name`` (one error) and ``body_name``."""

    class Error(serializers.Serializer):
        code = serializers.ChoiceField(choices=codes.choices)
        detail = serializers.CharField()
        attr = serializers.CharField(allow_null=True)

        class Meta:
            ref_name = name

    class Body(serializers.Serializer):
        type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
        errors = Error(many=True)

        class Meta:
            ref_name = body_name

    Body.__doc__ = description or None
    return Body


RequestErrorResponseSerializer = error_body(
    RequestErrorCode,
    "RequestError",
    "RequestErrorResponse",
    "A request the API could not read at all; nothing was checked or saved.",
)
ThrottledResponseSerializer = error_body(ThrottledCode, "Error429", "ErrorResponse429")


@functools.lru_cache(maxsize=8)
def _error_examples(language: str | None) -> tuple:
    # The same examples (one per whole-request error) for every operation: built once per language, not 1,000 times.
    return tuple(get_error_examples())


FIGURES_AS_OF_HEADER = OpenApiParameter(
    FIGURES_AS_OF,
    OpenApiTypes.DATETIME,
    OpenApiParameter.HEADER,
    response=[200],
    description=_(
        "Present when the list is answered as it was computed at this time, before a change someone else has just "
        "made, while the change is being added: ask again in a moment for it. A client's own writes show in its "
        "next list at once."
    ),
)


class AutoSchema(StandardizedErrorsAutoSchema):
    def get_description(self) -> str:
        # A view describes itself or not at all: a base class's docstring (the kernel's ``RecordViewSet``) is about
        # the code every viewset shares, not about this endpoint.
        view_class = type(self.view)
        action = getattr(self.view, getattr(self.view, "action", self.method.lower()), None)
        return get_doc(action) or (get_doc(view_class) if view_class.__doc__ else "")

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._is_kept_list():
            parameters.append(FIGURES_AS_OF_HEADER)
        return parameters

    def _is_kept_list(self) -> bool:
        """A list answered as last computed after someone else's change (``RecordViewSet.list``)."""
        from cooperation.api.viewsets import RecordViewSet

        return getattr(self.view, "action", None) == "list" and isinstance(self.view, RecordViewSet)

    def _get_error_response_examples(self):
        status_codes = set(self._get_allowed_error_status_codes())
        examples = _error_examples(translation.get_language())
        return [example for example in examples if status_codes.intersection(example.status_codes)]

    def _should_add_http403_error_response(self) -> bool:
        # The session authentication refuses (403) a session whose account must first turn on two-factor login,
        # whatever permission the view asks for.
        authenticators = getattr(self.view, "authentication_classes", ())
        if any(issubclass(authenticator, SessionAuthentication) for authenticator in authenticators):
            return True
        return super()._should_add_http403_error_response()

    def _should_add_parse_error_response(self) -> bool:
        # Only a body is parsed: a read never answers "could not be read", whatever parsers the view has.
        return self.method in ("POST", "PUT", "PATCH") and super()._should_add_parse_error_response()

    def _should_add_validation_error_response(self) -> bool:
        # Services refuse writes that break a business rule with a 400, whether or not the write has a body.
        return self.method in WRITE_METHODS or super()._should_add_validation_error_response()

    def _determine_fields_with_error_codes(self):
        request = self.get_request_serializer() if self.method in ("PUT", "PATCH", "POST") else None
        if isinstance(request, dict):  # one serializer per media type (an upload): their fields
            fields = get_flat_serializer_fields([serializer for serializer in request.values() if serializer])
            return get_serializer_fields_with_error_codes(fields)
        return super()._determine_fields_with_error_codes()

    def _get_validation_error_codes_by_field(self, data_fields):
        codes = super()._get_validation_error_codes_by_field(data_fields)
        if not codes:  # a write with no body: its refusals are about the record as a whole
            codes[api_settings.NON_FIELD_ERRORS_KEY] = {GENERIC_REFUSAL_CODE}
        return codes

    def _get_http400_serializer(self):
        # The library's own, with the request errors of this API (the NUL character) beside its parse errors.
        http400_serializers = {}
        if self._should_add_validation_error_response():
            http400_serializers[ValidationErrorEnum.VALIDATION_ERROR.value] = (
                self._get_serializer_for_validation_error_response()
            )
        http400_serializers[ClientErrorEnum.CLIENT_ERROR.value] = RequestErrorResponseSerializer
        return PolymorphicProxySerializer(
            component_name=f"{camelize(self.get_operation_id())}ErrorResponse400",
            serializers=http400_serializers,
            resource_type_field_name="type",
        )


REFUSAL_DESCRIPTION = _(
    "A business rule refused the request; nothing was saved. `code` is the rule's stable code (`%(generic)s` where "
    "the rule has no code of its own yet); `attr` is the field of the input it is about, `non_field_errors` for the "
    "record as a whole, or null."
)


def _refusal_schema() -> dict:
    return {
        "type": "object",
        "description": str(REFUSAL_DESCRIPTION) % {"generic": GENERIC_REFUSAL_CODE},
        "properties": {
            "code": {"type": "string"},
            "detail": {"type": "string"},
            "attr": {"type": "string", "nullable": True},
        },
        "required": ["code", "detail", "attr"],
    }


def _component(schemas: dict, ref_holder: dict) -> dict | None:
    ref = ref_holder.get("$ref", "")
    return schemas.get(ref.rsplit("/", 1)[-1]) if ref.startswith("#/components/schemas/") else None


def _attr_pattern(attr: str) -> tuple[str, str] | None:
    """The pattern and readable form of an attr with list positions or dict keys in it; None for a plain name."""
    separator = package_settings.NESTED_FIELD_SEPARATOR
    placeholders = {
        package_settings.LIST_INDEX_IN_API_SCHEMA: (r"\d+", "<position>"),
        package_settings.DICT_KEY_IN_API_SCHEMA: (r"[^" + re.escape(separator) + r"]+", "<key>"),
    }
    parts = attr.split(separator)
    if not any(part in placeholders for part in parts):
        return None
    pattern = re.escape(separator).join(placeholders.get(part, (re.escape(part), ""))[0] for part in parts)
    readable = separator.join(placeholders.get(part, ("", part))[1] for part in parts)
    return f"^{pattern}$", f"`{readable}`"


def _errors_components(schemas: dict, operation: dict):
    """The component listing the possible errors of an operation's 400 validation error, if any."""
    response = operation.get("responses", {}).get("400", {})
    body = response.get("content", {}).get("application/json", {}).get("schema", {})
    error_response = _component(schemas, body)
    for variant in (error_response or {}).get("oneOf", []):
        validation_error = _component(schemas, variant)
        if validation_error and "errors" in validation_error.get("properties", {}):
            items = _component(schemas, validation_error["properties"]["errors"].get("items", {}))
            if items is not None:
                yield items


def postprocess_error_responses(result, generator, request, public):
    """Placeholders in attrs become patterns; a write's errors also admit a refusal by a business rule."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas[REFUSAL_COMPONENT] = _refusal_schema()
    refusal_ref = {"$ref": f"#/components/schemas/{REFUSAL_COMPONENT}"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            for errors in _errors_components(schemas, operation):
                variants = errors.get("oneOf") or errors.get("anyOf") or []
                for variant in variants:
                    attr_schema = (_component(schemas, variant) or {}).get("properties", {}).get("attr", {})
                    for attr in attr_schema.get("enum") or []:
                        patterned = _attr_pattern(attr) if attr else None
                        if patterned:
                            attr_schema.pop("enum")
                            attr_schema["pattern"], attr_schema["description"] = patterned
                            errors.pop("discriminator", None)  # a pattern is no discriminator value
                if method.upper() in WRITE_METHODS and "oneOf" in errors:
                    # A refusal may be about a documented field too: any of the variants, not exactly one.
                    errors["anyOf"] = [*errors.pop("oneOf"), refusal_ref]
                    errors.pop("discriminator", None)
    return result
