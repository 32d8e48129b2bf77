"""Reading the API's error answers in tests.

Every error answer has one shape (``cooperation.api.exceptions``)::

    {"type": "validation_error", "errors": [{"code": "required", "detail": "This field is required.",
                                              "attr": "participants.0.organisation"}]}

Tests ask "which fields were refused, and why" through ``error_fields`` (messages) or ``error_codes`` (codes), so
they state what a client would read.
"""


def _errors(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"type", "errors"}, f"not an API error answer: {body}"
    assert body["type"] in {"validation_error", "client_error", "server_error"}, body
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}, error
        assert error["code"] and isinstance(error["code"], str), error
    return body["errors"]


def error_fields(response) -> dict[str, list[str]]:
    """The messages of an error answer by field path: ``{"participants.0.organisation": [...]}``.

    Errors that belong to no field of the input are under ``"non_field_errors"``; a whole-request
    refusal (not found, not allowed, throttled) is under ``""``.
    """
    fields: dict[str, list[str]] = {}
    for error in _errors(response):
        fields.setdefault(error["attr"] or "", []).append(error["detail"])
    return fields


def error_codes(response) -> dict[str, list[str]]:
    """The codes of an error answer by field path, like ``error_fields``: ``{"name": ["required"]}``."""
    codes: dict[str, list[str]] = {}
    for error in _errors(response):
        codes.setdefault(error["attr"] or "", []).append(error["code"])
    return codes


def error_type(response) -> str:
    """``validation_error``, ``client_error`` or ``server_error``."""
    _errors(response)
    return response.json()["type"]
