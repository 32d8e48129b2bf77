"""The IATI publication page and downloads: for those who export the organisation's data, never partners."""

from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from lxml import etree

from cooperation.iati.validation import schema_errors
from tests.factories import currency
from tests.programs.iati.conftest import publishable

pytestmark = pytest.mark.django_db


def test_a_manager_sees_which_programmes_are_ready_and_what_to_fix(client, manager):
    ready = publishable("WAT-1")
    blocked = publishable("WAT-2", planned_start=None)
    client.force_login(manager)

    page = client.get(reverse("reporting:iati")).content.decode()

    assert "1 of 2 programmes are ready" in page
    assert reverse("programs:detail", args=[ready.pk]) in page
    assert "Add the planned or actual start date." in page
    assert reverse("programs:edit", args=[blocked.pk]) in page
    assert "XI-TEST" in page


def test_a_manager_downloads_the_activities_file(client, manager):
    publishable("WAT-1")
    publishable("WAT-2", planned_start=None)
    client.force_login(manager)

    response = client.get(reverse("reporting:iati_activities"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="iati-activities-')
    assert schema_errors(response.content) == []
    assert [e.text for e in etree.fromstring(response.content).iter("iati-identifier")] == ["XI-TEST-WAT-1"]


def test_no_file_when_nothing_is_ready_and_the_page_says_why(client, manager):
    publishable("WAT-2", planned_start=None)
    client.force_login(manager)

    response = client.get(reverse("reporting:iati_activities"))

    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert "No programme marked for publication is ready yet." in response.content.decode()


def test_the_organisation_file_holds_the_yearly_total_budget(client, auditor):
    publishable("WAT-1", budget_amount=Decimal("730000.00"))  # 2026-01-01 to 2027-12-31: 365 + 365 days
    publishable("YEN-1", budget_amount=Decimal("1000000"), budget_currency=currency("JPY"))
    client.force_login(auditor)

    response = client.get(reverse("reporting:iati_organisation"))

    assert response.status_code == 200
    assert schema_errors(response.content, "organisations") == []
    organisation = etree.fromstring(response.content).find("iati-organisation")
    assert organisation.findtext("organisation-identifier") == "XI-TEST"
    budgets = [
        (b.find("period-start").get("iso-date"), b.find("value").get("currency"), b.findtext("value"))
        for b in organisation.findall("total-budget")
    ]
    assert budgets == [
        ("2026-01-01", "JPY", "500000"),
        ("2026-01-01", "USD", "365000.00"),
        ("2027-01-01", "JPY", "500000"),
        ("2027-01-01", "USD", "365000.00"),
    ]


def test_the_organisation_file_names_the_latest_change_to_what_it_publishes(client, auditor):
    client.force_login(auditor)
    url = reverse("reporting:iati_organisation")

    # Nothing published yet: no programme was ever updated, so the file names no such moment; the time it was
    # asked for is not one (two downloads a second apart differ only in when they were generated).
    with time_machine.travel("2026-06-01 10:00:00+07:00", tick=False):
        first = etree.fromstring(client.get(url).content)
    with time_machine.travel("2026-06-01 10:00:01+07:00", tick=False):
        second = etree.fromstring(client.get(url).content)
    assert schema_errors(etree.tostring(first), "organisations") == []
    assert first.find("iati-organisation").get("last-updated-datetime") is None
    for root in (first, second):
        del root.attrib["generated-datetime"]
    assert etree.tostring(first) == etree.tostring(second)

    with time_machine.travel("2026-06-02 09:30:00+07:00", tick=False):
        publishable("WAT-1")
    organisation = etree.fromstring(client.get(url).content).find("iati-organisation")
    assert organisation.get("last-updated-datetime") == "2026-06-02T09:30:00+07:00"


@pytest.mark.parametrize("url", ["reporting:iati", "reporting:iati_activities", "reporting:iati_organisation"])
def test_partners_and_officers_get_403(client, partner_user, officer, url):
    publishable("WAT-1")
    for user in (partner_user, officer):
        client.force_login(user)
        assert client.get(reverse(url)).status_code == 403


def test_the_programme_page_says_what_to_fix_before_publishing(client, officer):
    blocked = publishable("WAT-2", planned_start=None)
    ready = publishable("WAT-1")
    client.force_login(officer)

    blocked_page = client.get(reverse("programs:detail", args=[blocked.pk])).content.decode()
    ready_page = client.get(reverse("programs:detail", args=[ready.pk])).content.decode()

    assert "To fix before publishing" in blocked_page
    assert "Add the planned or actual start date." in blocked_page
    assert "Ready to publish" in ready_page
    assert "Air bersih" in ready_page
