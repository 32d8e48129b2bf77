"""Every error the API gives has one shape, and the services' refusals keep their code and their field.

drf-standardized-errors formats the answer::

    {"type": "validation_error", "errors": [{"code": "required", "detail": "This field is required.", "attr": "name"}]}

``type`` is ``validation_error`` (input or a business rule refused: 400), ``client_error`` (any other 4xx) or
``server_error``; each error has a stable ``code``, a translated ``detail`` and the field it is about (``attr``:
a dotted path into the input such as ``participants.0.organisation``, ``null`` for the whole request). This module
adds what the library cannot know: a service's Django ``ValidationError`` is a 400 that keeps each message's code
(``invalid`` when the service gave none) and field, and a login refused because the account is locked out says so
with its own code.
"""

from contextlib import contextmanager

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_standardized_errors.handler import ExceptionHandler
from rest_framework import exceptions
from rest_framework.fields import get_error_detail
from rest_framework.settings import api_settings

# The code of a refusal whose service named none; services move to stable codes of their own, module by module.
GENERIC_REFUSAL_CODE = "invalid"
LOCKED_OUT_CODE = "locked_out"


def validation_detail(error: DjangoValidationError) -> dict:
    """A Django ValidationError as DRF error detail: coded messages by field, ``non_field_errors`` for the rest."""
    if not hasattr(error, "error_dict"):
        return {api_settings.NON_FIELD_ERRORS_KEY: get_error_detail(error)}
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): messages
        for field, messages in get_error_detail(error).items()
    }


class ApiExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc: Exception) -> Exception:
        if isinstance(exc, Http404):
            # One answer for "not yours" and "does not exist": Django's message names the model and the query.
            return exceptions.NotFound()
        if isinstance(exc, DjangoValidationError):
            return exceptions.ValidationError(detail=validation_detail(exc))
        if isinstance(exc, exceptions.Throttled) and self._locked_out():
            # django-axes marks the request of a locked-out username; the client must not simply retry later.
            locked_out = exceptions.Throttled(wait=None, detail=str(exc.detail), code=LOCKED_OUT_CODE)
            locked_out.wait = exc.wait
            return locked_out
        return super().convert_known_exceptions(exc)

    def _locked_out(self) -> bool:
        request = self.context.get("request")
        return bool(getattr(request, "axes_locked_out", False))


@contextmanager
def service_errors(renamed: dict[str, tuple[str, ...]] | None = None):
    """Report a service's ValidationError under the names the API input uses, with the service's codes.

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
