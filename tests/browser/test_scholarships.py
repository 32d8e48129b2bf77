"""A scholarship from the call to the first stipend, in a real browser.

An officer opens a call with a two-line rubric and records an application; a reviewer scores it and the
ranking shows the weighted score; the officer shortlists it and proposes the award; a manager approves it;
the host institution's partner user confirms the enrolment and submits a progress report; the officer
approves the first stipend tranche.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cooperation.reference.codes import OrganisationRole
from cooperation.roles import Role
from partners.models import Membership
from programs.models import Participation
from programs.scholarships.models import Application, ApplicationStatus, Call, TrancheStatus
from tests.browser.conftest import log_in
from tests.factories import PASSWORD, OrganisationFactory, ProgrammeFactory, UserFactory
from tests.programs.scholarships.factories import PDF_BYTES

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def people(reference_data_db):
    host = OrganisationFactory(name="Universitas Nusa Cendana", acronym="UNDANA")
    programme = ProgrammeFactory(code="KSM-2026-SCH", title="Water engineering scholarships", is_technical=True)
    Participation.objects.create(programme=programme, organisation=host, role=OrganisationRole.IMPLEMENTING)
    partner = UserFactory(username="partner", role=Role.PARTNER)
    Membership.objects.create(user=partner, organisation=host)
    return {
        "officer": UserFactory(username="officer", first_name="Olivia", last_name="Officer", role=Role.OFFICER),
        "reviewer": UserFactory(username="reviewer", first_name="Rahmat", last_name="Reviewer", role=Role.OFFICER),
        "manager": UserFactory(username="manager", role=Role.MANAGER),
        "partner": partner,
        "host": host,
        "programme": programme,
    }


def switch_to(page, username: str) -> None:
    page.context.clear_cookies()
    log_in(page, username, PASSWORD)


def test_call_to_award_to_enrolment_to_first_stipend(browser_page, people, tmp_path):
    page = browser_page
    today = timezone.localdate()

    # 1. The officer opens a call with a rubric, and records an application received with its CV.
    log_in(page, "officer", PASSWORD)
    page.goto(f"{page.base_url}/scholarships/calls/new/")
    page.select_option("#id_programme", str(people["programme"].pk))
    page.fill("#id_title", "Master's in water engineering 2027")
    page.select_option("#id_host", str(people["host"].pk))
    page.fill("#id_fields_of_study", "Water engineering\nPublic health")
    page.select_option("#id_level", "master")
    page.fill("#id_opens_on", (today - datetime.timedelta(days=10)).isoformat())
    page.fill("#id_closes_on", (today + datetime.timedelta(days=20)).isoformat())
    page.fill("#id_awards_available", "2")
    page.fill("#id_stipend_amount", "1200")
    page.select_option("#id_stipend_currency", "USD")
    page.select_option("#id_stipend_frequency", "monthly")
    page.fill("#id_duration_months", "12")
    page.select_option("#id_eligible_countries", ["ID", "TL"])
    page.fill("#id_criteria-0-name", "Academic merit")
    page.fill("#id_criteria-0-weight", "3")
    page.fill("#id_criteria-1-name", "Motivation")
    page.fill("#id_criteria-1-weight", "1")
    page.get_by_role("button", name="Create call").click()
    call = Call.objects.get()
    expect(page.locator("h1")).to_contain_text("Master's in water engineering 2027")

    cv = tmp_path / "cv.pdf"
    cv.write_bytes(PDF_BYTES)
    page.goto(f"{page.base_url}/scholarships/calls/{call.pk}/applications/new/")
    page.fill("#id_applicant_name", "Maria da Costa")
    page.fill("#id_email", "maria.dacosta@mail.example")
    page.select_option("#id_nationality", "TL")
    page.select_option("#id_gender", "female")
    page.fill("#id_date_of_birth", "1999-02-03")
    page.fill("#id_current_institution", "Universidade Nacional Timor Lorosa'e")
    page.fill("#id_degree", "BSc Civil Engineering")
    page.fill("#id_field_of_study", "Water engineering")
    page.fill("#id_motivation", "Clean water for the villages of Ermera.")
    page.set_input_files("#id_attachments", str(cv))
    page.get_by_role("button", name="Record application").click()
    application = Application.objects.get()
    expect(page.locator("main")).to_contain_text("maria.dacosta@mail.example")
    expect(page.get_by_role("link", name="cv.pdf")).to_be_visible()

    page.get_by_role("button", name="Mark eligible").click()
    expect(page.locator(".messages")).to_contain_text("application is eligible")

    # 2. The officer assigns a reviewer, who scores the rubric; the ranking shows the weighted score.
    page.goto(f"{page.base_url}/scholarships/calls/{call.pk}/reviewers/")
    page.locator(".reviewer-select select").first.select_option(str(people["reviewer"].pk))
    page.get_by_role("button", name="Assign the chosen reviewers").click()
    expect(page.locator("main")).to_contain_text("Rahmat Reviewer")

    switch_to(page, "reviewer")
    page.goto(f"{page.base_url}/scholarships/reviews/")
    page.get_by_role("link", name="Maria da Costa").click()
    page.get_by_label("Academic merit").fill("8")
    page.get_by_label("Motivation").fill("6")
    page.get_by_role("button", name="Save scores").click()
    expect(page.locator(".messages")).to_be_visible()

    switch_to(page, "officer")
    page.goto(f"{page.base_url}/scholarships/calls/{call.pk}/ranking/")
    row = page.locator("main tbody tr", has_text="Maria da Costa")
    expect(row).to_contain_text("7.5")  # (8 × 3 + 6 × 1) ÷ 4
    row.get_by_role("button", name="Shortlist").click()
    expect(page.locator(".messages")).to_contain_text("Maria da Costa was shortlisted.")
    page.goto(f"{page.base_url}/scholarships/calls/{call.pk}/ranking/")
    page.locator("main tbody tr", has_text="Maria da Costa").get_by_role("button", name="Propose an award").click()
    expect(page.locator(".messages")).to_contain_text("An award to Maria da Costa was proposed")

    # 3. A manager approves the award; the officer records that the scholar accepted it.
    switch_to(page, "manager")
    page.goto(f"{page.base_url}/scholarships/awards/")
    page.locator("main tr", has_text="Maria da Costa").get_by_role("button", name="Approve the award").click()
    expect(page.locator(".messages")).to_contain_text("The award to Maria da Costa was approved.")

    switch_to(page, "officer")
    page.goto(f"{page.base_url}/scholarships/applications/{application.pk}/")
    page.get_by_role("button", name="Scholar accepted").click()
    expect(page.locator(".messages")).to_contain_text("Maria da Costa accepted the award")

    # 4. The host institution confirms the enrolment (the term began six weeks ago; the award is back-dated to
    #    before it, as enrolment cannot precede the award) and reports the first term.
    enrolled_on = today - datetime.timedelta(days=42)
    Application.objects.filter(pk=application.pk).update(
        awarded_at=timezone.make_aware(datetime.datetime.combine(enrolled_on, datetime.time(9)))
    )
    switch_to(page, "partner")
    page.goto(f"{page.base_url}/portal/scholarships/")
    page.get_by_role("link", name="Maria da Costa").click()
    page.goto(f"{page.base_url}/portal/scholarships/scholars/{application.pk}/enrol/")
    page.fill("#id_enrolled_on", enrolled_on.isoformat())
    page.get_by_role("button", name="Confirm enrolment").click()
    expect(page.locator(".messages")).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ENROLLED
    assert application.tranches.count() == 12

    page.goto(f"{page.base_url}/portal/scholarships/scholars/{application.pk}/report/")
    page.fill("#id_term_label", "Orientation term")
    page.fill("#id_period_end", (today - datetime.timedelta(days=7)).isoformat())
    page.fill("#id_result", "Passed all modules")
    page.get_by_role("button", name="Submit the report").click()
    expect(page.locator(".messages")).to_be_visible()
    assert application.progress_reports.count() == 1

    # 5. The officer approves the first stipend tranche (due on enrolment, before any report is owed).
    switch_to(page, "officer")
    page.goto(f"{page.base_url}/scholarships/stipends/")
    first = application.tranches.order_by("number").first()
    tranche_row = page.locator(f"#tranche-{first.pk}")
    expect(tranche_row).to_contain_text("USD 1,200.00")
    tranche_row.get_by_role("button", name="Approve").click()
    expect(page.locator(f"#tranche-{first.pk} [data-status]")).to_have_text("Approved")
    first.refresh_from_db()
    assert first.status == TrancheStatus.APPROVED
