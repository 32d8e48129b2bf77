"""Helpers every scholarship service shares: refusals with field keys, reasons, row locks, saving with history."""

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from cooperation.access import sees_everything
from cooperation.dates import check_date
from partners.selectors import user_organisation_ids


def refuse(message, field: str = NON_FIELD_ERRORS) -> ValidationError:
    return ValidationError({field: message})


def require_reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise refuse(_("Give a reason."), field)
    return reason


def as_decimal(value) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def date_text(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def check_not_future(value, field: str) -> None:
    """The date of something that happened: given, within the bounds, and not after today."""
    if value is None:
        raise refuse(_("Give the date."), field)
    check_date(value, field, past=True)


def lock(record: models.Model, moves: dict, move: str) -> None:
    """Reload ``record`` under a row lock and refuse ``move`` unless its current status allows it."""
    record.refresh_from_db(from_queryset=type(record).objects.select_for_update())
    allowed, message = moves[move]
    if record.status not in allowed:
        raise refuse(str(message) % record.get_status_display())


def save(record: models.Model, user, fields: list[str] | None = None) -> models.Model:
    record._history_user = user
    if fields is None:
        record.save()
    else:
        record.save(update_fields=[*fields, "updated_at"])
    return record


def require_member_or_staff(user, organisation_id: int, message) -> None:
    """Staff who see everything act on any record; a partner user only on their own organisation's."""
    if not sees_everything(user) and organisation_id not in user_organisation_ids(user):
        raise PermissionDenied(message)


def require_member(user, organisation_id: int, message) -> None:
    if organisation_id not in user_organisation_ids(user):
        raise PermissionDenied(message)


def errors_or_clean(instance: models.Model, errors: dict, exclude=()) -> None:
    """Run the model's field validation too, then raise every error at once."""
    try:
        instance.full_clean(exclude=[*exclude, *errors], validate_constraints=False)
    except ValidationError as error:
        error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
