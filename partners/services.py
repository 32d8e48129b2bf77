"""Every write to partner organisations, their contacts and memberships."""

from django.db import transaction

from cooperation.access import require_perm
from cooperation.accounts.user_access import role_given_with_membership
from cooperation.models import assign_fields
from cooperation.roles import Perm, Role
from partners.models import Contact, Membership, Organisation

ORGANISATION_FIELDS = ("name", "acronym", "kind", "country", "iati_identifier", "website", "address", "is_active")
MEMBERSHIP_FIELDS = ("is_active",)
CONTACT_FIELDS = ("name", "email", "phone", "position", "receives_reminders", "preferred_language", "is_active")


@transaction.atomic
def organisation_create(*, created_by, **data) -> Organisation:
    require_perm(created_by, Perm.ADD_ORGANISATION)
    organisation = Organisation()
    assign_fields(organisation, ORGANISATION_FIELDS, data)
    organisation._history_user = created_by
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, updated_by, **data) -> Organisation:
    require_perm(updated_by, Perm.CHANGE_ORGANISATION)
    changed = assign_fields(organisation, ORGANISATION_FIELDS, data)
    if changed:
        organisation._history_user = updated_by
        organisation.full_clean()
        organisation.save(update_fields=[*changed, "updated_at"])
    return organisation


@transaction.atomic
def contact_create(*, organisation: Organisation, created_by, **data) -> Contact:
    require_perm(created_by, Perm.ADD_CONTACT)
    contact = Contact(organisation=organisation)
    assign_fields(contact, CONTACT_FIELDS, data)
    contact._history_user = created_by
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_update(*, contact: Contact, updated_by, **data) -> Contact:
    require_perm(updated_by, Perm.CHANGE_CONTACT)
    changed = assign_fields(contact, CONTACT_FIELDS, data)
    if changed:
        contact._history_user = updated_by
        contact.full_clean()
        contact.save(update_fields=[*changed, "updated_at"])
    return contact


@transaction.atomic
def membership_create(*, user, organisation: Organisation, created_by) -> Membership:
    """Give a user access to the partner portal as staff of ``organisation`` (and so the partner role)."""
    require_perm(created_by, Perm.ADD_MEMBERSHIP)
    membership = Membership(user=user, organisation=organisation)
    membership.full_clean()
    membership._history_user = created_by
    membership.save()
    role_given_with_membership(user=user, role=Role.PARTNER, given_by=created_by)
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, updated_by, **data) -> Membership:
    """Change what may change on a membership: whether it is active (its user and organisation stay)."""
    require_perm(updated_by, Perm.CHANGE_MEMBERSHIP)
    unknown = set(data) - set(MEMBERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"membership_update() got unexpected fields: {', '.join(sorted(unknown))}")
    membership.refresh_from_db(from_queryset=Membership.objects.select_for_update())
    changed = assign_fields(membership, MEMBERSHIP_FIELDS, data)
    if changed:
        membership._history_user = updated_by
        membership.full_clean()
        membership.save(update_fields=[*changed, "updated_at"])
    return membership


def membership_deactivate(*, membership: Membership, deactivated_by) -> Membership:
    """The user no longer works for the organisation: they stop seeing its records in the portal."""
    return membership_update(membership=membership, updated_by=deactivated_by, is_active=False)
