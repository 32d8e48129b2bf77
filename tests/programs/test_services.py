import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.reference.codes import OrganisationRole
from programs.models import CooperationForm, Programme
from programs.services import ParticipantInput, programme_create, programme_update_post
from tests.factories import OrganisationFactory, currency

pytestmark = pytest.mark.django_db


def _programme_data(**overrides):
    data = {
        "code": "KSM-2026-100",
        "title": "Water and sanitation in Kupang",
        "forms": [CooperationForm.IN_KIND, CooperationForm.FINANCIAL],
        "budget_amount": Decimal("250000.00"),
        "budget_currency": currency("USD"),
        "planned_start": datetime.date(2026, 3, 1),
        "planned_end": datetime.date(2027, 2, 28),
    }
    data.update(overrides)
    return data


def test_officer_creates_programme_with_two_partners(officer):
    funder, implementer = OrganisationFactory(), OrganisationFactory()
    programme = programme_create(
        created_by=officer,
        participants=[
            ParticipantInput(funder, OrganisationRole.FUNDING, Decimal("150000.00")),
            ParticipantInput(implementer, OrganisationRole.IMPLEMENTING),
        ],
        **_programme_data(),
    )
    assert programme.forms == [CooperationForm.FINANCIAL, CooperationForm.IN_KIND]
    roles = {p.organisation: p.role for p in programme.participations.all()}
    assert roles == {funder: OrganisationRole.FUNDING, implementer: OrganisationRole.IMPLEMENTING}
    assert programme.history.first().history_user == officer


def test_end_before_start_is_refused_and_nothing_saved(officer):
    with pytest.raises(ValidationError) as error:
        programme_create(created_by=officer, **_programme_data(planned_end=datetime.date(2026, 1, 1)))
    assert "planned end" in str(error.value).lower()
    assert not Programme.objects.exists()


def test_yen_budget_with_decimals_is_refused(officer):
    with pytest.raises(ValidationError) as error:
        programme_create(
            created_by=officer, **_programme_data(budget_amount=Decimal("10.5"), budget_currency=currency("JPY"))
        )
    assert "budget_amount" in error.value.message_dict


def test_partner_listed_twice_is_refused(officer):
    partner = OrganisationFactory()
    with pytest.raises(ValidationError):
        programme_create(
            created_by=officer,
            participants=[
                ParticipantInput(partner, OrganisationRole.FUNDING),
                ParticipantInput(partner, OrganisationRole.IMPLEMENTING),
            ],
            **_programme_data(),
        )
    assert not Programme.objects.exists()


def test_auditor_cannot_create(auditor):
    with pytest.raises(PermissionDenied):
        programme_create(created_by=auditor, **_programme_data())


def test_partner_posts_update_on_own_programme_and_officer_is_emailed(
    partner_user, own_programme, officer, mailoutbox, django_capture_on_commit_callbacks
):
    own_programme.responsible_officer = officer
    own_programme.save()
    with django_capture_on_commit_callbacks(execute=True):
        update = programme_update_post(
            programme=own_programme,
            author=partner_user,
            reported_on=datetime.date(2026, 6, 30),
            title="Wells drilled",
            body="Twelve wells drilled in Kupang.",
        )
    assert update.organisation.acronym == "YAB"
    assert [m.to for m in mailoutbox] == [[officer.email]]
    assert "Wells drilled" in mailoutbox[0].body


def test_partner_cannot_post_on_foreign_programme(partner_user, foreign_programme):
    with pytest.raises(PermissionDenied):
        programme_update_post(
            programme=foreign_programme,
            author=partner_user,
            reported_on=datetime.date(2026, 6, 30),
            title="x",
            body="y",
        )
    assert not foreign_programme.updates.exists()
