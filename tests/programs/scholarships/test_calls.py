"""Calls: a technical programme, a host taking part in it, sane dates, a stipend in its currency's minor
unit, at least one eligible nationality and a rubric of weighted criteria; status follows the dates."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programs.scholarships import selectors, services
from programs.scholarships.models import Call, CallStatus, Level, StipendFrequency
from tests.factories import OrganisationFactory, ProgrammeFactory, country, currency
from tests.programs.scholarships.factories import ApplicationFactory, CallFactory, days_ago, take_part

pytestmark = pytest.mark.django_db


def fields(partner_org, **overrides):
    programme = ProgrammeFactory()
    take_part(programme, partner_org)
    return {
        "programme": programme,
        "title": "Doctoral fellowships in marine science",
        "host": partner_org,
        "level": Level.DOCTORAL,
        "opens_on": days_ago(1),
        "closes_on": days_ago(-60),
        "stipend_amount": "1500.00",
        "stipend_currency": currency("USD"),
        "stipend_frequency": StipendFrequency.MONTHLY,
        "duration_months": 36,
        "eligible_countries": [country("TL")],
        "criteria": [{"name": "Research proposal", "weight": "2"}, ("Publications", "1.5")],
        "fields_of_study": "Marine science\nmarine science\n Fisheries ",
    } | overrides


def test_an_officer_opens_a_call_with_its_rubric(officer, partner_org):
    call = services.call_create(created_by=officer, **fields(partner_org))
    assert [(c.name, c.weight) for c in call.criteria.all()] == [
        ("Research proposal", Decimal("2")),
        ("Publications", Decimal("1.5")),
    ]
    assert call.fields_of_study == ["Marine science", "Fisheries"]
    assert selectors.call_get(user=officer, pk=call.pk).status == CallStatus.OPEN


def test_bad_calls_are_refused_field_by_field(officer, partner_org):
    programme = ProgrammeFactory(is_technical=False, is_in_kind=True)
    with pytest.raises(ValidationError) as refused:
        services.call_create(
            created_by=officer,
            **fields(
                partner_org,
                programme=programme,
                closes_on=days_ago(5),
                stipend_amount="1000.5",
                stipend_currency=currency("JPY"),
                eligible_countries=[],
            ),
        )
    assert set(refused.value.message_dict) == {
        "programme",
        "host",
        "closes_on",
        "stipend_amount",
        "eligible_countries",
    }
    assert Call.objects.count() == 0


@pytest.mark.parametrize("criteria", [[], [("Merit", "0")], [("Merit", "1"), ("merit", "2")], [("", "1")]])
def test_a_rubric_needs_named_criteria_with_positive_weights(officer, partner_org, criteria):
    with pytest.raises(ValidationError) as refused:
        services.call_create(created_by=officer, **fields(partner_org, criteria=criteria))
    assert list(refused.value.message_dict) == ["criteria"]


def test_partner_users_cannot_open_calls(partner_user, partner_org):
    with pytest.raises(PermissionDenied):
        services.call_create(created_by=partner_user, **fields(partner_org))


def test_status_follows_the_dates(officer):
    upcoming = CallFactory(opens_on=days_ago(-3), closes_on=days_ago(-30))
    closed = CallFactory(opens_on=days_ago(30), closes_on=days_ago(1))
    opened = CallFactory()
    statuses = {call.pk: call.status for call in selectors.call_list(user=officer)}
    assert statuses == {upcoming.pk: "upcoming", closed.pk: "closed", opened.pk: "open"}
    assert list(selectors.open_calls(user=officer)) == [opened]


def test_fewer_awards_than_already_made_are_refused(officer):
    call = CallFactory(awards_available=3)
    ApplicationFactory.create_batch(2, call=call, status="enrolled")
    with pytest.raises(ValidationError) as refused:
        services.call_update(call=call, updated_by=officer, awards_available=1)
    assert refused.value.message_dict == {
        "awards_available": ["2 awards are already made: the call cannot offer fewer."]
    }
    services.call_update(call=call, updated_by=officer, awards_available=2, eligible_countries=[country("ID")])
    call.refresh_from_db()
    assert call.awards_available == 2 and list(call.eligible_countries.all()) == [country("ID")]


def test_a_host_that_left_the_partnership_cannot_host(officer):
    outsider = OrganisationFactory()
    with pytest.raises(ValidationError) as refused:
        services.call_update(call=CallFactory(), updated_by=officer, host=outsider)
    assert list(refused.value.message_dict) == ["host"]
