"""The officers' grant list as spreadsheets: the grants with their totals, and the tranches of the same grants."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from cooperation.tranches import TrancheStatus
from programs.finance.models import Grant
from tests.factories import OrganisationFactory, currency
from tests.programs.finance.factories import GrantFactory, TrancheFactory
from tests.sheets import export_queries, export_url, records

pytestmark = pytest.mark.django_db


@pytest.fixture
def grants(db):
    """A school grant half paid, and a yen remittance to another recipient with nothing paid yet."""
    school = GrantFactory(
        reference="GR-SCHOOL", recipient=OrganisationFactory(name="Yayasan Sekolah"), amount=Decimal("1000.00")
    )
    TrancheFactory(
        grant=school,
        number=1,
        amount=Decimal("500.00"),
        status=TrancheStatus.PAID,
        planned_on=datetime.date(2026, 3, 1),
        paid_on=datetime.date(2026, 3, 2),
        payment_reference="BNI-77",
    )
    TrancheFactory(grant=school, number=2, amount=Decimal("500.00"), planned_on=datetime.date(2026, 6, 1))
    remittance = GrantFactory(
        reference="GR-YEN", kind=Grant.Kind.REMITTANCE, amount=Decimal("300000"), currency=currency("JPY")
    )
    TrancheFactory(grant=remittance, number=1, amount=Decimal("300000"), planned_on=datetime.date(2026, 4, 1))
    return school, remittance


def test_grants_with_their_totals_beside_the_currency(client, manager, grants):
    school, _remittance = grants
    client.force_login(manager)

    rows = records(client.get(export_url("finance.grants")))

    header = list(rows[0])
    assert header[:4] == ["Reference", "Recipient", "Programme", "Kind"]
    assert header[header.index("Amount") + 1] == "Currency"
    assert [row["Reference"] for row in rows] == ["GR-YEN", "GR-SCHOOL"]  # newest first, as on the page
    remittance_row, school_row = rows
    assert school_row["Recipient"] == "Yayasan Sekolah"
    assert school_row["Programme"] == school.programme.code
    assert school_row["Amount"] == 1000 and school_row["Currency"] == "USD"
    assert school_row["Paid"] == 500 and school_row["Scheduled"] == 500 and school_row["Remaining"] == 500
    assert isinstance(school_row["Recorded on"], datetime.datetime)
    assert remittance_row["Kind"] == "Remittance"
    assert remittance_row["Amount"] == 300000 and remittance_row["Currency"] == "JPY"


def test_grant_export_follows_the_page_filters(client, officer, grants):
    school, _remittance = grants
    client.force_login(officer)

    exported = records(client.get(export_url("finance.grants", recipient=school.recipient_id)))
    listed = client.get(reverse("finance:grant_list"), {"recipient": school.recipient_id}).context["grants"]

    assert [row["Reference"] for row in exported] == [grant.reference for grant in listed] == ["GR-SCHOOL"]
    assert [row["Reference"] for row in records(client.get(export_url("finance.grants", currency="JPY")))] == ["GR-YEN"]


def test_tranches_of_the_listed_grants(client, officer, grants):
    school, _remittance = grants
    client.force_login(officer)

    every = records(client.get(export_url("finance.tranches")))
    narrowed = records(client.get(export_url("finance.tranches", programme=school.programme_id)))

    assert [(row["Grant"], row["Tranche"]) for row in every] == [("GR-YEN", 1), ("GR-SCHOOL", 1), ("GR-SCHOOL", 2)]
    assert [(row["Grant"], row["Tranche"]) for row in narrowed] == [("GR-SCHOOL", 1), ("GR-SCHOOL", 2)]
    paid = narrowed[0]
    assert paid["Recipient"] == "Yayasan Sekolah"
    assert paid["Planned date"] == datetime.datetime(2026, 3, 1)
    assert paid["Paid on"] == datetime.datetime(2026, 3, 2)
    assert paid["Amount"] == 500 and paid["Currency"] == "USD"
    assert paid["Status"] == "Paid" and paid["Payment reference"] == "BNI-77"
    assert narrowed[1]["Status"] == "Scheduled" and narrowed[1]["Paid on"] is None
    assert every[0]["Currency"] == "JPY"


def test_the_grant_list_offers_both_exports_with_its_filters(client, officer, grants):
    school, _remittance = grants
    client.force_login(officer)

    html = client.get(reverse("finance:grant_list"), {"recipient": school.recipient_id}).content.decode()

    assert f'href="{export_url("finance.grants", "xlsx", recipient=school.recipient_id)}"' in html
    assert f'href="{export_url("finance.tranches", "csv", recipient=school.recipient_id)}"' in html
    assert "Export the tranches of these grants:" in html


@pytest.mark.parametrize("source", ["finance.grants", "finance.tranches"])
def test_auditors_export_grants_and_partner_users_may_not(client, auditor, partner_user, grants, source):
    client.force_login(auditor)
    assert len(records(client.get(export_url(source)))) == (2 if source == "finance.grants" else 3)

    client.force_login(partner_user)
    assert client.get(export_url(source)).status_code == 403


@pytest.mark.parametrize("source", ["finance.grants", "finance.tranches"])
def test_grant_export_queries_do_not_grow_with_the_rows(client, officer, source):
    client.force_login(officer)

    def queries_with(count):
        while Grant.objects.count() < count:
            TrancheFactory.create_batch(2, grant=GrantFactory())
        return export_queries(client, export_url(source))

    assert queries_with(2) == queries_with(8)
