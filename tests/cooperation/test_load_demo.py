"""`manage.py load_demo`: realistic data for every role, and a second run changes nothing."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Max

from cooperation.reference.codes import ActivityStatus, OrganisationType
from cooperation.roles import Role, roles_of
from partners.models import Contact, Organisation
from partners.selectors import user_organisation_ids
from programs.models import CooperationForm, Participation, Programme, ProgrammeUpdate
from programs.selectors import programme_list

pytestmark = pytest.mark.django_db

DEMO_USERS = {
    "admin": Role.ADMINISTRATOR,
    "manager": Role.MANAGER,
    "officer": Role.OFFICER,
    "auditor": Role.AUDITOR,
    "partner": Role.PARTNER,
    "partner2": Role.PARTNER,
}


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Row counts of every table, latest change times, and the stored password hashes."""
    state = {}
    for model in apps.get_models():
        if not model._meta.managed:
            continue
        queryset = model._default_manager.all()
        state[model._meta.label] = queryset.count()
        if any(field.name == "updated_at" for field in model._meta.fields):
            state[f"{model._meta.label}.updated_at"] = queryset.aggregate(latest=Max("updated_at"))["latest"]
    state["passwords"] = dict(get_user_model().objects.values_list("username", "password"))
    return state


@pytest.fixture
def demo():
    return load_demo()


def test_second_run_changes_nothing(demo):
    before = snapshot()
    load_demo()
    assert snapshot() == before


def test_demo_users_have_their_roles_and_the_demo_password(demo, client):
    users = {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_USERS)}
    assert set(users) == set(DEMO_USERS)
    for username, role in DEMO_USERS.items():
        user = users[username]
        assert role in roles_of(user), username
        assert user.email and user.first_name and user.last_name
        assert user.check_password("kerjasama-demo"), username
        assert user.is_staff == (role is not Role.PARTNER)
    assert users["admin"].is_superuser
    assert not users["officer"].is_superuser
    assert client.login(username="partner2", password="kerjasama-demo")


def test_logins_are_printed(demo):
    for username in DEMO_USERS:
        assert username in demo
    assert "kerjasama-demo" in demo


def test_partners_are_varied(demo):
    organisations = Organisation.objects.all()
    assert organisations.count() >= 12
    kinds = set(organisations.values_list("kind", flat=True))
    assert {
        OrganisationType.GOVERNMENT,
        OrganisationType.NATIONAL_NGO,
        OrganisationType.MULTILATERAL,
        OrganisationType.ACADEMIC,
    } <= kinds
    assert kinds & {
        OrganisationType.PRIVATE_SECTOR,
        OrganisationType.PRIVATE_SECTOR_PROVIDER,
        OrganisationType.PRIVATE_SECTOR_RECIPIENT,
    }
    assert {"ID", "TL", "PH", "JP", "AU", "KE"} <= set(organisations.values_list("country", flat=True))
    contacts = Contact.objects.all()
    assert contacts.filter(receives_reminders=True).exists()
    assert contacts.filter(receives_reminders=False).exists()
    assert contacts.filter(preferred_language="id").exists()
    assert not Organisation.objects.filter(contacts__isnull=True).exists()


def test_programmes_cover_every_form_status_mix_and_currency(demo):
    programmes = Programme.objects.all()
    assert programmes.count() >= 20
    for form in CooperationForm:
        assert any(p.has_form(form) for p in programmes), form
    assert len(set(programmes.values_list("status", flat=True))) >= 4
    assert ActivityStatus.CLOSED in set(programmes.values_list("status", flat=True))
    assert {"USD", "EUR", "JPY", "IDR"} <= set(programmes.values_list("budget_currency", flat=True))
    for programme in programmes.prefetch_related("objectives", "sectors", "participations", "recipient_countries"):
        assert programme.objectives.all(), programme.code
        assert programme.sectors.all(), programme.code
        assert programme.recipient_countries.all(), programme.code
        assert programme.participations.all(), programme.code
        assert programme.created_by.username == "officer"
        assert programme.history.first().history_user.username == "officer"
    assert Participation.objects.filter(committed_amount__isnull=False).exists()
    assert len(set(Participation.objects.values_list("role", flat=True))) >= 3


def test_updates_come_from_officers_and_partners(demo):
    updates = ProgrammeUpdate.objects.select_related("author")
    assert updates.count() >= 8
    authors = {update.author.username for update in updates}
    assert {"officer", "partner", "partner2"} <= authors
    assert updates.filter(organisation__isnull=False).exists()
    assert len(set(updates.values_list("reported_on", flat=True))) >= 5


def test_the_two_partner_users_work_for_different_organisations_with_different_programmes(demo):
    user_model = get_user_model()
    partner, partner2 = user_model.objects.get(username="partner"), user_model.objects.get(username="partner2")
    assert user_organisation_ids(partner) and user_organisation_ids(partner2)
    assert set(user_organisation_ids(partner)).isdisjoint(user_organisation_ids(partner2))
    mine = set(programme_list(user=partner).values_list("code", flat=True))
    theirs = set(programme_list(user=partner2).values_list("code", flat=True))
    assert mine - theirs and theirs - mine
    assert len(mine) < Programme.objects.count()


def test_refuses_production_mode(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        load_demo()
    assert not get_user_model().objects.filter(username="admin").exists()
