"""Alumni return and employment rates: counted by hand, in a fixed number of queries, on the manager dashboard,
and over the API where a partner user reads only their own institution's alumni."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.roles import Perm
from programs.scholarships import selectors
from tests.factories import MembershipFactory, OrganisationFactory, country
from tests.programs.scholarships.factories import AlumniOutcomeFactory, CallFactory, alumnus

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort():
    """Two calls; at one year: 4 outcomes (3 returned, 2 employed + 1 self-employed, 1 in further study);
    at three years: 2 outcomes (1 returned, 1 employed)."""
    water = CallFactory(title="Water engineering 2020")
    health = CallFactory(title="Public health 2020")
    id_, tl = country("ID"), country("TL")
    rows = [
        (water, id_, "female", 1, True, "employed"),
        (water, id_, "male", 1, True, "self_employed"),
        (water, tl, "female", 1, False, "further_study"),
        (health, tl, "female", 1, True, "employed"),
        (health, id_, "male", 3, True, "employed"),
        (health, tl, "female", 3, False, "seeking_work"),
    ]
    for call, nationality, gender, milestone, returned, status in rows:
        AlumniOutcomeFactory(
            application=alumnus(call, nationality=nationality, gender=gender),
            milestone=milestone,
            returned_home=returned,
            employment_status=status,
        )
    return water, health


def rates_of(row) -> list[tuple]:
    return [(rate.outcomes, rate.return_rate, rate.employment_rate) for rate in row.milestones]


def test_rates_at_each_milestone_by_call_country_and_gender_as_counted_by_hand(cohort, manager):
    water, health = cohort
    rates = selectors.alumni_rates(user=manager)

    total = [(rate.milestone, rate.outcomes, rate.return_rate, rate.employment_rate) for rate in rates.total]
    assert total == [
        (1, 4, Decimal("75.00"), Decimal("75.00")),
        (3, 2, Decimal("50.00"), Decimal("50.00")),
        (5, 0, Decimal("0.00"), Decimal("0.00")),
    ]
    by_call = {row.label: rates_of(row) for row in rates.by_call}
    assert by_call["Water engineering 2020"][0] == (3, Decimal("66.67"), Decimal("66.67"))
    assert by_call["Water engineering 2020"][1] == (0, Decimal("0.00"), Decimal("0.00"))
    assert by_call["Public health 2020"][:2] == [
        (1, Decimal("100.00"), Decimal("100.00")),
        (2, Decimal("50.00"), Decimal("50.00")),
    ]
    by_country = {row.key: rates_of(row) for row in rates.by_country}
    assert by_country["ID"][:2] == [
        (2, Decimal("100.00"), Decimal("100.00")),
        (1, Decimal("100.00"), Decimal("100.00")),
    ]
    assert by_country["TL"][:2] == [(2, Decimal("50.00"), Decimal("50.00")), (1, Decimal("0.00"), Decimal("0.00"))]
    by_gender = {row.key: rates_of(row) for row in rates.by_gender}
    assert by_gender["female"][:2] == [(3, Decimal("66.67"), Decimal("66.67")), (1, Decimal("0.00"), Decimal("0.00"))]
    assert by_gender["male"][:2] == [
        (1, Decimal("100.00"), Decimal("100.00")),
        (1, Decimal("100.00"), Decimal("100.00")),
    ]
    assert "other" not in by_gender


@pytest.mark.parametrize("alumni", [2, 12])
def test_the_rates_cost_the_same_queries_whatever_the_number_of_outcomes(alumni, manager, django_assert_num_queries):
    calls = [CallFactory() for _ in range(3)]
    for index in range(alumni):
        AlumniOutcomeFactory(
            application=alumnus(calls[index % 3], gender=("female", "male")[index % 2]),
            milestone=(1, 3, 5)[index % 3],
            returned_home=index % 2 == 0,
        )

    manager.has_perm(Perm.VIEW_ALUMNI_OUTCOME)  # the role's permissions, read once per request

    with django_assert_num_queries(4):
        rates = selectors.alumni_rates(user=manager)
        assert rates.outcome_count == alumni
        assert len(rates.by_call) == min(alumni, 3)


@pytest.mark.parametrize("alumni", [2, 12])
def test_the_dashboard_section_costs_the_same_queries_whatever_the_number_of_outcomes(
    alumni, client, manager, django_assert_num_queries
):
    call = CallFactory()
    for index in range(alumni):
        AlumniOutcomeFactory(application=alumnus(call), milestone=(1, 3)[index % 2], returned_home=index % 2 == 0)
    client.force_login(manager)
    client.get(reverse("reporting:dashboard"))  # warm the caches (permissions, reference lists)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        response = client.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    assert b'id="alumni-outcomes"' in response.content
    assert b'id="alumni-rates-call"' in response.content
    # The count itself does not depend on the number of outcomes: the same page with twice as many costs the same.
    for _index in range(alumni):
        AlumniOutcomeFactory(application=alumnus(call), milestone=5)
    with django_assert_num_queries(len(baseline.captured_queries)):
        client.get(reverse("reporting:dashboard"))


def test_the_dashboard_section_shows_the_rates_and_is_narrowed_by_programme(client, manager, cohort):
    water, _health = cohort
    client.force_login(manager)

    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert "75.00%" in page and "Water engineering 2020" in page

    narrowed = client.get(reverse("reporting:dashboard") + f"?programme={water.programme.code}")
    assert narrowed.status_code == 200


def test_a_partner_user_reads_only_their_own_alumni_over_the_api(client):
    host = OrganisationFactory()
    own = AlumniOutcomeFactory(application=alumnus(CallFactory(host=host)))
    other = AlumniOutcomeFactory(application=alumnus(CallFactory()))
    client.force_login(MembershipFactory(organisation=host).user)

    listed = client.get(reverse("api:alumni-outcome-list")).json()
    assert [row["id"] for row in listed["results"]] == [own.pk]
    assert listed["results"][0]["milestone"] == 1
    assert listed["results"][0]["employment_status"] == "employed"
    assert client.get(reverse("api:alumni-outcome-detail", kwargs={"pk": own.pk})).status_code == 200
    assert client.get(reverse("api:alumni-outcome-detail", kwargs={"pk": other.pk})).status_code == 404
    assert client.post(reverse("api:alumni-outcome-list"), {}).status_code == 405


def test_staff_filter_outcomes_over_the_api(client, officer, cohort):
    water, _health = cohort
    client.force_login(officer)

    def count(query):
        return client.get(reverse("api:alumni-outcome-list") + query).json()["count"]

    assert count("") == 6
    assert count(f"?call={water.pk}") == 3
    assert count("?milestone=3") == 2
    assert count("?country=TL&returned=false") == 2
    assert count("?gender=male") == 2
