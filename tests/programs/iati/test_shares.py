"""Country and sector shares: typed on the programme form, kept by the services for the programme's own codes."""

import pytest
from django.urls import reverse

from programs import services
from programs.forms import PercentagesField
from programs.models import Programme
from tests.factories import ProgrammeFactory, country, sector
from tests.programs.test_views import programme_post

pytestmark = pytest.mark.django_db


def test_shares_are_typed_as_code_and_percentage_pairs():
    field = PercentagesField()

    assert field.clean("KE 60, ID 40") == {"KE": "60", "ID": "40"}
    assert field.clean("23231: 70%; 23181: 30%") == {"23231": "70", "23181": "30"}
    assert field.prepare_value({"KE": "60", "ID": "40"}) == "ID 40, KE 60"
    with pytest.raises(Exception, match="Write each code and its percentage"):
        field.clean("KE sixty")


def test_the_services_keep_shares_of_the_programme_s_own_countries_only(officer):
    programme = ProgrammeFactory(countries=["KE", "ID"])

    services.programme_update(
        programme=programme,
        updated_by=officer,
        country_percentages={"KE": "60.50", "ID": "39.5", "TL": "10"},
        sectors=[sector("14030")],
    )
    programme.refresh_from_db()
    assert programme.country_percentages == {"KE": "60.5", "ID": "39.5"}

    services.programme_update(programme=programme, updated_by=officer, recipient_countries=[country("KE")])
    programme.refresh_from_db()
    assert programme.country_percentages == {"KE": "60.5"}


def test_the_programme_page_takes_the_shares_and_refuses_one_over_100_next_to_its_field(client, officer):
    client.force_login(officer)

    refused = client.post(
        reverse("programs:create"),
        programme_post(code="KSM-2026-501", country_percentages="ID 160, TL 40", publish_to_iati="on"),
    )
    created = client.post(
        reverse("programs:create"),
        programme_post(code="KSM-2026-502", country_percentages="ID 70, TL 30", title_indonesian="Air bersih"),
    )

    assert refused.status_code == 200
    assert refused.context["form"].errors["country_percentages"] == [
        "The percentage of country ID must be a number from 0 to 100."
    ]
    assert not Programme.objects.filter(code="KSM-2026-501").exists()
    assert created.status_code == 302
    programme = Programme.objects.get(code="KSM-2026-502")
    assert (programme.country_percentages, programme.title_indonesian) == ({"ID": "70", "TL": "30"}, "Air bersih")
