"""An application's reference number, "SCH-00042": derived from its id, never stored, so it can be quoted in
correspondence and searched for by anyone who may see the application, without the applicant's name."""

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, LPad

PREFIX = "SCH-"
DIGITS = 5


def application_reference(pk: int) -> str:
    return f"{PREFIX}{pk:0{DIGITS}d}"


def reference_expression() -> Concat:
    """The same reference in SQL, for searching."""
    digits = LPad(Cast("pk", output_field=CharField()), DIGITS, Value("0"))
    return Concat(Value(PREFIX), digits, output_field=CharField())
