"""Reads of saved views and scheduled reports, as the person asking may see them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404

from cooperation.exports.saved import ReportSchedule, SavedView
from cooperation.exports.tables import ExportRequest, table_for
from cooperation.roles import Role


def _shared_with(user) -> Q:
    """The views shared with one of ``user``'s roles (a superuser is an administrator)."""
    shared = Q(shared_with_role__in=Group.objects.filter(user=user).values("name"))
    if user.is_superuser:
        shared |= Q(shared_with_role=Role.ADMINISTRATOR.value)
    return shared & ~Q(shared_with_role="")


def visible_saved_views(*, user, source: str) -> QuerySet[SavedView]:
    """The views of ``source`` that ``user`` may open from its list page: their own, and those shared with one of
    their roles. One query."""
    if not (user and user.is_authenticated):
        return SavedView.objects.none()
    return SavedView.objects.filter(Q(owner=user) | _shared_with(user), source=source).select_related("owner")


def view_visible_to(view: SavedView, user) -> bool:
    """Whether ``user`` may open ``view``: its owner, or one of the role it is shared with."""
    return visible_saved_views(user=user, source=view.source).filter(pk=view.pk).exists()


def own_saved_views(*, user) -> QuerySet[SavedView]:
    """The views ``user`` saved, with their schedules and recipients."""
    return (
        SavedView.objects.filter(owner=user)
        .select_related("schedule")
        .prefetch_related("schedule__recipients")
        .order_by("source", "name", "pk")
    )


def shared_saved_views(*, user) -> QuerySet[SavedView]:
    """The views others shared with one of ``user``'s roles."""
    return SavedView.objects.filter(_shared_with(user)).exclude(owner=user).select_related("owner")


def own_saved_view(*, user, pk) -> SavedView:
    """``user``'s own view; anyone else's is a 404, as if it did not exist."""
    return get_object_or_404(SavedView, pk=pk, owner=user)


def may_read(user, source: str, params: str = "") -> bool:
    """Whether ``user`` may read list ``source`` (its export answers them rather than refusing)."""
    if not (user and user.is_active):
        return False
    try:
        table_for(source, ExportRequest(user=user, GET=QueryDict(params)))
    except (PermissionDenied, Http404):
        return False
    return True


def possible_recipients(view: SavedView) -> list:
    """The active users with an email address a view can be sent to: those who may open it (its owner and the
    users of the role it is shared with) and who may read its list."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    seeing = Q(pk=view.owner_id)
    if view.shared_with_role:
        seeing |= Q(groups__name=view.shared_with_role)
        if view.shared_with_role == Role.ADMINISTRATOR.value:
            seeing |= Q(is_superuser=True)
    candidates = users.filter(seeing).distinct().order_by("first_name", "last_name", "username")
    return [user for user in candidates if may_read(user, view.source, view.params)]


def schedule_of(view: SavedView) -> ReportSchedule | None:
    try:
        return view.schedule
    except ReportSchedule.DoesNotExist:
        return None
