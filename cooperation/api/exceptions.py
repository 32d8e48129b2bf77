"""Errors the services raise become the same 400/403 answers DRF gives for its own checks."""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, views
from rest_framework.settings import api_settings


def validation_detail(error: DjangoValidationError) -> dict:
    """A Django ValidationError as DRF error detail: messages keyed by field, `non_field_errors` for the rest."""
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in error.message_dict.items()
    }


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        # One answer for "not yours" and "does not exist": Django's message names the model and the query.
        exc = exceptions.NotFound()
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(detail=validation_detail(exc))
    return views.exception_handler(exc, context)


@contextmanager
def service_errors(renamed: dict[str, tuple[str, ...]] | None = None):
    """Report a service's ValidationError under the names the API input uses.

    A service speaks of model fields (``budget_amount``); the API input may nest
    them (``budget.amount``), and the client must find each error next to the
    field it sent.
    """
    try:
        yield
    except DjangoValidationError as error:
        detail = validation_detail(error)
        for model_field, path in (renamed or {}).items():
            if model_field not in detail:
                continue
            messages = detail.pop(model_field)
            target = detail
            for key in path[:-1]:
                target = target.setdefault(key, {})
            target[path[-1]] = messages
        raise exceptions.ValidationError(detail) from error
