"""Reads of partner organisations, scoped to who asks."""

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from cooperation.access import sees_everything
from cooperation.roles import Perm
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
    """Every organisation for internal staff; a partner user sees only their own."""
    queryset = Organisation.objects.select_related("country")
    if sees_everything(user) and user.has_perm(Perm.VIEW_ORGANISATION):
        return queryset.annotate(programme_count=Count("participations", distinct=True))
    return queryset.filter(pk__in=user_organisation_ids(user)).annotate(
        programme_count=Count("participations", distinct=True)
    )


def organisation_get(*, user, pk) -> Organisation:
    return get_object_or_404(organisation_list(user=user), pk=pk)


def contact_list(*, user, organisation: Organisation) -> QuerySet[Contact]:
    # Only staff who may see contacts read them; a partner user sees their own organisation's.
    if not (user.has_perm(Perm.VIEW_CONTACT) or organisation.pk in user_organisation_ids(user)):
        return Contact.objects.none()
    return organisation.contacts.all()


def active_organisation_choices() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).only("id", "name", "acronym")
