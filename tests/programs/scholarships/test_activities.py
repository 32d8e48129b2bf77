"""Exchange activities: officers create them under a technical or cultural programme with partners that
take part in it; the host partner (or an officer) reports participants by gender and the outcomes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.refusals import refusal_codes
from programs.scholarships import selectors, services
from programs.scholarships.models import ActivityKind, ExchangeStatus, Gender, Participant
from programs.scholarships.services import ScholarshipRefusal as Code
from tests.factories import OrganisationFactory, ProgrammeFactory, country
from tests.programs.scholarships.factories import ExchangeActivityFactory, days_ago, host_user, take_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def cultural_programme(partner_org):
    programme = ProgrammeFactory(is_cultural=True, is_technical=False)
    take_part(programme, partner_org)
    return programme


def create(officer, programme, host, **overrides):
    fields = {
        "programme": programme,
        "title": "Gamelan workshop",
        "kind": ActivityKind.CULTURAL_EVENT,
        "starts_on": days_ago(3),
        "ends_on": days_ago(1),
        "country": country("ID"),
        "city": "Solo",
        "host": host,
    } | overrides
    return services.activity_create(created_by=officer, **fields)


def test_an_officer_creates_an_activity_with_partners(officer, cultural_programme, partner_org):
    partner = OrganisationFactory()
    take_part(cultural_programme, partner)
    activity = create(officer, cultural_programme, partner_org, partners=[partner])
    assert list(activity.partners.all()) == [partner]
    assert activity.status == ExchangeStatus.PLANNED


def test_the_programme_must_be_technical_or_cultural_and_the_partners_take_part(officer, partner_org):
    in_kind = ProgrammeFactory(is_in_kind=True, is_technical=False)
    take_part(in_kind, partner_org)
    with pytest.raises(ValidationError) as refused:
        create(officer, in_kind, partner_org, partners=[OrganisationFactory(name="Outsider")], ends_on=days_ago(5))
    assert set(refused.value.message_dict) == {"programme", "partners", "ends_on"}


def test_partner_users_cannot_create_activities(partner_user, cultural_programme, partner_org):
    with pytest.raises(PermissionDenied):
        create(partner_user, cultural_programme, partner_org)


def test_the_host_reports_participants_and_outcomes(partner_user, partner_org):
    activity = ExchangeActivityFactory(host=partner_org)
    services.activity_report(
        activity=activity,
        reported_by=partner_user,
        women="12",
        men=9,
        other_gender=0,
        outcome_notes="Two joint performances.",
        participants=[{"name": "Sri", "gender": Gender.FEMALE, "organisation": "ISI Solo", "country": country("ID")}],
    )
    row = selectors.activity_get(user=partner_user, pk=activity.pk)
    assert (row.women, row.men, row.participants_count, row.listed_participants) == (12, 9, 21, 1)
    assert row.outcome_notes == "Two joint performances."


def test_negative_counts_are_refused_and_nothing_is_saved(officer):
    activity = ExchangeActivityFactory(women=3)
    with pytest.raises(ValidationError) as refused:
        services.activity_report(activity=activity, reported_by=officer, women=-1, men="x", other_gender=0)
    assert refused.value.message_dict == {
        "women": ["A number of participants cannot be negative."],
        "men": ["Enter a whole number."],
    }
    activity.refresh_from_db()
    assert activity.women == 3


def test_a_list_cannot_name_more_people_than_counted(officer):
    activity = ExchangeActivityFactory()
    people = [{"name": f"P{n}", "gender": Gender.MALE} for n in range(3)]
    with pytest.raises(ValidationError) as refused:
        services.activity_report(
            activity=activity, reported_by=officer, women=5, men=2, other_gender=0, participants=people
        )
    assert list(refused.value.message_dict) == ["men"]
    assert Participant.objects.count() == 0


def test_a_partner_reporting_on_another_organisations_activity_is_refused(other_partner_user, partner_org):
    activity = ExchangeActivityFactory(host=partner_org)
    with pytest.raises(PermissionDenied):
        services.activity_report(activity=activity, reported_by=other_partner_user, women=1, men=1, other_gender=1)
    activity.refresh_from_db()
    assert activity.participants_total == 0


def test_a_partner_involved_but_not_hosting_cannot_report(partner_org, other_org):
    activity = ExchangeActivityFactory(host=other_org)
    take_part(activity.programme, partner_org)
    activity.partners.add(partner_org)
    with pytest.raises(PermissionDenied):
        services.activity_report(activity=activity, reported_by=host_user(partner_org), women=1, men=0, other_gender=0)


def test_a_cancelled_activity_takes_no_report(officer):
    activity = ExchangeActivityFactory()
    services.activity_update(activity=activity, updated_by=officer, status=ExchangeStatus.CANCELLED)
    with pytest.raises(ValidationError) as refused:
        services.activity_report(activity=activity, reported_by=officer, women=1, men=0, other_gender=0)
    assert Code.ACTIVITY_CANCELLED in refusal_codes(refused.value)


def test_activity_list_costs_the_same_queries_for_few_and_many(partner_user, partner_org, django_assert_num_queries):
    partner_user.has_perm("x")
    selectors.activity_list(user=partner_user)

    def read():
        with django_assert_num_queries(1):
            return [
                (a.host.name, a.country.name, a.participants_count) for a in selectors.activity_list(user=partner_user)
            ]

    ExchangeActivityFactory(host=partner_org)
    assert len(read()) == 1
    for _ in range(6):
        ExchangeActivityFactory(host=partner_org)
    assert len(read()) == 7
