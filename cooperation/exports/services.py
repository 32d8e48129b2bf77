"""Writes of saved views and their schedules. Only a view's owner changes it or its schedule; a recipient may
take themselves off a schedule."""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from cooperation.exports import selectors
from cooperation.exports.saved import SHARED_CHOICES, Frequency, ReportSchedule, SavedView
from cooperation.exports.tables import ExportRequest, list_params, table_for

logger = logging.getLogger(__name__)


def _check_list_path(list_path: str) -> str:
    """The list page's own path: on this site, and a page it serves."""
    path = (list_path or "").split("?")[0]
    if not path.startswith("/") or not url_has_allowed_host_and_scheme(path, allowed_hosts=None):
        raise ValidationError({"list_path": _("This is not a page of Kerjasama.")}, code="bad_path")
    try:
        resolve(path)
    except Resolver404:
        raise ValidationError({"list_path": _("This is not a page of Kerjasama.")}, code="bad_path") from None
    return path


def _check_shared_with(role: str) -> str:
    role = role or ""
    if role and role not in dict(SHARED_CHOICES):
        raise ValidationError({"shared_with_role": _("Choose one of the roles offered.")}, code="bad_role")
    return role


def _require_owner(view: SavedView, user) -> None:
    if view.owner_id != user.pk:
        raise PermissionDenied


def _save_view(view: SavedView) -> SavedView:
    view.name = " ".join((view.name or "").split())
    view.full_clean(exclude=["owner"])
    taken = ValidationError({"name": _("You already have a view of this list with this name.")}, code="duplicate")
    same_name = SavedView.objects.filter(owner=view.owner, source=view.source, name=view.name).exclude(pk=view.pk)
    if same_name.exists():
        raise taken
    try:
        with transaction.atomic():
            view.save()
    except IntegrityError:  # another request saved the same name meanwhile
        raise taken from None
    return view


def saved_view_create(
    *, user, name: str, source: str, list_path: str, params: str = "", shared_with_role: str = ""
) -> SavedView:
    """Save the list ``source``'s filters and sort (``params``, its query string) under ``name``; refused
    (PermissionDenied) to anyone who may not read the list."""
    params = list_params(params or "")
    table_for(source, ExportRequest(user=user, GET=QueryDict(params)))  # 404 or 403 for a list out of reach
    view = SavedView(
        owner=user,
        name=name,
        source=source,
        list_path=_check_list_path(list_path),
        params=params,
        shared_with_role=_check_shared_with(shared_with_role),
    )
    saved = _save_view(view)
    logger.info("Saved view %s of %s saved by %s.", saved.pk, source, user)
    return saved


def saved_view_rename(*, view: SavedView, user, name: str, shared_with_role: str | None = None) -> SavedView:
    """Give the owner's view another name and, when given, share it with another role (or nobody: "")."""
    _require_owner(view, user)
    view.name = name
    if shared_with_role is not None:
        view.shared_with_role = _check_shared_with(shared_with_role)
    return _save_view(view)


def saved_view_delete(*, view: SavedView, user) -> None:
    """Delete the owner's view, and its schedule with it."""
    _require_owner(view, user)
    logger.info("Saved view %s deleted by %s.", view.pk, user)
    view.delete()


# --- schedules ------------------------------------------------------------------------------------------------------


def check_recipients(view: SavedView, recipients) -> list:
    """The recipients, each of whom may open the view and read its list; else a refusal naming who may not."""
    refused = []
    for recipient in recipients:
        if not (recipient.is_active and recipient.email):
            refused.append(_("%(name)s has no active account with an email address.") % {"name": _name(recipient)})
        elif not selectors.view_visible_to(view, recipient):
            refused.append(_("This view is not shared with %(name)s.") % {"name": _name(recipient)})
        elif not selectors.may_read(recipient, view.source, view.params):
            refused.append(_("%(name)s may not see this list.") % {"name": _name(recipient)})
    if refused:
        raise ValidationError({"recipients": refused}, code="recipient_refused")
    return list(recipients)


def _name(user) -> str:
    return user.get_full_name() or user.username


def _apply(
    schedule: ReportSchedule,
    *,
    frequency: str,
    weekday: int | None,
    day_of_month: int | None,
    recipients,
    active: bool,
    today: datetime.date | None,
) -> ReportSchedule:
    today = today or timezone.localdate()
    recipients = check_recipients(schedule.saved_view, recipients)
    if frequency == Frequency.WEEKLY:
        if weekday is None:
            raise ValidationError({"weekday": _("Choose the weekday the report is sent on.")}, code="no_weekday")
        day_of_month = None
    elif frequency == Frequency.MONTHLY:
        if day_of_month is None:
            raise ValidationError({"day_of_month": _("Choose the day of the month.")}, code="no_day")
        weekday = None
    was_active = schedule.active and schedule.pk is not None
    if active and (not was_active or schedule.frequency != frequency):
        schedule.starts_on = today  # periods missed while it was off (or under another frequency) are not sent
    schedule.frequency, schedule.weekday, schedule.day_of_month, schedule.active = (
        frequency,
        weekday,
        day_of_month,
        active,
    )
    if schedule.starts_on is None:
        schedule.starts_on = today
    schedule.full_clean(exclude=["saved_view"])
    with transaction.atomic():
        schedule.save()
        schedule.recipients.set(recipients)
    return schedule


def schedule_create(*, view: SavedView, user, today: datetime.date | None = None, **values) -> ReportSchedule:
    """Send the owner's view as XLSX to ``recipients`` weekly (on ``weekday``) or monthly (on ``day_of_month``),
    from ``today`` on."""
    _require_owner(view, user)
    if selectors.schedule_of(view) is not None:
        return schedule_update(schedule=view.schedule, user=user, today=today, **values)
    return _apply(ReportSchedule(saved_view=view), today=today, **values)


def schedule_update(*, schedule: ReportSchedule, user, today: datetime.date | None = None, **values) -> ReportSchedule:
    """Change the schedule of the owner's view: its frequency, day, recipients, on or off."""
    _require_owner(schedule.saved_view, user)
    return _apply(schedule, today=today, **values)


def schedule_delete(*, schedule: ReportSchedule, user) -> None:
    _require_owner(schedule.saved_view, user)
    schedule.delete()


def schedule_unsubscribe(*, schedule: ReportSchedule, user) -> None:
    """Take ``user`` off the schedule's recipients (their own choice, from the link in a report)."""
    schedule.recipients.remove(user)
    logger.info("%s unsubscribed from scheduled report %s.", user, schedule.pk)
