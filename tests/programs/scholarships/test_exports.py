"""The officers' application, award, review and call lists as files: typed cells, the page's filters and sort,
the applicant's personal data by the page's rule, who may export, and a fixed number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from cooperation.exports.tables import ExportRequest, table_for
from cooperation.roles import Role
from programs.scholarships import services
from programs.scholarships.apps import EXPORT_SOURCES
from programs.scholarships.models import ApplicationStatus, Level
from tests.factories import UserFactory, currency
from tests.programs.scholarships.exporting import export_url, header, queries, sheet, table
from tests.programs.scholarships.factories import (
    ApplicationFactory,
    CallFactory,
    ExchangeActivityFactory,
    ProgressReportFactory,
    ReviewFactory,
    ScoreFactory,
    StipendTrancheFactory,
    days_ago,
    shortlisted,
    staff,
    submit,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def scored_review(application, first: str, second: str, reviewer=None):
    """A completed review scoring the call's two criteria (weights 3 and 1)."""
    review = ReviewFactory(application=application, reviewer=reviewer or staff(), completed_at=timezone.now())
    for criterion, score in zip(application.call.criteria.all(), (first, second), strict=True):
        ScoreFactory(review=review, criterion=criterion, score=Decimal(score))
    return review


@pytest.fixture
def call(partner_org):
    return CallFactory(host=partner_org, title="Water engineering masters")


@pytest.fixture
def ana(call):
    application = ApplicationFactory(
        call=call,
        applicant_name="Ana Soares",
        email="ana.soares@mail.example",
        status=S.ELIGIBLE,
        submitted_on=days_ago(3),
    )
    scored_review(application, "8", "4")  # (8 × 3 + 4 × 1) / 4 = 7
    ReviewFactory(application=application)  # assigned, not in yet
    return application


@pytest.fixture
def ben(call):
    return ApplicationFactory(call=call, applicant_name="Ben Tilman", email="ben@mail.example")


# --- applications -------------------------------------------------------------------------------------------------


def test_applications_export_typed_cells(client, officer, ana, ben):
    client.force_login(officer)

    rows = table(client, "scholarships.applications", ordering="applicant")

    assert [row["Applicant"] for row in rows] == ["Ana Soares", "Ben Tilman"]
    first = rows[0]
    assert first["Reference"] == f"SCH-{ana.pk:05d}"
    assert first["Email"] == "ana.soares@mail.example"
    assert first["Date of birth"] == datetime.datetime(1998, 4, 12)
    assert first["Submitted on"] == datetime.datetime.combine(days_ago(3), datetime.time())
    assert first["Weighted score"] == 7
    assert (first["Reviews in"], first["Reviews assigned"]) == (1, 2)
    assert (first["Status"], first["Gender"], first["Nationality"]) == ("Eligible", "Female", "Indonesia")
    assert first["Host institution"] == "Yayasan Air Bersih"
    assert rows[1]["Weighted score"] is None


def test_applications_export_follows_the_filters_and_sort(client, officer, ana, ben, call):
    other = ApplicationFactory(call=CallFactory(), applicant_name="Cai Wen", status=S.ELIGIBLE)
    scored_review(other, "10", "10")
    client.force_login(officer)

    eligible = table(client, "scholarships.applications", status="eligible", ordering="-score")
    of_call = table(client, "scholarships.applications", call=call.pk, q="soa")

    assert [row["Applicant"] for row in eligible] == ["Cai Wen", "Ana Soares"]
    assert [row["Applicant"] for row in of_call] == ["Ana Soares"]


def test_auditors_export_applications_without_personal_data(client, auditor, ana, ben):
    client.force_login(auditor)

    rows = table(client, "scholarships.applications")

    assert len(rows) == 2
    assert not {"Applicant", "Email", "Date of birth"} & set(rows[0])
    assert {row["Reference"] for row in rows} == {f"SCH-{ana.pk:05d}", f"SCH-{ben.pk:05d}"}
    assert "ana.soares@mail.example" not in str(rows)


def test_a_recused_officer_exports_no_personal_data_of_that_application(client, officer, ana, ben):
    ReviewFactory(application=ben, reviewer=officer, conflict_declared_at=timezone.now(), conflict_note="My cousin.")
    client.force_login(officer)

    rows = {row["Applicant"]: row for row in table(client, "scholarships.applications")}

    assert (rows["Ben Tilman"]["Email"], rows["Ben Tilman"]["Date of birth"]) == ("—", None)
    assert rows["Ana Soares"]["Email"] == "ana.soares@mail.example"


