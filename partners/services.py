"""Every write to partner organisations, their contacts and memberships."""

from django.db import transaction

from cooperation import registry
from cooperation.access import require_perm
from cooperation.accounts.user_access import role_given_with_membership
from cooperation.models import assign_fields
from cooperation.roles import Perm, Role
from cooperation.workflow import lock_row, only_fields, update_by
from partners.models import Contact, Membership, Organisation

ORGANISATION_FIELDS = (
    "name",
    "acronym",
    "kind",
    "country",
    "iati_identifier",
    "website",
    "address",
    "is_active",
    "dac_category",
    "area",
)
MEMBERSHIP_FIELDS = ("is_active",)
CONTACT_FIELDS = ("name", "email", "phone", "position", "receives_reminders", "preferred_language", "is_active")


def _create(record, fields, data: dict, created_by):
    assign_fields(record, fields, data)
    record.full_clean()
    record._history_user = created_by
    record.save()
    return record


@transaction.atomic
def organisation_create(*, created_by, **data) -> Organisation:
    require_perm(created_by, Perm.ADD_ORGANISATION)
    return _create(Organisation(), ORGANISATION_FIELDS, data, created_by)


@transaction.atomic
def organisation_update(*, organisation: Organisation, updated_by, **data) -> Organisation:
    require_perm(updated_by, Perm.CHANGE_ORGANISATION)
    category_before, name_before = organisation.dac_category, organisation.name
    update_by(organisation, updated_by, ORGANISATION_FIELDS, data)
    if organisation.dac_category != category_before:
        registry.announce("organisation.dac_category_changed", organisation=organisation, changed_by=updated_by)
    if organisation.name != name_before:
        registry.announce("organisation.renamed", organisation=organisation, changed_by=updated_by)
    return organisation


@transaction.atomic
def contact_create(*, organisation: Organisation, created_by, **data) -> Contact:
    require_perm(created_by, Perm.ADD_CONTACT)
    return _create(Contact(organisation=organisation), CONTACT_FIELDS, data, created_by)


@transaction.atomic
def contact_update(*, contact: Contact, updated_by, **data) -> Contact:
    require_perm(updated_by, Perm.CHANGE_CONTACT)
    return update_by(contact, updated_by, CONTACT_FIELDS, data)


@transaction.atomic
def membership_create(*, user, organisation: Organisation, created_by) -> Membership:
    """Give a user access to the partner portal as staff of ``organisation`` (and so the partner role)."""
    require_perm(created_by, Perm.ADD_MEMBERSHIP)
    membership = _create(Membership(user=user, organisation=organisation), (), {}, created_by)
    role_given_with_membership(user=user, role=Role.PARTNER, given_by=created_by)
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, updated_by, **data) -> Membership:
    """Change what may change on a membership: whether it is active (its user and organisation stay)."""
    require_perm(updated_by, Perm.CHANGE_MEMBERSHIP)
    only_fields("membership_update", data, MEMBERSHIP_FIELDS)
    lock_row(membership)
    return update_by(membership, updated_by, MEMBERSHIP_FIELDS, data)


def membership_deactivate(*, membership: Membership, deactivated_by) -> Membership:
    """The user no longer works for the organisation: they stop seeing its records in the portal."""
    return membership_update(membership=membership, updated_by=deactivated_by, is_active=False)
