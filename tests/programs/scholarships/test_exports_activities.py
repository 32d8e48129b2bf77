"""Exchange activities as files, the officers' list and the partner portal's: typed cells, the list's filters, who
may export, a partner seeing only the activities its organisation hosts or takes part in, and a fixed number of
queries."""

import datetime

import pytest
from django.urls import reverse

from programs.scholarships.models import ActivityKind, ExchangeStatus
from tests.factories import OrganisationFactory, country
from tests.programs.scholarships.exporting import export_url, queries, table
from tests.programs.scholarships.factories import ExchangeActivityFactory, days_ago

pytestmark = pytest.mark.django_db


def midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())


@pytest.fixture
def training(partner_org, other_org):
    activity = ExchangeActivityFactory(
        title="Drip irrigation training",
        kind=ActivityKind.TRAINING,
        host=partner_org,
        city="Kupang",
        starts_on=days_ago(40),
        ends_on=days_ago(30),
        women=12,
        men=9,
        other_gender=1,
        status=ExchangeStatus.COMPLETED,
    )
    activity.partners.set([other_org])
    return activity


@pytest.fixture
def festival(other_org):
    return ExchangeActivityFactory(
        title="Tenun festival", kind=ActivityKind.CULTURAL_EVENT, host=other_org, country=country("TL"), city="Dili"
    )


def test_activities_export_typed_cells(client, officer, training):
    client.force_login(officer)

    [row] = table(client, "scholarships.activities")

    assert (row["Title"], row["Kind"], row["Status"]) == ("Drip irrigation training", "Training", "Completed")
    assert (row["Starts on"], row["Ends on"]) == (midnight(days_ago(40)), midnight(days_ago(30)))
    assert (row["Participants"], row["Women"], row["Men"], row["Other / not stated"]) == (22, 12, 9, 1)
    assert (row["City"], row["Country"], row["Host"]) == ("Kupang", "Indonesia", "Yayasan Air Bersih")
    assert row["Partners involved"] == "Pacific Relief Network"
    assert row["Programme"] == training.programme.code


def test_activities_export_follows_the_filters(client, auditor, training, festival):
    client.force_login(auditor)

    assert [row["Title"] for row in table(client, "scholarships.activities", kind="training")] == [training.title]
    assert [row["Title"] for row in table(client, "scholarships.activities", q="dili")] == [festival.title]
    assert [row["Title"] for row in table(client, "scholarships.activities", country="TL")] == [festival.title]


def test_partner_users_cannot_export_the_officers_activity_list(client, partner_user, training):
    client.force_login(partner_user)

    assert client.get(export_url("scholarships.activities")).status_code == 403


def test_activities_export_in_a_fixed_number_of_queries(client, officer):
    client.force_login(officer)

    def activity():
        ExchangeActivityFactory().partners.set([OrganisationFactory(), OrganisationFactory()])

    for _ in range(2):
        activity()
    two = queries(client, "scholarships.activities")
    for _ in range(6):
        activity()

    assert queries(client, "scholarships.activities") == two
    assert len(table(client, "scholarships.activities")) == 8


# --- the portal's activities --------------------------------------------------------------------------------------


def test_a_partner_exports_the_activities_it_hosts_or_takes_part_in(client, other_partner_user, training, festival):
    ExchangeActivityFactory(title="Someone else's")
    client.force_login(other_partner_user)

    rows = {row["Title"]: row for row in table(client, "scholarships_portal.activities")}

    assert {title: row["Our part"] for title, row in rows.items()} == {
        "Drip irrigation training": "Involved",
        "Tenun festival": "Host",
    }
    assert rows["Drip irrigation training"]["Participants"] == 22


def test_a_partner_exports_none_of_another_organisations_activities(client, partner_user, festival):
    client.force_login(partner_user)

    assert table(client, "scholarships_portal.activities") == []


def test_staff_without_an_organisation_cannot_export_the_portal_activities(client, officer, training):
    client.force_login(officer)

    assert client.get(export_url("scholarships_portal.activities")).status_code == 403


def test_portal_activities_export_in_a_fixed_number_of_queries(client, partner_user, partner_org):
    client.force_login(partner_user)
    for _ in range(2):
        ExchangeActivityFactory(host=partner_org)
    two = queries(client, "scholarships_portal.activities")
    for _ in range(6):
        ExchangeActivityFactory().partners.set([partner_org])

    assert queries(client, "scholarships_portal.activities") == two
    assert len(table(client, "scholarships_portal.activities")) == 8


@pytest.mark.parametrize(
    ("page", "source"),
    [
        ("scholarships_portal:scholar_list", "scholarships_portal.scholars"),
        ("scholarships_portal:activity_list", "scholarships_portal.activities"),
    ],
)
def test_the_portal_lists_offer_their_export(client, partner_user, page, source):
    client.force_login(partner_user)

    html = client.get(reverse(page)).content.decode()

    assert f'href="{export_url(source)}"' in html
    assert f'href="{export_url(source, "csv")}"' in html
