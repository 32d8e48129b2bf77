"""Memberships (a user working for a partner organisation) change only through their services, in the admin
too, and every change keeps a history row naming who made it: shown on the partner's page to staff who read
history, and on the membership's admin history page."""

import html
import re

import pytest
from django.contrib.admin import helpers
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cooperation.roles import Role
from partners import services
from partners.models import Membership
from partners.selectors import user_organisation_ids
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    markup = re.sub(r'<span class="visually-hidden">.*?</span>', "", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()


@pytest.fixture
def newcomer(db):
    return UserFactory(username="newcomer", first_name="Nur", last_name="Hasanah")


def add_in_admin(client, user, organisation, *, active=True):
    data = {"user": str(user.pk), "organisation": str(organisation.pk)}
    if active:
        data["is_active"] = "on"
    return client.post(reverse("admin:partners_membership_add"), data)


def test_adding_a_member_in_the_admin_records_the_administrator(client, admin_user, newcomer, partner_org):
    client.force_login(admin_user)
    assert add_in_admin(client, newcomer, partner_org).status_code == 302
    membership = Membership.objects.get(user=newcomer)
    (created,) = membership.history.all()
    assert (created.history_type, created.history_user, created.is_active) == ("+", admin_user, True)
    # The membership gives the partner role, and the user's history says who gave it.
    assert Role.PARTNER.value in newcomer.groups.values_list("name", flat=True)
    latest = newcomer.history.first()
    assert latest.history_user == admin_user
    assert [row.group.name for row in latest.groups.all()] == [Role.PARTNER.value]


def test_a_member_added_inactive_stays_inactive_with_both_steps_on_record(client, admin_user, newcomer, partner_org):
    client.force_login(admin_user)
    assert add_in_admin(client, newcomer, partner_org, active=False).status_code == 302
    membership = Membership.objects.get(user=newcomer)
    assert not membership.is_active
    assert [(row.history_type, row.is_active, row.history_user) for row in membership.history.all()] == [
        ("~", False, admin_user),
        ("+", True, admin_user),
    ]


def test_deactivating_in_the_admin_form_goes_through_the_service(client, admin_user, partner_user, partner_org):
    membership = partner_user.memberships.get()
    client.force_login(admin_user)
    url = reverse("admin:partners_membership_change", args=[membership.pk])
    assert client.post(url, {}).status_code == 302  # "active" unticked
    membership.refresh_from_db()
    assert not membership.is_active
    latest = membership.history.first()
    assert (latest.history_type, latest.is_active, latest.history_user) == ("~", False, admin_user)
    assert partner_org.pk not in user_organisation_ids(type(partner_user).objects.get(pk=partner_user.pk))


def test_the_deactivate_action_records_the_administrator(client, admin_user, partner_user, other_partner_user):
    memberships = [partner_user.memberships.get(), other_partner_user.memberships.get()]
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:partners_membership_changelist"),
        {"action": "deactivate_memberships", helpers.ACTION_CHECKBOX_NAME: [str(m.pk) for m in memberships]},
        follow=True,
    )
    assert "2 memberships deactivated." in [str(message) for message in response.context["messages"]]
    for membership in memberships:
        membership.refresh_from_db()
        assert not membership.is_active
        assert membership.history.first().history_user == admin_user


def test_the_services_need_the_membership_permissions(officer, admin_user, partner_user):
    membership = partner_user.memberships.get()
    with pytest.raises(PermissionDenied):
        services.membership_deactivate(membership=membership, deactivated_by=officer)
    with pytest.raises(PermissionDenied):
        services.membership_create(user=officer, organisation=membership.organisation, created_by=officer)
    with pytest.raises(TypeError):
        services.membership_update(membership=membership, updated_by=admin_user, organisation=None)
    membership.refresh_from_db()
    assert membership.is_active and membership.history.count() == 1  # its creation only: nothing was refused late


def test_an_unchanged_save_writes_no_history(admin_user, partner_org, newcomer):
    membership = services.membership_create(user=newcomer, organisation=partner_org, created_by=admin_user)
    services.membership_update(membership=membership, updated_by=admin_user, is_active=True)
    assert membership.history.count() == 1


def test_the_partner_page_shows_who_added_and_deactivated_members(client, officer, admin_user, newcomer, partner_org):
    membership = services.membership_create(user=newcomer, organisation=partner_org, created_by=admin_user)
    services.membership_deactivate(membership=membership, deactivated_by=admin_user)
    client.force_login(officer)
    entries = client.get(reverse("partners:detail", args=[partner_org.pk])).context["history"]
    members = [entry for entry in entries if entry.subject.startswith("Member:")]
    assert [(entry.who, entry.action, entry.subject) for entry in members] == [
        (admin_user, "changed", "Member: Nur Hasanah (newcomer)"),
        (admin_user, "created", "Member: Nur Hasanah (newcomer)"),
    ]
    assert [(c.label, c.old, c.new) for c in members[0].changes] == [("Active", "Yes", "No")]
    page = text_of(client.get(reverse("partners:detail", args=[partner_org.pk])))
    assert "Changed · Member: Nur Hasanah (newcomer) Active: Yes → No" in page


def test_auditors_read_the_membership_history_in_the_admin_and_partners_do_not(
    client, auditor, admin_user, partner_user, partner_org, newcomer
):
    membership = services.membership_create(user=newcomer, organisation=partner_org, created_by=admin_user)
    services.membership_deactivate(membership=membership, deactivated_by=admin_user)
    url = reverse("admin:partners_membership_history", args=[membership.pk])
    client.force_login(auditor)
    page = client.get(url)
    assert page.status_code == 200 and admin_user.username in text_of(page)
    assert client.post(reverse("admin:partners_membership_change", args=[membership.pk]), {}).status_code == 403

    partner_user.is_staff = True  # even a partner wrongly made staff reads no internal history
    partner_user.save(update_fields=["is_staff"])
    client.force_login(partner_user)
    assert client.get(url).status_code in (403, 404)
    assert client.get(reverse("partners:detail", args=[partner_org.pk])).status_code in (403, 404)


def test_the_partner_role_given_with_a_membership_is_not_given_twice(admin_user, partner_org, other_org, newcomer):
    services.membership_create(user=newcomer, organisation=partner_org, created_by=admin_user)
    services.membership_create(user=newcomer, organisation=other_org, created_by=admin_user)
    assert list(newcomer.groups.all()) == [Group.objects.get(name=Role.PARTNER.value)]
    assert newcomer.history.count() == 2  # created by the factory, then the role: the second gave nothing new
