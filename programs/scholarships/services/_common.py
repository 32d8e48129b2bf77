"""Helpers every scholarship service shares beyond the kernel's (``cooperation.refusals``,
``cooperation.workflow``): dates, membership, creating a record with its history, every field error at once."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from cooperation.access import sees_everything
from cooperation.dates import check_date
from cooperation.refusals import Refusal, Refused, refuse
from cooperation.workflow import clean_with
from partners.selectors import user_organisation_ids
from programs.scholarships.services.refusals import ScholarshipRefusal


def refuse_each(code: str, messages: list, field: str = NON_FIELD_ERRORS) -> ValidationError:
    """Several problems with one field, each its own message under the same code."""
    return ValidationError({field: [ValidationError(message, code=str(code)) for message in messages]})


def date_text(value: datetime.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def check_not_future(value, field: str) -> None:
    """The date of something that happened: given, within the bounds, and not after today."""
    if value is None:
        raise refuse(ScholarshipRefusal.DATE_REQUIRED, _("Give the date."), field)
    check_date(value, field, past=True)


def create_by(record: models.Model, user) -> models.Model:
    """Save a new record, recording ``user`` in its history."""
    record._history_user = user
    record.save()
    return record


def member_or_staff_refusal(user, organisation_id: int, message) -> Refusal | None:
    """Staff who see everything act on any record; a partner user only on their own organisation's."""
    if sees_everything(user) or organisation_id in user_organisation_ids(user):
        return None
    return Refusal(Refused.NOT_PERMITTED, message, offered=False)


def member_refusal(user, organisation_id: int, message) -> Refusal | None:
    if organisation_id in user_organisation_ids(user):
        return None
    return Refusal(Refused.NOT_PERMITTED, message, offered=False)


def errors_or_clean(instance: models.Model, errors: dict, exclude=()) -> None:
    """Run the model's field validation too, then raise every error at once."""
    clean_with(instance, errors, exclude=exclude, validate_constraints=False)
