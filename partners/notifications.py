"""Portal notifications are read by the partner organisation they were written for.

Reading one marks it read for the whole organisation: a notification is
addressed to the organisation, not to one of its users.
"""

from collections.abc import Iterable

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from cooperation.access import require_perm
from cooperation.roles import Perm
from partners.models import Notification
from partners.selectors import user_organisation_ids


def notification_mark_read(*, notification: Notification, user) -> Notification:
    """Mark one notification of the user's organisation as read (once: the first reading time is kept)."""
    require_perm(user, Perm.VIEW_NOTIFICATION)
    if notification.organisation_id not in user_organisation_ids(user):
        # Another organisation's notification is never admitted to exist.
        raise Http404
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_read(*, notifications: Iterable[Notification], user) -> int:
    """Mark the unread ones among ``notifications`` read in one query; others' notifications are left alone.

    Returns how many were marked. The objects passed keep their ``read_at`` as it
    was, so a page rendered from them still shows which ones were new.
    """
    require_perm(user, Perm.VIEW_NOTIFICATION)
    ids = [notification.pk for notification in notifications if notification.read_at is None]
    if not ids:
        return 0
    return Notification.objects.filter(
        pk__in=ids, organisation_id__in=user_organisation_ids(user), read_at__isnull=True
    ).update(read_at=timezone.now())
