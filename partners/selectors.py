"""Reads of partner organisations, scoped to who asks."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from cooperation.access import sees_everything
from cooperation.history import HistoryEntry, HistorySource, history_for
from cooperation.pages import in_order
from cooperation.roles import Perm
from partners.contributions import organisation_counts
from partners.models import Contact, Membership, Organisation


def user_organisation_ids(user) -> list[int]:
    """The organisations a (partner) user works for, through active memberships."""
    if not (user and user.is_authenticated):
        return []
    cached = getattr(user, "_organisation_ids", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, is_active=True, organisation__is_active=True).values_list(
                "organisation_id", flat=True
            )
        )
        user._organisation_ids = cached
    return cached


def organisation_list(*, user) -> QuerySet[Organisation]:
    """Every organisation for internal staff; a partner user sees only their own. Each carries the counts other
    apps registered (``partners.contributions``)."""
    # A Count annotation drops the model's default ordering; keep lists alphabetical.
    queryset = Organisation.objects.select_related("country").order_by("name")
    if not (sees_everything(user) and user.has_perm(Perm.VIEW_ORGANISATION)):
        queryset = queryset.filter(pk__in=user_organisation_ids(user))
    return queryset.annotate(**{count.name: count.expression() for count in organisation_counts()})


def organisation_choices(*, user) -> QuerySet[Organisation]:
    """The organisations ``user`` may pick in a filter: those ``organisation_list`` shows them, without its counts."""
    queryset = Organisation.objects.order_by("name")
    if not (sees_everything(user) and user.has_perm(Perm.VIEW_ORGANISATION)):
        queryset = queryset.filter(pk__in=user_organisation_ids(user))
    return queryset


def organisation_page(ids, *, user) -> list[Organisation]:
    """The organisations of a list's page (their ``ids`` in the list's order) with the counts of
    ``organisation_list``, computed for those rows alone."""
    return in_order(ids, organisation_list(user=user))


def organisation_get(*, user, pk) -> Organisation:
    return get_object_or_404(organisation_list(user=user), pk=pk)


def contact_list(*, user, organisation: Organisation) -> QuerySet[Contact]:
    # Only staff who may see contacts read them; a partner user sees their own organisation's.
    if not (user.has_perm(Perm.VIEW_CONTACT) or organisation.pk in user_organisation_ids(user)):
        return Contact.objects.none()
    return organisation.contacts.all()


def active_organisation_choices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).only("id", "name", "acronym")


def _member(user) -> str:
    if user is None:
        return _("a removed user")
    full_name = user.get_full_name()
    return f"{full_name} ({user.username})" if full_name else user.username


def organisation_history(*, user, organisation: Organisation) -> list[HistoryEntry]:
    """The latest changes to a partner, its contacts and its members (portal accounts), newest first."""
    return history_for(
        user,
        [
            HistorySource(Organisation.history.filter(id=organisation.pk)),
            HistorySource(
                Contact.history.filter(organisation_id=organisation.pk),
                subject=lambda record: _("Contact: %(name)s") % {"name": record.name},
            ),
            HistorySource(
                Membership.history.filter(organisation_id=organisation.pk).select_related("user"),
                subject=lambda record: _("Member: %(user)s") % {"user": _member(record.user)},
                shown_on_creation=("is_active",),
            ),
        ],
    )
