import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cooperation import registry
from cooperation.reference.codes import OrganisationRole
from programs.models import ProgrammeUpdate
from tests.factories import ParticipationFactory, ProgrammeFactory, ProgrammeUpdateFactory

pytestmark = pytest.mark.django_db


def _update_data(**overrides):
    data = {"reported_on": "2026-05-04", "title": "Wells dug in Kupang", "body": "Twelve of twenty wells are finished."}
    data.update(overrides)
    return data


def test_partner_home_lists_own_programmes_only(client, partner_user, own_programme, foreign_programme):
    ProgrammeUpdateFactory(programme=own_programme, reported_on=datetime.date(2026, 3, 15))
    ProgrammeUpdateFactory(programme=own_programme, reported_on=datetime.date(2026, 4, 20), title="Latest")
    client.force_login(partner_user)

    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Yayasan Air Bersih" in html
    assert "OWN-001" in html and "Clean water for Nusa Tenggara" in html
    assert "FOREIGN-001" not in html and "Pacific cyclone relief" not in html
    assert "Implementing" in html
    assert "April 20, 2026" in html  # the latest update, not the first
    assert "March 15, 2026" not in html
    [programme] = response.context["programmes"]
    assert programme.latest_update_on == datetime.date(2026, 4, 20)


def test_partner_sees_only_their_organisation_role(client, partner_user, partner_org, own_programme):
    ParticipationFactory(programme=own_programme, role=OrganisationRole.FUNDING)
    client.force_login(partner_user)

    [programme] = client.get(reverse("portal:home")).context["programmes"]

    assert [p.organisation for p in programme.own_participations] == [partner_org]


def test_portal_home_query_count_is_the_same_for_5_and_50_programmes(client, partner_user, partner_org):
    def make(count):
        for _ in range(count):
            programme = ProgrammeFactory(countries=["ID", "TL"])
            ParticipationFactory(programme=programme, organisation=partner_org)
            ParticipationFactory(programme=programme)
            ProgrammeUpdateFactory(programme=programme)

    client.force_login(partner_user)
    make(5)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("portal:home"))
    make(45)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("portal:home"))

    assert response.context["page_obj"].paginator.count == 50
    assert len(many.captured_queries) == len(few.captured_queries)


def test_officer_without_portal_permission_gets_403(client, officer, own_programme):
    client.force_login(officer)
    assert client.get(reverse("portal:home")).status_code == 403
    assert client.get(reverse("portal:programme", args=[own_programme.pk])).status_code == 403
    response = client.post(reverse("portal:post_update", args=[own_programme.pk]), _update_data())
    assert response.status_code == 403
    assert not ProgrammeUpdate.objects.exists()


def test_portal_needs_an_organisation_even_for_an_administrator(client, admin_user, own_programme):
    client.force_login(admin_user)
    assert client.get(reverse("portal:home")).status_code == 403
    assert client.get(reverse("portal:programme", args=[own_programme.pk])).status_code == 403


def test_partner_whose_membership_ended_gets_403(client, partner_user, own_programme):
    partner_user.memberships.update(is_active=False)
    client.force_login(partner_user)
    response = client.get(reverse("portal:home"))
    assert response.status_code == 403


def test_anonymous_user_is_sent_to_login(client, own_programme):
    response = client.get(reverse("portal:programme", args=[own_programme.pk]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account:login"))


def test_programme_page_shows_details_participants_and_updates(client, partner_user, own_programme, other_org):
    ParticipationFactory(programme=own_programme, organisation=other_org, role=OrganisationRole.FUNDING)
    ProgrammeUpdateFactory(programme=own_programme, title="Pumps delivered", body="All six pumps arrived.")
    client.force_login(partner_user)

    response = client.get(reverse("portal:programme", args=[own_programme.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Clean water for Nusa Tenggara" in html
    assert "USD 100,000.00" in html
    assert "Pacific Relief Network" in html and "Funding" in html
    assert "Pumps delivered" in html and "All six pumps arrived." in html
    assert 'action="{}"'.format(reverse("portal:post_update", args=[own_programme.pk])) in html


def test_foreign_programme_page_is_404(client, partner_user, foreign_programme):
    client.force_login(partner_user)
    assert client.get(reverse("portal:programme", args=[foreign_programme.pk])).status_code == 404


def test_posting_to_foreign_programme_is_404_and_saves_nothing(client, partner_user, foreign_programme):
    client.force_login(partner_user)

    response = client.post(reverse("portal:post_update", args=[foreign_programme.pk]), _update_data())

    assert response.status_code == 404
    assert not ProgrammeUpdate.objects.exists()


def test_posted_update_appears_on_the_programme_page(client, partner_user, partner_org, own_programme):
    client.force_login(partner_user)

    response = client.post(reverse("portal:post_update", args=[own_programme.pk]), _update_data(), follow=True)

    assert response.redirect_chain == [(reverse("portal:programme", args=[own_programme.pk]), 302)]
    html = response.content.decode()
    assert "Your update was posted." in html
    assert "Wells dug in Kupang" in html and "Twelve of twenty wells are finished." in html
    update = ProgrammeUpdate.objects.get()
    assert (update.programme, update.author, update.organisation) == (own_programme, partner_user, partner_org)
    assert update.reported_on == datetime.date(2026, 5, 4)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"reported_on": "not a date"}, "reported_on", "Enter a valid date."),
        ({"reported_on": "2999-01-01"}, "reported_on", "Enter a date between Jan. 1, 1900 and Dec. 31, 2199."),
        ({"reported_on": "2199-01-01"}, "reported_on", "This date is in the future."),
    ],
)
def test_bad_update_shows_error_next_to_field_and_saves_nothing(
    client, partner_user, own_programme, data, field, message
):
    client.force_login(partner_user)

    response = client.post(reverse("portal:post_update", args=[own_programme.pk]), _update_data(**data))

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not ProgrammeUpdate.objects.exists()


def test_today_is_a_valid_update_date(client, partner_user, own_programme):
    client.force_login(partner_user)
    today = timezone.localdate().isoformat()
    client.post(reverse("portal:post_update", args=[own_programme.pk]), _update_data(reported_on=today))
    assert ProgrammeUpdate.objects.filter(reported_on=today).exists()


def test_post_update_refuses_get(client, partner_user, own_programme):
    client.force_login(partner_user)
    assert client.get(reverse("portal:post_update", args=[own_programme.pk])).status_code == 405


def test_the_home_shows_the_panels_the_modules_registered_in_their_order(client, partner_user, own_programme):
    templates = [panel.template for panel in registry.panels("portal.home")]
    assert templates == [
        "finance/portal/_home_link.html",
        "shipments/portal/_home_block.html",
        "scholarships/portal/_home_block.html",
        "results/portal/_home_block.html",
        "documents/portal/_home_block.html",
    ]
    client.force_login(partner_user)

    html = client.get(reverse("portal:home")).content.decode()

    anchors = ("portal-finance-links", "portal-shipments-link", "portal-scholars-link")
    places = [html.index(anchor) for anchor in anchors]
    assert places == sorted(places)
