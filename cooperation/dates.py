"""Dates people type, and dates computed from them.

Every date a user or a partner types lies between ``EARLIEST_DATE`` and ``LATEST_DATE`` (1 January 1900 to
31 December 2199): wide enough for any birth date, programme or loan, narrow enough that a schedule counted
from it (600 annual installments at most, grant and stipend plans far shorter) stays far from the end of the
calendar. Dates of things that already happened (payments, receipts, births, a programme's actual start) are
also never after today, the organisation's date (``timezone.localdate()``).

The same rule is written once here and reaches every front end:

- ``BoundedDateField`` (model field): model validation, the Django admin and every ModelForm built from it;
- ``BoundedDateFormField`` (form field): the forms of the pages and the portal;
- ``cooperation.api.fields.BoundedDateField`` (serializer field): the API;
- ``check_date`` (service check): the services, which every front end calls.

Computed dates go through ``add_months`` and ``add_days``, which refuse (``DateOutOfRange``) a result past
``LATEST_COMPUTED_DATE`` rather than overflow; ``days_after`` is for windows of reads ("expiring within 90
days"), which stop at the calendar's end instead.
"""

import calendar
import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2199, 12, 31)
# Schedules and plans counted from a typed date end before this; windows and reminders counted from those
# dates then stay thousands of years away from the calendar's end (9999-12-31).
LATEST_COMPUTED_DATE = datetime.date(2999, 12, 31)

OUT_OF_RANGE = "date_out_of_range"
IN_THE_FUTURE = "date_in_the_future"


class DateOutOfRange(ValueError):
    """A date computed from others would fall outside the calendar the application keeps."""


