"""Reading the API's error answers in tests, whatever their nesting.

Tests ask "which fields were refused, and why" through ``error_fields``, so they
state what a client would read without depending on how the body nests lists
and objects.
"""


def _flatten(value, prefix: str, into: dict[str, list[str]]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), into)
    elif isinstance(value, list) and value and all(isinstance(item, str) for item in value):
        into.setdefault(prefix, []).extend(value)
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            if inner:
                _flatten(inner, f"{prefix}.{index}" if prefix else str(index), into)
    else:
        into.setdefault(prefix, []).append(str(value))


def error_fields(response) -> dict[str, list[str]]:
    """The messages of an error answer by field path: ``{"participants.0.organisation": [...]}``.

    Errors that belong to no field are under ``"non_field_errors"``; a whole-request
    refusal (``detail``) is under ``""``.
    """
    body = response.json()
    fields: dict[str, list[str]] = {}
    if isinstance(body, dict) and set(body) == {"detail"}:
        return {"": [str(body["detail"])]}
    _flatten(body, "", fields)
    return fields