def test_a_reviewer_exports_personal_data_only_of_the_applications_assigned(client, ana, ben):
    reviewer = UserFactory(role=Role.AUDITOR)
    reviewer.user_permissions.add(Permission.objects.get(codename="review_application"))
    ReviewFactory(application=ben, reviewer=reviewer)
    client.force_login(reviewer)

    rows = {row["Applicant"]: row for row in table(client, "scholarships.applications")}

    assert rows["Ben Tilman"]["Email"] == "ben@mail.example"
    assert (rows["Ana Soares"]["Email"], rows["Ana Soares"]["Date of birth"]) == ("—", None)


def test_partner_users_cannot_export_applications(client, partner_user, ana):
    client.force_login(partner_user)

    assert client.get(export_url("scholarships.applications")).status_code == 403


def test_applications_export_in_a_fixed_number_of_queries(client, officer, call):
    client.force_login(officer)
    for _ in range(2):
        scored_review(ApplicationFactory(call=call), "5", "5")
    two = queries(client, "scholarships.applications")
    for _ in range(6):
        scored_review(ApplicationFactory(call=CallFactory()), "5", "5")

    assert queries(client, "scholarships.applications") == two
    assert len(table(client, "scholarships.applications")) == 8


def test_the_application_list_offers_the_export_with_its_filters(client, officer, ana):
    client.force_login(officer)

    html = client.get(reverse("scholarships:application_list"), {"status": "eligible", "page": 1}).content.decode()

    assert f'href="{export_url("scholarships.applications", status="eligible")}"' in html


# --- awards -------------------------------------------------------------------------------------------------------


def test_awards_export_proposals_first_then_the_awards(client, manager, call):
    approved = ApplicationFactory(
        call=call,
        applicant_name="Ana Soares",
        status=S.ENROLLED,
        award_proposed_by=staff(),
        award_proposed_at=timezone.now() - datetime.timedelta(days=9),
        awarded_by=staff(Role.MANAGER),
        awarded_at=timezone.make_aware(datetime.datetime(2026, 3, 2, 10)),
    )
    proposed = shortlisted(submit(call, applicant_name="Ben Tilman"))
    services.application_propose_award(application=proposed, proposed_by=staff(), reason="Top of the ranking.")
    shortlisted(submit(call, applicant_name="Cai Wen"))  # not proposed: not an award
    client.force_login(manager)

    rows = table(client, "scholarships.awards")

    assert [(row["Scholar"], row["Award"]) for row in rows] == [("Ben Tilman", "Proposed"), ("Ana Soares", "Approved")]
    assert rows[0]["Reason for the proposal"] == "Top of the ranking."
    assert rows[0]["Approved on"] is None
    assert rows[1]["Approved on"] == datetime.datetime(2026, 3, 2)
    assert (rows[1]["Stipend per period"], rows[1]["Currency"]) == (1000, "USD")
    assert rows[1]["Reference"] == f"SCH-{approved.pk:05d}"


def test_awards_export_leaves_scholars_names_out_for_auditors(client, auditor, call):
    ApplicationFactory(call=call, status=S.AWARDED, award_proposed_by=staff(), awarded_at=timezone.now())
    client.force_login(auditor)

    rows = table(client, "scholarships.awards")

    assert len(rows) == 1 and "Scholar" not in rows[0]


def test_partner_users_cannot_export_awards(client, partner_user):
    client.force_login(partner_user)

    assert client.get(export_url("scholarships.awards")).status_code == 403


def test_awards_export_in_a_fixed_number_of_queries(client, manager):
    client.force_login(manager)

    def award():
        ApplicationFactory(
            call=CallFactory(),
            status=S.AWARDED,
            award_proposed_by=staff(),
            awarded_by=staff(Role.MANAGER),
            awarded_at=timezone.now(),
        )

    for _ in range(2):
        award()
    two = queries(client, "scholarships.awards")
    for _ in range(6):
        award()

    assert queries(client, "scholarships.awards") == two


# --- the reviewer's own reviews -----------------------------------------------------------------------------------


