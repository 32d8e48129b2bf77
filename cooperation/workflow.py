"""What every module's services do the same way: read numbers, ask for reasons, move a record from status to
status under a row lock, and save it naming who did it.

A module declares its moves once, in one shape::

    LOAN_MOVES = {
        "submit": Move({LoanStatus.DRAFT}, gettext_lazy("A loan can be submitted only when it is a draft; ...%s.")),
        ...
    }

``move_refusal(loan, LOAN_MOVES, "submit")`` says whether the status allows it (for guards and pages, without a
lock); ``lock_for(loan, LOAN_MOVES, "submit")`` reloads the row under a lock and refuses unless it does (for
services, inside their transaction).
"""

from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from cooperation.models import assign_fields
from cooperation.refusals import Refusal, Refused, refuse


class Move(NamedTuple):
    """From which statuses a move is allowed, and what a refusal says (``%s`` is the current status)."""

    allowed: frozenset
    message: str


def move_refusal(record: models.Model, moves: dict[str, Move], name: str) -> Refusal | None:
    """Why the record's current status does not allow the move, or None."""
    move = moves[name]
    if record.status in move.allowed:
        return None
    return Refusal(Refused.WRONG_STATUS, str(move.message) % record.get_status_display(), offered=False)


def lock_row(record: models.Model) -> models.Model:
    """Reload ``record`` under a row lock (inside the service's transaction): a concurrent write on it waits here."""
    record.refresh_from_db(from_queryset=type(record).objects.select_for_update())
    return record


def lock_for(record: models.Model, moves: dict[str, Move], name: str) -> None:
    """Reload ``record`` under a row lock, then refuse the move unless its current status allows it."""
    lock_row(record)
    refusal = move_refusal(record, moves, name)
    if refusal is not None:
        raise refusal.error()


def create_unique(record: models.Model, user, taken: Refusal) -> models.Model:
    """Save a new record naming ``user``; when a unique constraint stops it (someone saved the same thing a moment
    before), refuse with ``taken`` instead of failing."""
    record._history_user = user
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        raise taken.error() from None
    return record


def save_by(record: models.Model, user, fields: list[str]) -> models.Model:
    """Save ``fields`` (and ``updated_at`` where the model keeps one), recording ``user`` in the history."""
    record._history_user = user
    touched = [*fields, "updated_at"] if any(f.name == "updated_at" for f in record._meta.concrete_fields) else fields
    record.save(update_fields=touched)
    return record


def update_by(record: models.Model, user, fields, data: dict, *, validate=None) -> models.Model:
    """An update service's last step: set the ``fields`` that ``data`` gives; if any changed, ``validate(record)``
    (the model's ``full_clean`` by default) and save just those, naming ``user``. Nothing changed: nothing saved."""
    changed = assign_fields(record, fields, data)
    if changed:
        (validate or type(record).full_clean)(record)
        save_by(record, user, changed)
    return record


def current_value(record: models.Model, field: str):
    """What ``record`` holds in ``field``; None for a required relation not set yet (full_clean reports it)."""
    try:
        return getattr(record, field)
    except ObjectDoesNotExist:
        return None


def only_fields(service: str, data: dict, fields) -> None:
    """A programming error, not a refusal: a caller passed a field the service does not change."""
    unknown = set(data) - set(fields)
    if unknown:
        raise TypeError(f"{service}() got unexpected fields: {', '.join(sorted(unknown))}")


def new_values(service: str, data: dict, fields, defaults: dict) -> dict:
    """A create service's values for ``fields``: what ``data`` gives, ``defaults`` standing in for a value not
    given or given as None. Like a missing or unknown keyword argument, a field without a default that ``data``
    does not give is a programming error."""
    only_fields(service, data, fields)
    missing = set(fields) - set(data) - set(defaults)
    if missing:
        raise TypeError(f"{service}() missing fields: {', '.join(sorted(missing))}")
    values = {name: data.get(name) for name in fields}
    return {name: defaults[name] if value is None and name in defaults else value for name, value in values.items()}


def clean_with(record: models.Model, errors: dict, *, exclude=(), validate_constraints: bool = True) -> None:
    """Run the model's own field validation beside the service's ``errors``, then raise them all at once
    (a field the service already refused is not validated again)."""
    try:
        record.full_clean(exclude=[*exclude, *errors], validate_constraints=validate_constraints)
    except ValidationError as error:
        error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def as_decimal(value) -> Decimal | None:
    """A typed number as a Decimal (spaces around it ignored), or None when it is not a finite number."""
    if value is None or value == "":
        return None
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            return None
    return value if value.is_finite() else None


def require_reason(reason: str, field: str = "reason") -> str:
    """The reason a move asks for, stripped; refused when empty."""
    reason = (reason or "").strip()
    if not reason:
        raise refuse(Refused.REASON_REQUIRED, _("Give a reason."), field)
    return reason


def permission_refusal(user, perm: str, message: str = "") -> Refusal | None:
    """Refuse a user whose role lacks ``perm``; not offered on pages unless a message explains it."""
    if user.has_perm(perm):
        return None
    return Refusal(
        Refused.NOT_PERMITTED,
        message or _("You do not have permission to do this."),
        NON_FIELD_ERRORS,
        offered=bool(message),
    )


def maker_checker_refusal(maker_id, user, message: str) -> Refusal | None:
    """Refuse ``user`` when they made what they would now approve."""
    if maker_id is not None and maker_id == user.pk:
        return Refusal(Refused.OWN_RECORD, message)
    return None
