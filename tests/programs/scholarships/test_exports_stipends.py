"""Stipend tranches, progress reports and the portal's scholars as files: typed cells, the list's filters and order,
who may export, a partner seeing only its own scholars, and a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cooperation.tranches import TrancheStatus
from programs.scholarships.models import ApplicationStatus, ReportStatus
from tests.factories import currency
from tests.programs.scholarships.exporting import export_url, queries, table
from tests.programs.scholarships.factories import (
    ApplicationFactory,
    CallFactory,
    ProgressReportFactory,
    StipendTrancheFactory,
    days_ago,
    staff,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time())


def scholar(call=None, *, status=S.ENROLLED, enrolled_days_ago=200, **fields):
    """An application awarded some time ago, enrolled ``enrolled_days_ago`` days ago when enrolled."""
    enrolled = status in (S.ENROLLED, S.COMPLETED)
    return ApplicationFactory(
        call=call or CallFactory(),
        status=status,
        award_proposed_by=staff(),
        award_proposed_at=timezone.now() - datetime.timedelta(days=enrolled_days_ago + 10),
        awarded_at=timezone.now() - datetime.timedelta(days=enrolled_days_ago + 5),
        enrolled_on=days_ago(enrolled_days_ago) if enrolled else None,
        **fields,
    )


# --- stipend tranches ---------------------------------------------------------------------------------------------


@pytest.fixture
def tranches():
    ana = scholar(applicant_name="Ana Soares")
    due = StipendTrancheFactory(application=ana, number=7, due_on=days_ago(0), amount=Decimal("150000"))
    due.currency = currency("JPY")
    due.save(update_fields=["currency"])
    paid = StipendTrancheFactory(
        application=ana, number=1, due_on=days_ago(190), status=TrancheStatus.PAID, paid_on=days_ago(185)
    )
    return due, paid


def test_tranches_export_typed_cells_in_the_lists_order(client, officer, tranches):
    client.force_login(officer)

    rows = table(client, "scholarships.tranches")

    # Tranches still to approve or pay come first; paid ones follow.
    assert [row["No."] for row in rows] == [7, 1]
    due, paid = rows
    assert due["Due on"] == midnight(days_ago(0))
    assert (due["Amount"], due["Currency"]) == (150000, "JPY")
    assert due["Progress report"] == "Not in yet"
    assert isinstance(due["Report due on"], datetime.datetime)
    assert (paid["Status"], paid["Paid on"], paid["Amount"], paid["Currency"]) == (
        "Paid",
        midnight(days_ago(185)),
        1000,
        "USD",
    )
    assert due["Scholar"] == "Ana Soares"


def test_tranches_export_follows_the_filters(client, officer, tranches):
    StipendTrancheFactory(application=scholar(applicant_name="Ben Tilman"), due_on=days_ago(0))
    client.force_login(officer)

    paid = table(client, "scholarships.tranches", status="paid")
    of_call = table(client, "scholarships.tranches", call=tranches[0].application.call_id)

    assert [row["No."] for row in paid] == [1]
    assert {row["Scholar"] for row in of_call} == {"Ana Soares"}


def test_auditors_export_tranches_without_scholars_names(client, auditor, tranches):
    client.force_login(auditor)

    rows = table(client, "scholarships.tranches")

    assert len(rows) == 2 and "Scholar" not in rows[0]


def test_partner_users_cannot_export_the_tranche_list(client, partner_user, tranches):
    client.force_login(partner_user)

    assert client.get(export_url("scholarships.tranches")).status_code == 403


def test_tranches_export_in_a_fixed_number_of_queries(client, officer):
    client.force_login(officer)
    for _ in range(2):
        StipendTrancheFactory(application=scholar(), approved_by=staff())
    two = queries(client, "scholarships.tranches")
    for _ in range(6):
        StipendTrancheFactory(application=scholar(), approved_by=staff())

    assert queries(client, "scholarships.tranches") == two


# --- progress reports ---------------------------------------------------------------------------------------------


def test_reports_export_those_awaiting_a_decision_first(client, officer, partner_org):
    ana = scholar(CallFactory(host=partner_org), applicant_name="Ana Soares")
    ProgressReportFactory(
        application=ana, term_label="Semester 1", period_end=days_ago(100), status=ReportStatus.ACCEPTED
    )
    ProgressReportFactory(application=ana, term_label="Semester 2", period_end=days_ago(5), result="GPA 3.8")
    client.force_login(officer)

    rows = table(client, "scholarships.reports")

    assert [(row["Term"], row["Status"]) for row in rows] == [("Semester 2", "Submitted"), ("Semester 1", "Accepted")]
    assert rows[0]["End of the period"] == midnight(days_ago(5))
    assert (rows[0]["Result"], rows[0]["Host institution"], rows[0]["Scholar"]) == (
        "GPA 3.8",
        "Yayasan Air Bersih",
        "Ana Soares",
    )


def test_auditors_export_reports_without_scholars_names(client, auditor):
    ProgressReportFactory(application=scholar())
    client.force_login(auditor)

    rows = table(client, "scholarships.reports")

    assert len(rows) == 1 and "Scholar" not in rows[0]


def test_partner_users_cannot_export_the_report_list(client, partner_user):
    client.force_login(partner_user)

    assert client.get(export_url("scholarships.reports")).status_code == 403


def test_reports_export_in_a_fixed_number_of_queries(client, officer):
    client.force_login(officer)
    for _ in range(2):
        ProgressReportFactory(application=scholar(), reviewed_by=staff())
    two = queries(client, "scholarships.reports")
    for _ in range(6):
        ProgressReportFactory(application=scholar(), reviewed_by=staff())

    assert queries(client, "scholarships.reports") == two


# --- the portal's scholars ----------------------------------------------------------------------------------------


def test_a_partner_exports_only_its_own_scholars(client, partner_user, partner_org, other_org):
    ours = CallFactory(host=partner_org, stipend_amount=Decimal("850.50"))
    scholar(ours, applicant_name="Ana Soares", email="ana@mail.example")
    scholar(ours, status=S.ACCEPTED, applicant_name="Ben Tilman")
    ApplicationFactory(call=ours, applicant_name="Not awarded", status=S.SHORTLISTED)
    scholar(CallFactory(host=other_org), applicant_name="Someone else's")
    client.force_login(partner_user)

    rows = {row["Scholar"]: row for row in table(client, "scholarships_portal.scholars")}

    assert set(rows) == {"Ana Soares", "Ben Tilman"}
    ana = rows["Ana Soares"]
    assert ana["Email"] == "ana@mail.example"
    assert ana["Enrolled on"] == midnight(days_ago(200))
    assert isinstance(ana["Awarded on"], datetime.datetime)
    assert (ana["Stipend per period"], ana["Currency"]) == (850.5, "USD")
    assert rows["Ben Tilman"]["What is due"] == "Enrolment to confirm"


def test_the_other_partner_exports_none_of_them(client, other_partner_user, partner_org):
    scholar(CallFactory(host=partner_org))
    client.force_login(other_partner_user)

    assert table(client, "scholarships_portal.scholars") == []


def test_staff_without_an_organisation_cannot_export_the_portal_scholars(client, officer):
    client.force_login(officer)

    assert client.get(export_url("scholarships_portal.scholars")).status_code == 403


def test_portal_scholars_export_in_a_fixed_number_of_queries(client, partner_user, partner_org):
    client.force_login(partner_user)
    for _ in range(2):
        scholar(CallFactory(host=partner_org))
    two = queries(client, "scholarships_portal.scholars")
    for _ in range(6):
        scholar(CallFactory(host=partner_org))

    assert queries(client, "scholarships_portal.scholars") == two
    assert len(table(client, "scholarships_portal.scholars")) == 8