def test_reviews_export_the_reviewers_own_assignments(client, officer, ana, ben):
    scored_review(ana, "6", "6", reviewer=officer)
    ReviewFactory(application=ben, reviewer=officer, conflict_declared_at=timezone.now())
    client.force_login(officer)

    rows = table(client, "scholarships.reviews")

    assert {row["Applicant"]: row["My review"] for row in rows} == {"Ana Soares": "Scored", "Ben Tilman": "Recused"}
    scored = next(row for row in rows if row["Applicant"] == "Ana Soares")
    assert scored["Scored on"] == datetime.datetime.combine(timezone.localdate(), datetime.time())
    assert isinstance(scored["Call closes"], datetime.datetime)


def test_auditors_have_no_reviews_to_export(client, auditor):
    client.force_login(auditor)

    assert client.get(export_url("scholarships.reviews")).status_code == 403


def test_reviews_export_in_a_fixed_number_of_queries(client, officer):
    client.force_login(officer)
    for _ in range(2):
        ReviewFactory(reviewer=officer)
    two = queries(client, "scholarships.reviews")
    for _ in range(6):
        ReviewFactory(reviewer=officer)

    assert queries(client, "scholarships.reviews") == two


# --- calls --------------------------------------------------------------------------------------------------------


def test_calls_export_typed_cells_and_filters(client, officer, partner_org):
    CallFactory(
        title="Doctoral fellowships",
        host=partner_org,
        level=Level.DOCTORAL,
        closes_on=days_ago(-10),
        stipend_amount=Decimal("150000"),
        stipend_currency=currency("JPY"),
    )
    CallFactory(title="Short courses", level=Level.SHORT_COURSE, opens_on=days_ago(60), closes_on=days_ago(40))
    client.force_login(officer)

    doctoral = table(client, "scholarships.calls", level="doctoral")
    closed = table(client, "scholarships.calls", state="closed")

    assert [row["Title"] for row in doctoral] == ["Doctoral fellowships"]
    assert [row["Title"] for row in closed] == ["Short courses"]
    row = doctoral[0]
    assert row["Closes on"] == datetime.datetime.combine(days_ago(-10), datetime.time())
    assert (row["Stipend per period"], row["Currency"]) == (150000, "JPY")
    assert (row["State"], row["Applications"], row["Awards made"], row["Number of awards"]) == ("Open", 0, 0, 2)
    assert row["Eligible nationalities"] == "Indonesia; Papua New Guinea; Timor-Leste"


def test_calls_export_follows_the_sort(client, officer):
    CallFactory(title="B call")
    CallFactory(title="A call")
    client.force_login(officer)

    assert [row["Title"] for row in table(client, "scholarships.calls", ordering="-title")] == ["B call", "A call"]
    assert header(client, "scholarships.calls")[:4] == ("Title", "Programme", "Host institution", "Level")


def test_partner_users_cannot_export_calls(client, partner_user):
    client.force_login(partner_user)

    assert client.get(export_url("scholarships.calls")).status_code == 403


def test_calls_export_in_a_fixed_number_of_queries(client, auditor):
    client.force_login(auditor)
    for _ in range(2):
        ApplicationFactory(call=CallFactory())
    two = queries(client, "scholarships.calls")
    for _ in range(6):
        ApplicationFactory(call=CallFactory())

    assert queries(client, "scholarships.calls") == two
    assert sheet(client.get(export_url("scholarships.calls"))).max_row == 9


# --- on the worker ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [name for name, _source in EXPORT_SOURCES])
def test_every_list_exports_from_a_stand_in_request(name, officer, partner_user, partner_org):
    """A large export runs on the worker, where the source has only who asks and the list's query string."""
    awarded = ApplicationFactory(
        call=CallFactory(host=partner_org), status=S.AWARDED, award_proposed_by=staff(), awarded_at=timezone.now()
    )
    ReviewFactory(application=awarded, reviewer=officer)
    StipendTrancheFactory(application=awarded)
    ProgressReportFactory(application=awarded)
    ExchangeActivityFactory(host=partner_org)
    user = partner_user if name.startswith("scholarships_portal.") else officer

    exported = table_for(name, ExportRequest(user=user, GET=QueryDict("ordering=-title")))

    assert len(list(exported.values())) == exported.count() >= 1
