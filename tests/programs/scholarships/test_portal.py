"""The host institution's portal pages: its scholars from the award on, confirming enrolment, reporting each
term's progress, and the exchange activities it hosts or takes part in. Nothing of another organisation is ever
shown or written, and bad input comes back next to the field with nothing saved."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs.scholarships import services
from programs.scholarships.models import (
    ApplicationStatus,
    ExchangeStatus,
    Gender,
    Participant,
    ProgressReport,
    ReportStatus,
)
from tests.factories import country
from tests.programs.scholarships.factories import (
    ApplicationFactory,
    CallFactory,
    ExchangeActivityFactory,
    ParticipantFactory,
    ProgressReportFactory,
    accepted,
    days_ago,
    enrolled,
    pdf,
    shortlisted,
    submit,
    take_part,
    today,
)

pytestmark = pytest.mark.django_db

S = ApplicationStatus


@pytest.fixture
def call(partner_org):
    return CallFactory(host=partner_org, awards_available=10, title="Water engineering masters")


@pytest.fixture
def scholar(call, partner_user):
    """Enrolled 200 days ago on a 12-month scholarship: the first report (month 6) is overdue."""
    return enrolled(submit(call, applicant_name="Ana Soares", email="ana@mail.example"), on=days_ago(200))


@pytest.fixture
def to_enrol(call):
    return accepted(submit(call, applicant_name="Budi Santoso", email="budi@mail.example"))


@pytest.fixture
def foreign_scholar(other_org):
    return enrolled(submit(CallFactory(host=other_org), applicant_name="Lani Kealoha"), on=days_ago(30))


def _html(response) -> str:
    return response.content.decode()


def _hosted(call, officer, status=S.ENROLLED, **fields):
    """A scholar row built directly (fast), as the services would have left it."""
    return ApplicationFactory(
        call=call,
        status=status,
        award_proposed_by=officer,
        awarded_by=officer,
        awarded_at=timezone.now() - datetime.timedelta(days=100),
        enrolled_on=days_ago(90) if status == S.ENROLLED else None,
        **fields,
    )


# --- the list of scholars -----------------------------------------------------------------------------------------


def test_scholar_list_shows_my_scholars_from_the_award_on_and_what_is_due(
    client, partner_user, call, scholar, to_enrol, foreign_scholar
):
    in_review = shortlisted(submit(call, applicant_name="Citra Dewi"))
    client.force_login(partner_user)

    response = client.get(reverse("scholarships_portal:scholar_list"))

    assert response.status_code == 200
    html = _html(response)
    assert "Ana Soares" in html and "Budi Santoso" in html
    assert "Citra Dewi" not in html  # shortlisted, not awarded: not the host's business yet
    assert "Lani Kealoha" not in html
    assert "Enrolment to confirm" in html
    assert reverse("scholarships_portal:scholar_enrol", args=[to_enrol.pk]) in html
    assert "Progress report was due on" in html  # enrolled 200 days ago, the month-6 report is not in
    assert reverse("scholarships_portal:scholar_report", args=[scholar.pk]) in html
    assert reverse("scholarships_portal:scholar_detail", args=[in_review.pk]) not in html


def test_a_scholar_whose_report_is_in_shows_the_next_one(client, partner_user, scholar):
    services.progress_report_submit(
        application=scholar, submitted_by=partner_user, term_label="Semester 1", period_end=days_ago(10), result="Pass"
    )
    client.force_login(partner_user)
    html = _html(client.get(reverse("scholarships_portal:scholar_list")))
    assert "Next progress report due on" in html
    assert "Progress report was due on" not in html


def test_scholar_list_lists_my_activities_too(client, partner_user, partner_org, other_org):
    hosted = ExchangeActivityFactory(host=partner_org, title="Gamelan workshop")
    involved = ExchangeActivityFactory(host=other_org, title="Weaving residency")
    take_part(involved.programme, partner_org)
    involved.partners.add(partner_org)
    ExchangeActivityFactory(host=other_org, title="Pacific dance festival")
    client.force_login(partner_user)

    html = _html(client.get(reverse("scholarships_portal:scholar_list")))

    assert "Gamelan workshop" in html and "Weaving residency" in html
    assert "Pacific dance festival" not in html
    assert "No scholarship has been awarded at your institution yet." in html
    assert reverse("scholarships_portal:activity_detail", args=[hosted.pk]) in html


def test_scholar_list_query_count_stays_flat(client, officer, partner_user, partner_org, call):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("scholarships_portal:scholar_list")).status_code == 200
        return len(queries)

    client.force_login(partner_user)
    _hosted(call, officer)
    ExchangeActivityFactory(host=partner_org)
    few = count_queries()
    for index in range(8):
        scholar = _hosted(call, officer, status=S.ENROLLED if index % 2 else S.ACCEPTED)
        if index % 2:
            ProgressReportFactory(application=scholar, submitted_by=partner_user, period_end=days_ago(5))
        ExchangeActivityFactory(host=partner_org)
    assert count_queries() == few


def test_staff_do_not_use_the_portal(client, officer, scholar):
    client.force_login(officer)
    assert client.get(reverse("scholarships_portal:scholar_list")).status_code == 403
    assert client.get(reverse("scholarships_portal:scholar_detail", args=[scholar.pk])).status_code == 403


# --- one scholar --------------------------------------------------------------------------------------------------


def test_scholar_page_shows_personal_data_tranches_and_reports_with_status(client, partner_user, officer, scholar):
    accepted_report = ProgressReportFactory(
        application=scholar, submitted_by=partner_user, term_label="Semester 1", period_end=days_ago(20)
    )
    services.progress_report_accept(report=accepted_report, accepted_by=officer)
    returned = ProgressReportFactory(
        application=scholar, submitted_by=partner_user, term_label="Semester 2", period_end=days_ago(5)
    )
    services.progress_report_return(report=returned, returned_by=officer, reason="The transcript is missing.")
    client.force_login(partner_user)

    response = client.get(reverse("scholarships_portal:scholar_detail", args=[scholar.pk]))

    assert response.status_code == 200
    html = _html(response)
    assert "ana@mail.example" in html  # the host sees personal data once the scholarship was awarded
    assert "Semester 1" in html and "Accepted" in html
    assert "Semester 2" in html and "Returned" in html and "The transcript is missing." in html
    assert scholar.tranches.count() == 12
    assert html.count("badge-tranche-scheduled") == 12
    assert "USD 1,000.00" in html


def test_scholar_page_links_the_applicants_files_for_the_host(client, partner_user, call):
    application = submit(call, applicant_name="Dita", email="dita@mail.example")
    attachment = services.attachment_add(application=application, uploaded_by=call.created_by, file=pdf())
    scholar = enrolled(application, on=days_ago(10))
    client.force_login(partner_user)

    html = _html(client.get(reverse("scholarships_portal:scholar_detail", args=[scholar.pk])))

    assert reverse("scholarships:attachment_download", args=[attachment.pk]) in html
    assert "dita@mail.example" in html


def test_applications_before_the_award_are_404_for_the_host(client, partner_user, call):
    in_review = shortlisted(submit(call))
    client.force_login(partner_user)
    for name in ("scholar_detail", "scholar_enrol", "scholar_report"):
        assert client.get(reverse(f"scholarships_portal:{name}", args=[in_review.pk])).status_code == 404


def test_another_organisations_scholar_is_404_on_every_page_and_post(client, other_partner_user, scholar, to_enrol):
    report = ProgressReportFactory(application=scholar, submitted_by=scholar.enrolment_confirmed_by)
    client.force_login(other_partner_user)
    for name, target in (
        ("scholar_detail", scholar),
        ("scholar_enrol", to_enrol),
        ("scholar_report", scholar),
        ("report_detail", report),
    ):
        assert client.get(reverse(f"scholarships_portal:{name}", args=[target.pk])).status_code == 404
    enrol = client.post(
        reverse("scholarships_portal:scholar_enrol", args=[to_enrol.pk]), {"enrolled_on": today().isoformat()}
    )
    posted_report = client.post(
        reverse("scholarships_portal:scholar_report", args=[scholar.pk]),
        {"term_label": "Intrusion", "period_end": days_ago(1).isoformat(), "result": "Pass"},
    )
    assert enrol.status_code == 404 and posted_report.status_code == 404
    to_enrol.refresh_from_db()
    assert to_enrol.status == S.ACCEPTED
    assert not ProgressReport.objects.filter(term_label="Intrusion").exists()


# --- confirming enrolment -----------------------------------------------------------------------------------------


def test_the_host_confirms_enrolment_and_the_stipend_is_scheduled(client, partner_user, to_enrol):
    client.force_login(partner_user)
    url = reverse("scholarships_portal:scholar_enrol", args=[to_enrol.pk])
    assert 'name="enrolled_on"' in _html(client.get(url))

    response = client.post(url, {"enrolled_on": today().isoformat()})

    assert response.status_code == 302
    assert response.url == reverse("scholarships_portal:scholar_detail", args=[to_enrol.pk])
    to_enrol.refresh_from_db()
    assert to_enrol.status == S.ENROLLED and to_enrol.enrolled_on == today()
    assert to_enrol.enrolment_confirmed_by == partner_user
    assert to_enrol.tranches.count() == 12


@pytest.mark.parametrize(
    ("enrolled_on", "message"),
    [
        (lambda: today() + datetime.timedelta(days=3), "This date is in the future."),
        (lambda: days_ago(400), "enrolment cannot come before"),
        (lambda: "not-a-date", "Enter a valid date."),
        (lambda: "", "This field is required."),
    ],
)
def test_a_bad_enrolment_date_is_shown_next_to_the_field(client, partner_user, to_enrol, enrolled_on, message):
    client.force_login(partner_user)
    value = enrolled_on()
    response = client.post(
        reverse("scholarships_portal:scholar_enrol", args=[to_enrol.pk]),
        {"enrolled_on": value.isoformat() if isinstance(value, datetime.date) else value},
    )
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors["enrolled_on"])
    to_enrol.refresh_from_db()
    assert to_enrol.status == S.ACCEPTED and to_enrol.enrolled_on is None
    assert not to_enrol.tranches.exists()


def test_an_enrolled_scholar_shows_the_date_and_no_form(client, partner_user, scholar):
    client.force_login(partner_user)
    response = client.get(reverse("scholarships_portal:scholar_enrol", args=[scholar.pk]))
    html = _html(response)
    assert response.status_code == 200
    assert "Already enrolled on" in html
    assert 'name="enrolled_on"' not in html


def test_enrolling_twice_is_refused_at_the_top_of_the_form(client, partner_user, scholar):
    client.force_login(partner_user)
    response = client.post(
        reverse("scholarships_portal:scholar_enrol", args=[scholar.pk]), {"enrolled_on": today().isoformat()}
    )
    assert response.status_code == 200
    assert "Only a scholar who accepted the award can enrol" in _html(response)
    scholar.refresh_from_db()
    assert scholar.enrolled_on == days_ago(200)


# --- progress reports ---------------------------------------------------------------------------------------------


def _report_data(**overrides):
    return {
        "term_label": "Semester 1, 2026",
        "period_end": days_ago(15).isoformat(),
        "result": "GPA 3.7",
        "remarks": "Good attendance.",
    } | overrides


def test_the_host_submits_a_progress_report(client, partner_user, scholar):
    client.force_login(partner_user)
    url = reverse("scholarships_portal:scholar_report", args=[scholar.pk])
    assert 'name="term_label"' in _html(client.get(url))

    response = client.post(url, _report_data())

    report = ProgressReport.objects.get(application=scholar)
    assert response.status_code == 302
    assert response.url == reverse("scholarships_portal:report_detail", args=[report.pk])
    assert (report.term_label, report.result, report.status) == ("Semester 1, 2026", "GPA 3.7", ReportStatus.SUBMITTED)
    assert report.submitted_by == partner_user
    html = _html(client.get(response.url))
    assert "Semester 1, 2026" in html and "Submitted" in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"period_end": (today() + datetime.timedelta(days=5)).isoformat()}, "period_end", "in the future"),
        ({"period_end": days_ago(300).isoformat()}, "period_end", "the period must end after that"),
        ({"period_end": "31/02/2026"}, "period_end", "Enter a valid date."),
        ({"term_label": ""}, "term_label", "This field is required."),
        ({"result": "   "}, "result", "This field is required."),
    ],
)
def test_a_bad_progress_report_is_refused_next_to_the_field(client, partner_user, scholar, overrides, field, message):
    client.force_login(partner_user)
    response = client.post(reverse("scholarships_portal:scholar_report", args=[scholar.pk]), _report_data(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not ProgressReport.objects.exists()


def test_a_scholar_not_enrolled_yet_cannot_be_reported_on(client, partner_user, to_enrol):
    client.force_login(partner_user)
    url = reverse("scholarships_portal:scholar_report", args=[to_enrol.pk])
    page = _html(client.get(url))
    assert "Progress is reported for an enrolled scholar" in page and 'name="term_label"' not in page

    response = client.post(url, _report_data())

    assert response.status_code == 200
    assert "Progress is reported for an enrolled scholar; this one is Accepted." in _html(response)
    assert not ProgressReport.objects.exists()


def test_a_returned_report_shows_the_reason_and_invites_a_corrected_one(client, partner_user, officer, scholar):
    report = ProgressReportFactory(application=scholar, submitted_by=partner_user, period_end=days_ago(5))
    services.progress_report_return(report=report, returned_by=officer, reason="Signed transcript needed.")
    client.force_login(partner_user)
    html = _html(client.get(reverse("scholarships_portal:report_detail", args=[report.pk])))
    assert "Signed transcript needed." in html
    assert reverse("scholarships_portal:scholar_report", args=[scholar.pk]) in html


def test_submitting_the_same_report_twice_keeps_one_and_says_it_is_in(client, partner_user, scholar):
    client.force_login(partner_user)
    url = reverse("scholarships_portal:scholar_report", args=[scholar.pk])
    assert client.post(url, _report_data()).status_code == 302

    again = client.post(url, _report_data())

    assert again.status_code == 200
    assert any("is already in" in error for error in again.context["form"].errors["period_end"])
    assert ProgressReport.objects.filter(application=scholar).count() == 1


def test_a_returned_report_can_be_replaced_for_the_same_period(client, partner_user, officer, scholar):
    returned = ProgressReportFactory(application=scholar, submitted_by=partner_user, period_end=days_ago(15))
    services.progress_report_return(report=returned, returned_by=officer, reason="Signed transcript needed.")
    client.force_login(partner_user)

    response = client.post(reverse("scholarships_portal:scholar_report", args=[scholar.pk]), _report_data())

    assert response.status_code == 302
    assert scholar.progress_reports.filter(status=ReportStatus.SUBMITTED, period_end=days_ago(15)).exists()


# --- activities ---------------------------------------------------------------------------------------------------


@pytest.fixture
def hosted_activity(partner_org):
    return ExchangeActivityFactory(host=partner_org, title="Gamelan workshop", status=ExchangeStatus.COMPLETED)


@pytest.fixture
def involved_activity(partner_org, other_org):
    """Hosted by the other organisation; the partner's organisation takes part."""
    activity = ExchangeActivityFactory(host=other_org, title="Weaving residency")
    take_part(activity.programme, partner_org)
    activity.partners.add(partner_org)
    return activity


