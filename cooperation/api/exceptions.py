"""Errors the services raise become the same 400/403 answers DRF gives for its own checks."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, views


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    return views.exception_handler(exc, context)