def _text(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def range_message() -> str:
    return _("Enter a date between %(earliest)s and %(latest)s.") % {
        "earliest": _text(EARLIEST_DATE),
        "latest": _text(LATEST_DATE),
    }


def future_message() -> str:
    return _("This date is in the future.")


def _as_date(value) -> datetime.date | None:
    # The date as typed: converting 0001-01-01 00:00 (+07:00) to another zone would leave the calendar.
    if isinstance(value, datetime.datetime):
        return value.date()
    return value if isinstance(value, datetime.date) else None


def in_range(value) -> bool:
    day = _as_date(value)
    return day is None or EARLIEST_DATE <= day <= LATEST_DATE


def validate_date_in_range(value) -> None:
    """Django validator: a typed date (or date and time) within the bounds."""
    if not in_range(value):
        raise ValidationError(range_message(), code=OUT_OF_RANGE)


def validate_not_future(value) -> None:
    """Django validator: the date of something that already happened is not after today (a date outside the
    bounds is left to ``validate_date_in_range``: comparing it with now could overflow)."""
    if value is None or not in_range(value):
        return
    if isinstance(value, datetime.datetime):
        if value > timezone.now():
            raise ValidationError(_("This time is in the future."), code=IN_THE_FUTURE)
        return
    if value is not None and value > timezone.localdate():
        raise ValidationError(future_message(), code=IN_THE_FUTURE)


def date_error(value, *, past: bool = False) -> ValidationError | None:
    """Why ``value`` cannot be taken as a typed date (None when it can)."""
    try:
        validate_date_in_range(value)
        if past:
            validate_not_future(value)
    except ValidationError as error:
        return error
    return None


def check_date(value, field: str = NON_FIELD_ERRORS, *, past: bool = False) -> None:
    """The services' check of a typed date, keyed by ``field``; a missing date (None) is left to the caller."""
    error = date_error(value, past=past)
    if error is not None:
        raise ValidationError({field: error})


def check_dates(values: dict, *, past=()) -> None:
    """``check_date`` for several fields at once; every refusal is reported together."""
    errors = {}
    for field, value in values.items():
        error = date_error(value, past=field in past)
        if error is not None:
            errors[field] = error
    if errors:
        raise ValidationError(errors)


# --- arithmetic on dates ------------------------------------------------------------------------------------------


def add_months(anchor: datetime.date, months: int) -> datetime.date:
    """``anchor`` moved by whole months, keeping its day or the month's last day when shorter.

    Always counted from the anchor, so 31 Jan → 28/29 Feb → 31 Mar, never 28 Mar. Refuses (``DateOutOfRange``)
    a result outside 1 January of year 1 to ``LATEST_COMPUTED_DATE``.
    """
    month_index = anchor.month - 1 + months
    year, month = anchor.year + month_index // 12, month_index % 12 + 1
    if not 1 <= year <= LATEST_COMPUTED_DATE.year:
        raise DateOutOfRange(f"{anchor} + {months} months is outside the calendar")
    return datetime.date(year, month, min(anchor.day, calendar.monthrange(year, month)[1]))


def add_days(anchor: datetime.date, days: int) -> datetime.date:
    """``anchor`` moved by ``days``; refuses (``DateOutOfRange``) a result past ``LATEST_COMPUTED_DATE``."""
    try:
        result = anchor + datetime.timedelta(days=days)
    except OverflowError:
        raise DateOutOfRange(f"{anchor} + {days} days is outside the calendar") from None
    if result > LATEST_COMPUTED_DATE:
        raise DateOutOfRange(f"{anchor} + {days} days is after {LATEST_COMPUTED_DATE}")
    return result


def days_after(anchor: datetime.date, days: int) -> datetime.date:
    """The end of a window of ``days`` from ``anchor``, stopping at the calendar's last or first day."""
    try:
        return anchor + datetime.timedelta(days=days)
    except OverflowError:
        return datetime.date.max if days > 0 else datetime.date.min


def computed_date_message() -> str:
    message = _("The dates computed from this one would run past %(latest)s: choose an earlier date or a shorter term.")
    return message % {"latest": _text(LATEST_COMPUTED_DATE)}


# --- fields -------------------------------------------------------------------------------------------------------


@deconstructible
class NotInFuture:
    """Model-field validator (serialisable in migrations) for dates of things that already happened."""

    def __call__(self, value):
        validate_not_future(value)

    def __eq__(self, other):
        return isinstance(other, NotInFuture)

    def __hash__(self):
        return hash(type(self))


class BoundedDateFormField(forms.DateField):
    """A date typed into a form, within the bounds (and not after today with ``past=True``).

    Browsers that know ``<input type="date">`` also keep the picker within the bounds.
    """

    default_validators = [validate_date_in_range]

    def __init__(self, *, past: bool = False, **kwargs):
        self.past = past
        super().__init__(**kwargs)
        if past:
            self.validators.append(validate_not_future)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.DateInput) and "date" in (widget.input_type, widget.attrs.get("type")):
            attrs.setdefault("min", EARLIEST_DATE.isoformat())
            attrs.setdefault("max", LATEST_DATE.isoformat())
        return attrs


class BoundedDateField(models.DateField):
    """A date a person types, stored as a plain date: model validation keeps it within the bounds (and not
    after today with ``past=True``), and the forms built from it (pages, admin) use ``BoundedDateFormField``."""

    default_validators = [validate_date_in_range]

    def __init__(self, *args, past: bool = False, **kwargs):
        self.past = past
        super().__init__(*args, **kwargs)

    @property
    def validators(self):
        return [*self.default_validators, *self._validators, *([NotInFuture()] if self.past else [])]

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.past:
            kwargs["past"] = True
        return name, path, args, kwargs

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": BoundedDateFormField, "past": self.past, **kwargs})


def command_date(value: str, option: str = "--today") -> datetime.date:
    """A date given to a management command: ISO format, within the bounds (else a CommandError)."""
    from django.core.management.base import CommandError

    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"{option}: {value!r} is not a date in the form YYYY-MM-DD.") from error
    if not in_range(day):
        raise CommandError(f"{option}: give a date from {EARLIEST_DATE} to {LATEST_DATE}.")
    return day