def _activity_report_data(women="3", men="2", other="0", outcomes="Two new dances taught.", rows=()):
    data = {
        "women": women,
        "men": men,
        "other_gender": other,
        "outcome_notes": outcomes,
        "participants-TOTAL_FORMS": str(len(rows)),
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "1000",
    }
    for index, (name, gender, organisation, country_code) in enumerate(rows):
        data |= {
            f"participants-{index}-name": name,
            f"participants-{index}-gender": gender,
            f"participants-{index}-organisation": organisation,
            f"participants-{index}-country": country_code,
        }
    return data


def test_activity_list_shows_what_i_host_or_take_part_in(
    client, partner_user, other_org, hosted_activity, involved_activity
):
    ExchangeActivityFactory(host=other_org, title="Pacific dance festival")
    client.force_login(partner_user)

    html = _html(client.get(reverse("scholarships_portal:activity_list")))

    assert "Gamelan workshop" in html and "Weaving residency" in html
    assert "Pacific dance festival" not in html
    assert "Involved (host: Pacific Relief Network)" in html


def test_activity_list_query_count_stays_flat(client, partner_user, partner_org):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("scholarships_portal:activity_list")).status_code == 200
        return len(queries)

    client.force_login(partner_user)
    ParticipantFactory(activity=ExchangeActivityFactory(host=partner_org))
    few = count_queries()
    for _index in range(10):
        ParticipantFactory(activity=ExchangeActivityFactory(host=partner_org))
    assert count_queries() == few


