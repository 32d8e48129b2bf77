"""Where the DAC recipient category and the DAC rules are kept: the partner's and the programme's forms, pages,
API and history, and the rules edited in the admin through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from rest_framework.test import APIClient

from partners.models import DacCategory
from programs.finance.models import DacRule
from programs.finance.services import dac
from tests.partners.test_views import organisation_post
from tests.programs.test_views import programme_post

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()


def as_user(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_partner_form_records_the_category_and_the_history_shows_it(client, officer, partner_org):
    client.force_login(officer)
    form_page = client.get(reverse("partners:edit", args=[partner_org.pk])).content.decode()
    assert 'name="dac_category"' in form_page
    response = client.post(
        reverse("partners:edit", args=[partner_org.pk]),
        organisation_post(name=partner_org.name, acronym="YAB", is_active="on", dac_category="lmic"),
    )
    assert response.status_code == 302
    partner_org.refresh_from_db()
    assert partner_org.dac_category == DacCategory.LOWER_MIDDLE
    assert partner_org.history.first().dac_category == "lmic"
    assert partner_org.history.first().history_user == officer
    page = client.get(reverse("partners:detail", args=[partner_org.pk])).content.decode()
    assert "Lower-middle-income country" in page


def test_the_programme_form_records_the_category(client, officer, own_programme, partner_org):
    client.force_login(officer)
    assert 'name="dac_category"' in client.get(reverse("programs:edit", args=[own_programme.pk])).content.decode()
    data = programme_post(
        participants=[(partner_org, 1, "")],
        initial_forms=1,
        code="OWN-001",
        title=own_programme.title,
        dac_category="mdb",
        **{"participants-0-id": str(own_programme.participations.get().pk)},
    )
    response = client.post(reverse("programs:edit", args=[own_programme.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    own_programme.refresh_from_db()
    assert own_programme.dac_category == DacCategory.MULTILATERAL_BANK
    assert own_programme.history.first().dac_category == "mdb"
    page = client.get(reverse("programs:detail", args=[own_programme.pk])).content.decode()
    assert "Global multilateral institution or multilateral development bank" in page


def test_the_partner_api_reads_and_writes_the_category(officer, partner_org):
    api = as_user(officer)
    url = f"/api/v1/partners/{partner_org.pk}/"
    assert api.get(url).json()["dac_category"] == ""
    response = api.patch(url, {"dac_category": "ldc"}, format="json")
    assert response.status_code == 200, response.data
    assert response.json()["dac_category"] == "ldc"
    assert api.patch(url, {"dac_category": "rich"}, format="json").status_code == 400


def test_the_programme_api_reads_and_writes_the_category(officer, own_programme):
    api = as_user(officer)
    url = f"/api/v1/programmes/{own_programme.pk}/"
    response = api.patch(url, {"dac_category": "umic"}, format="json")
    assert response.status_code == 200, response.data
    assert response.json()["dac_category"] == "umic"
    own_programme.refresh_from_db()
    assert own_programme.dac_category == DacCategory.UPPER_MIDDLE


def test_an_administrator_adds_a_rule_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("admin:finance_dacrule_changelist")).status_code == 200
    response = client.post(
        reverse("admin:finance_dacrule_add"),
        {"category": "ldc", "minimum_grant_element": "50", "discount_rate": "9", "valid_from": "2027-01-01"},
    )
    assert response.status_code == 302
    rule = DacRule.objects.get(category="ldc", valid_from=datetime.date(2027, 1, 1))
    assert rule.minimum_grant_element == Decimal("50")
    assert rule.history.first().history_user == admin_user


def test_an_administrator_corrects_a_rule_in_the_admin(client, admin_user):
    rule = DacRule.objects.get(category="lmic")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:finance_dacrule_change", args=[rule.pk]),
        {"category": "lmic", "minimum_grant_element": "20", "discount_rate": "7", "valid_from": "2018-01-01"},
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.minimum_grant_element == Decimal("20")
    assert client.get(reverse("admin:finance_dacrule_delete", args=[rule.pk])).status_code == 403


def test_a_second_rule_for_the_same_category_and_day_is_refused_on_the_form(client, admin_user):
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:finance_dacrule_add"),
        {"category": "ldc", "minimum_grant_element": "50", "discount_rate": "9", "valid_from": "2018-01-01"},
    )
    assert response.status_code == 200
    assert DacRule.objects.filter(category="ldc").count() == 1


def test_an_officer_cannot_change_the_rules(client, officer):
    with pytest.raises(PermissionDenied):
        dac.dac_rule_create(
            created_by=officer,
            category="ldc",
            minimum_grant_element=Decimal("50"),
            discount_rate=Decimal("9"),
            valid_from=datetime.date(2027, 1, 1),
        )
    client.force_login(officer)
    assert client.get(reverse("admin:finance_dacrule_changelist")).status_code in (302, 403)