def test_the_host_reports_participants_and_outcomes(client, partner_user, hosted_activity):
    client.force_login(partner_user)
    url = reverse("scholarships_portal:activity_report", args=[hosted_activity.pk])
    assert 'name="women"' in _html(client.get(url))

    response = client.post(
        url,
        _activity_report_data(
            rows=[
                ("Sri Lestari", Gender.FEMALE, "Sanggar Tari", "ID"),
                ("", "", "", ""),
                ("Ketut", Gender.MALE, "", ""),
            ]
        ),
    )

    assert response.status_code == 302
    hosted_activity.refresh_from_db()
    assert (hosted_activity.women, hosted_activity.men, hosted_activity.other_gender) == (3, 2, 0)
    assert hosted_activity.outcome_notes == "Two new dances taught."
    listed = list(hosted_activity.participants.order_by("name").values_list("name", "gender", "country"))
    assert listed == [("Ketut", Gender.MALE, None), ("Sri Lestari", Gender.FEMALE, "ID")]
    html = _html(client.get(response.url))
    assert "Sri Lestari" in html and "Two new dances taught." in html


def test_the_report_form_is_filled_with_what_was_reported(client, partner_user, hosted_activity):
    ParticipantFactory(activity=hosted_activity, name="Made Wirawan", gender=Gender.MALE)
    client.force_login(partner_user)
    html = _html(client.get(reverse("scholarships_portal:activity_report", args=[hosted_activity.pk])))
    assert 'value="Made Wirawan"' in html


@pytest.mark.parametrize(
    ("counts", "field", "message"),
    [
        ({"women": "-2"}, "women", "A number of participants cannot be negative."),
        ({"other": "-1"}, "other_gender", "A number of participants cannot be negative."),
        ({"men": "two"}, "men", "Enter a whole number."),
        ({"women": "99999999999999999999"}, "women", "A number of participants cannot be more than 10,000,000."),
    ],
)
def test_bad_counts_are_refused_next_to_the_field(client, partner_user, hosted_activity, counts, field, message):
    client.force_login(partner_user)
    response = client.post(
        reverse("scholarships_portal:activity_report", args=[hosted_activity.pk]), _activity_report_data(**counts)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    hosted_activity.refresh_from_db()
    assert hosted_activity.women == 0 and hosted_activity.outcome_notes == ""


def test_a_list_longer_than_the_counts_is_refused(client, partner_user, hosted_activity):
    client.force_login(partner_user)
    rows = [("Sri", Gender.FEMALE, "", ""), ("Ayu", Gender.FEMALE, "", "")]
    response = client.post(
        reverse("scholarships_portal:activity_report", args=[hosted_activity.pk]),
        _activity_report_data(women="1", rows=rows),
    )
    assert response.status_code == 200
    assert "The list names 2 female participants, more than this count." in response.context["form"].errors["women"]
    assert not Participant.objects.exists()


def test_a_participant_without_a_name_or_gender_is_refused_above_the_list(client, partner_user, hosted_activity):
    client.force_login(partner_user)
    response = client.post(
        reverse("scholarships_portal:activity_report", args=[hosted_activity.pk]),
        _activity_report_data(rows=[("", Gender.FEMALE, "Sanggar", ""), ("Wayan", "", "", "")]),
    )
    assert response.status_code == 200
    html = _html(response)
    assert "Participant 1: give the name." in html and "Wayan: choose the gender." in html
    assert not Participant.objects.exists()


def test_an_involved_partner_sees_the_activity_read_only(client, partner_user, involved_activity):
    client.force_login(partner_user)
    detail = _html(client.get(reverse("scholarships_portal:activity_detail", args=[involved_activity.pk])))
    assert "sees it read-only" in detail
    assert reverse("scholarships_portal:activity_report", args=[involved_activity.pk]) not in detail

    url = reverse("scholarships_portal:activity_report", args=[involved_activity.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Only the host partner, Pacific Relief Network, reports on this activity" in _html(page)
    assert 'name="women"' not in _html(page)
    assert client.post(url, _activity_report_data()).status_code == 403
    involved_activity.refresh_from_db()
    assert involved_activity.participants_total == 0


def test_another_organisations_activity_is_404(client, other_partner_user, hosted_activity):
    client.force_login(other_partner_user)
    for name in ("activity_detail", "activity_report"):
        assert client.get(reverse(f"scholarships_portal:{name}", args=[hosted_activity.pk])).status_code == 404
    response = client.post(
        reverse("scholarships_portal:activity_report", args=[hosted_activity.pk]), _activity_report_data()
    )
    assert response.status_code == 404
    hosted_activity.refresh_from_db()
    assert hosted_activity.participants_total == 0


def test_a_cancelled_activity_has_nothing_to_report(client, partner_user, partner_org):
    cancelled = ExchangeActivityFactory(host=partner_org, status=ExchangeStatus.CANCELLED)
    client.force_login(partner_user)
    url = reverse("scholarships_portal:activity_report", args=[cancelled.pk])
    assert "This activity is cancelled: there is nothing to report." in _html(client.get(url))
    response = client.post(url, _activity_report_data())
    assert response.status_code == 200
    assert "This activity is cancelled: there is nothing to report." in _html(response)
    cancelled.refresh_from_db()
    assert cancelled.participants_total == 0


def test_countries_are_offered_in_the_participant_list(client, partner_user, hosted_activity):
    client.force_login(partner_user)
    html = _html(client.get(reverse("scholarships_portal:activity_report", args=[hosted_activity.pk])))
    assert f'<option value="ID">{country("ID").name}</option>' in html


# --- the portal's home page ---------------------------------------------------------------------------------------


def test_portal_home_says_what_the_host_owes_on_its_scholars(client, partner_user, scholar, to_enrol):
    client.force_login(partner_user)
    html = _html(client.get(reverse("portal:home")))
    assert "1 enrolment to confirm" in html
    assert "1 progress report due" in html
    assert reverse("scholarships_portal:scholar_list") in html


def test_portal_home_block_is_quiet_when_nothing_is_owed(client, other_partner_user, scholar, to_enrol):
    client.force_login(other_partner_user)
    html = _html(client.get(reverse("portal:home")))
    assert "enrolment to confirm" not in html and "progress report due" not in html


def test_portal_home_block_query_count_stays_flat(client, officer, partner_user, call):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("portal:home")).status_code == 200
        return len(queries)

    client.force_login(partner_user)
    _hosted(call, officer)
    few = count_queries()
    for index in range(8):
        _hosted(call, officer, status=S.ENROLLED if index % 2 else S.ACCEPTED)
    assert count_queries() == few
