"""Alumni outcomes: when each milestone falls, the invitation sent once per milestone with the alumnus's private
link, the link that records exactly once, and the host recording and correcting an outcome in the portal."""

import datetime
import re
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from cooperation.outbox.models import MessageStatus, OutboxMessage
from cooperation.reference.models import Sector
from cooperation.refusals import Refused, refusal_codes
from programs.scholarships import alumni, services, tasks
from programs.scholarships.models import AlumniInvitation, AlumniOutcome, EmploymentStatus
from programs.scholarships.services.refusals import ScholarshipRefusal
from tests.concurrency import daily_job, run_together
from tests.factories import ContactFactory, MembershipFactory, OrganisationFactory, country
from tests.programs.scholarships.factories import (
    AlumniOutcomeFactory,
    CallFactory,
    alumnus,
    outcome_answers,
    today,
)

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/scholarships/alumni/outcome/(\S+)/")


def years_ago(years: int, days: int = 0) -> datetime.date:
    return alumni.add_years(today(), -years) - datetime.timedelta(days=days)


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    return daily_job(django_capture_on_commit_callbacks, tasks.send_alumni_invitations)


@pytest.fixture
def host():
    organisation = OrganisationFactory(name="Universitas Gadjah Mada")
    ContactFactory(organisation=organisation, name="Ana", email="ana@ugm.example", preferred_language="en")
    ContactFactory(organisation=organisation, name="Budi", email="budi@ugm.example", preferred_language="id")
    ContactFactory(organisation=organisation, name="Gone", email="gone@ugm.example", is_active=False)
    return organisation


@pytest.fixture
def host_staff(host):
    return MembershipFactory(organisation=host).user


def key_sent_to(address: str) -> str:
    """The key of the link emailed to ``address`` (the outbox row forgets the body once it is sent)."""
    (email,) = [email for email in mail.outbox if address in email.to]
    return LINK.search(email.body).group(1)


# --- milestone dates ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("completed_on", "years", "due"),
    [
        (datetime.date(2022, 7, 15), 1, datetime.date(2023, 7, 15)),
        (datetime.date(2022, 7, 15), 3, datetime.date(2025, 7, 15)),
        (datetime.date(2022, 7, 15), 5, datetime.date(2027, 7, 15)),
        (datetime.date(2024, 2, 29), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 2, 29), 3, datetime.date(2027, 2, 28)),
        (datetime.date(2024, 2, 29), 5, datetime.date(2029, 2, 28)),
        (datetime.date(2023, 2, 28), 1, datetime.date(2024, 2, 28)),
    ],
)
def test_each_milestone_falls_one_three_and_five_years_after_completion(completed_on, years, due):
    assert alumni.milestone_due(completed_on, years) == due


def test_a_scholar_who_completed_on_29_february_is_asked_on_28_february_of_a_common_year(run, host):
    scholar = alumnus(CallFactory(host=host), completed_on=datetime.date(2024, 2, 29), email="leap@mail.example")

    assert run(datetime.date(2025, 2, 27)) == 0
    assert run(datetime.date(2025, 2, 28)) == 1

    invitation = AlumniInvitation.objects.get(application=scholar)
    assert (invitation.milestone, invitation.due_on) == (1, datetime.date(2025, 2, 28))


# --- the invitations ----------------------------------------------------------------------------------------------


def test_the_alumnus_gets_a_private_link_and_the_host_contacts_a_portal_link(run, host):
    scholar = alumnus(CallFactory(host=host), completed_on=years_ago(1), email="maria@mail.example")

    assert run(today()) == 1

    to_alumnus = OutboxMessage.objects.get(recipient="maria@mail.example")
    key = key_sent_to("maria@mail.example")
    assert to_alumnus.sensitive and key not in to_alumnus.body  # the link is not kept once sent
    invitation = AlumniInvitation.objects.get(application=scholar, milestone=1)
    assert key not in invitation.key_digest and len(key) >= 40
    assert services.invitation_for_key(key) == invitation
    to_hosts = OutboxMessage.objects.filter(kind=alumni.ALUMNI_OUTCOME_DUE).exclude(recipient="maria@mail.example")
    assert sorted(to_hosts.values_list("recipient", flat=True)) == ["ana@ugm.example", "budi@ugm.example"]
    for email in mail.outbox:
        if email.to != ["maria@mail.example"]:
            assert "/scholarships/alumni/outcome/" not in email.body
            assert f"/portal/scholarships/scholars/{scholar.pk}/outcome/1/" in email.body


def test_each_recipient_hears_in_their_own_language(run, host):
    alumnus(CallFactory(host=host), completed_on=years_ago(1), email="wayan@mail.example", nationality=country("ID"))
    alumnus(CallFactory(host=host), completed_on=years_ago(1), email="joao@mail.example", nationality=country("TL"))

    run(today())

    languages = dict(OutboxMessage.objects.values_list("recipient", "language"))
    assert languages["wayan@mail.example"] == "id"
    assert languages["joao@mail.example"] == "en"
    assert languages["budi@ugm.example"] == "id"
    assert languages["ana@ugm.example"] == "en"


def test_running_twice_asks_once_per_milestone_and_a_missed_day_is_caught_up(run, host):
    alumnus(CallFactory(host=host), completed_on=years_ago(1, days=10), email="late@mail.example")
    alumnus(CallFactory(host=host), completed_on=years_ago(3), email="three@mail.example")

    assert run(today()) == 2
    assert run(today()) == 0
    assert run(today() + datetime.timedelta(days=1)) == 0

    assert sorted(AlumniInvitation.objects.values_list("milestone", flat=True)) == [1, 3]
    assert OutboxMessage.objects.filter(recipient="late@mail.example").count() == 1


def test_no_invitation_before_the_milestone_after_the_links_life_or_once_the_outcome_is_in(run, host, settings):
    settings.ALUMNI_LINK_DAYS = 180
    call = CallFactory(host=host)
    alumnus(call, completed_on=years_ago(1) + datetime.timedelta(days=1))  # tomorrow
    alumnus(call, completed_on=years_ago(1, days=200))  # passed longer ago than a link lasts
    recorded = alumnus(call, completed_on=years_ago(1))
    AlumniOutcomeFactory(application=recorded, milestone=1)

    assert run(today()) == 0


def test_an_invitation_not_delivered_before_the_outcome_is_recorded_is_not_sent(
    host, host_staff, django_capture_on_commit_callbacks
):
    scholar = alumnus(CallFactory(host=host), completed_on=years_ago(1), email="quick@mail.example")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tasks.send_alumni_invitations(today().isoformat())
    services.alumni_outcome_record(application=scholar, milestone=1, recorded_by=host_staff, **outcome_answers())
    for callback in callbacks:
        callback()

    assert mail.outbox == []
    statuses = set(OutboxMessage.objects.filter(kind=alumni.ALUMNI_OUTCOME_DUE).values_list("status", flat=True))
    assert statuses == {MessageStatus.CANCELLED}


def test_the_command_prints_each_invitation_and_the_job_is_scheduled(host, django_capture_on_commit_callbacks):
    alumnus(CallFactory(host=host), completed_on=years_ago(3), applicant_name="Maria da Costa")
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_alumni_invitations", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("Maria da Costa  3y  ")
    assert lines[-1] == "1 alumni invitation(s) sent."

    from config.celery import app

    app.finalize()
    schedule = app.conf.beat_schedule["alumni-outcome-invitations"]
    assert schedule["task"] == "programs.scholarships.tasks.send_alumni_invitations"


def test_finding_the_milestones_owed_is_one_query_whatever_the_number_of_alumni(host, django_assert_num_queries):
    call = CallFactory(host=host)
    for years in (1, 3, 5, 1, 3):
        alumnus(call, completed_on=years_ago(years))

    with django_assert_num_queries(1):
        owed = alumni.milestones_owed(today())

    assert sorted(milestone for _scholar, milestone, _due in owed) == [1, 1, 3, 3, 5]


# --- the private link ---------------------------------------------------------------------------------------------


def answers_posted(**overrides) -> dict:
    return {
        "returned_home": "yes",
        "employment_status": "employed",
        "sector": "",
        "employer": "Bappenas",
        "works_with_partners": "no",
    } | overrides


def test_the_link_records_the_outcome_exactly_once(client, run, host):
    scholar = alumnus(CallFactory(host=host), completed_on=years_ago(1), email="maria@mail.example")
    run(today())
    url = reverse("scholarships:alumni_link", kwargs={"key": key_sent_to("maria@mail.example")})

    assert client.get(url).status_code == 200
    response = client.post(url, answers_posted())
    assert response.status_code == 200
    assert b'id="thanks"' in response.content

    outcome = AlumniOutcome.objects.get(application=scholar)
    assert (outcome.milestone, outcome.returned_home, outcome.employment_status) == (1, True, "employed")
    assert outcome.employer == "Bappenas" and outcome.works_with_partners is False
    assert outcome.recorded_by is None and outcome.by_alumnus

    again = client.post(url, answers_posted(employment_status="seeking_work"))
    assert again.status_code == 410
    assert client.get(url).status_code == 410
    outcome.refresh_from_db()
    assert outcome.employment_status == "employed"
    assert AlumniOutcome.objects.count() == 1


def test_a_link_records_only_its_own_scholar_and_milestone_and_a_made_up_one_nothing(client, run, host):
    call = CallFactory(host=host)
    first = alumnus(call, completed_on=years_ago(1), email="first@mail.example")
    second = alumnus(call, completed_on=years_ago(3), email="second@mail.example")
    run(today())

    url = reverse("scholarships:alumni_link", kwargs={"key": key_sent_to("first@mail.example")})
    client.post(url, answers_posted())

    assert list(AlumniOutcome.objects.values_list("application", "milestone")) == [(first.pk, 1)]
    assert not second.alumni_outcomes.exists()
    made_up = reverse("scholarships:alumni_link", kwargs={"key": "x" * 43})
    assert client.post(made_up, answers_posted()).status_code == 404
    assert AlumniOutcome.objects.count() == 1
    # The second scholar's own link still works.
    second_url = reverse("scholarships:alumni_link", kwargs={"key": key_sent_to("second@mail.example")})
    assert client.post(second_url, answers_posted()).status_code == 200
    assert second.alumni_outcomes.get().milestone == 3


def test_an_expired_link_is_refused_and_records_nothing(client, run, host):
    alumnus(CallFactory(host=host), completed_on=years_ago(1), email="maria@mail.example")
    run(today())
    key = key_sent_to("maria@mail.example")
    AlumniInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = client.post(reverse("scholarships:alumni_link", kwargs={"key": key}), answers_posted())

    assert response.status_code == 410
    assert b'data-code="link_expired"' in response.content
    assert not AlumniOutcome.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.alumni_outcome_record_by_link(key=key, **outcome_answers())
    assert refusal_codes(refused.value) == {ScholarshipRefusal.LINK_EXPIRED}


def test_the_link_ends_once_the_host_has_recorded_the_outcome(client, run, host, host_staff):
    scholar = alumnus(CallFactory(host=host), completed_on=years_ago(1), email="maria@mail.example")
    run(today())
    key = key_sent_to("maria@mail.example")

    services.alumni_outcome_record(application=scholar, milestone=1, recorded_by=host_staff, **outcome_answers())

    assert client.post(reverse("scholarships:alumni_link", kwargs={"key": key}), answers_posted()).status_code == 410
    assert AlumniOutcome.objects.get().recorded_by == host_staff


def test_a_missing_answer_shows_next_to_its_question_and_keeps_the_link(client, run, host):
    alumnus(CallFactory(host=host), completed_on=years_ago(1), email="maria@mail.example")
    run(today())
    url = reverse("scholarships:alumni_link", kwargs={"key": key_sent_to("maria@mail.example")})

    response = client.post(url, answers_posted(returned_home="", employment_status="astronaut"))

    assert response.status_code == 200
    page = response.content.decode()
    # The page speaks the alumnus's language (an Indonesian national's, unless they chose another).
    with translation.override(re.search(r'<html lang="([\w-]+)"', page)[1]):
        assert 'id="field-returned_home"' in page and translation.gettext("Answer yes or no.") in page
    assert not AlumniOutcome.objects.exists()
    assert client.post(url, answers_posted()).status_code == 200
    assert AlumniOutcome.objects.count() == 1


def test_the_link_page_speaks_the_alumnus_language_unless_they_chose_another(client, run, host):
    alumnus(CallFactory(host=host), completed_on=years_ago(1), email="wayan@mail.example", nationality=country("ID"))
    alumnus(CallFactory(host=host), completed_on=years_ago(1), email="joao@mail.example", nationality=country("TL"))
    run(today())

    indonesian = client.get(reverse("scholarships:alumni_link", kwargs={"key": key_sent_to("wayan@mail.example")}))
    english = client.get(reverse("scholarships:alumni_link", kwargs={"key": key_sent_to("joao@mail.example")}))
    assert b'<html lang="id"' in indonesian.content
    assert b'<html lang="en"' in english.content

    client.cookies["django_language"] = "en"
    chosen = client.get(reverse("scholarships:alumni_link", kwargs={"key": key_sent_to("wayan@mail.example")}))
    assert b'<html lang="en"' in chosen.content


# --- the host in the portal, the manager's lock -------------------------------------------------------------------


def test_the_host_records_and_corrects_an_outcome_until_it_is_locked(client, host, host_staff, manager):
    scholar = alumnus(CallFactory(host=host), completed_on=years_ago(3, days=5))
    sector = Sector.objects.filter(is_active=True).first()
    client.force_login(host_staff)
    url = reverse("scholarships_portal:scholar_outcome", kwargs={"pk": scholar.pk, "milestone": 3})

    response = client.post(url, answers_posted(sector=sector.pk, employment_status="self_employed"))
    assert response.status_code == 302
    outcome = AlumniOutcome.objects.get(application=scholar, milestone=3)
    assert (outcome.sector, outcome.employment_status, outcome.recorded_by) == (sector, "self_employed", host_staff)

    detail = client.get(reverse("scholarships_portal:scholar_detail", kwargs={"pk": scholar.pk}))
    assert b'id="alumni"' in detail.content and b'data-milestone="5"' in detail.content

    client.post(url, answers_posted(employment_status="employed"))
    outcome.refresh_from_db()
    assert outcome.employment_status == "employed"
    assert outcome.history.count() == 2

    services.alumni_outcome_lock(outcome=outcome, locked_by=manager)
    response = client.post(url, answers_posted(employment_status="seeking_work"))
    assert response.status_code == 200
    assert b"This outcome is locked" in response.content
    outcome.refresh_from_db()
    assert outcome.employment_status == "employed"


def test_the_host_cannot_record_before_the_milestone_nor_twice_nor_for_another_host(client, host, host_staff):
    scholar = alumnus(CallFactory(host=host), completed_on=years_ago(1, days=5))
    with pytest.raises(ValidationError) as early:
        services.alumni_outcome_record(application=scholar, milestone=3, recorded_by=host_staff, **outcome_answers())
    assert refusal_codes(early.value) == {ScholarshipRefusal.OUTCOME_NOT_DUE}

    services.alumni_outcome_record(application=scholar, milestone=1, recorded_by=host_staff, **outcome_answers())
    with pytest.raises(ValidationError) as twice:
        services.alumni_outcome_record(application=scholar, milestone=1, recorded_by=host_staff, **outcome_answers())
    assert refusal_codes(twice.value) == {Refused.DUPLICATE}

    stranger = MembershipFactory(organisation=OrganisationFactory()).user
    client.force_login(stranger)
    url = reverse("scholarships_portal:scholar_outcome", kwargs={"pk": scholar.pk, "milestone": 1})
    assert client.post(url, answers_posted()).status_code == 404


def test_corrections_end_with_the_editing_window(host, host_staff, settings):
    settings.ALUMNI_OUTCOME_EDIT_DAYS = 30
    outcome = AlumniOutcomeFactory(
        application=alumnus(CallFactory(host=host)), recorded_at=timezone.now() - datetime.timedelta(days=31)
    )

    with pytest.raises(ValidationError) as late:
        services.alumni_outcome_update(outcome=outcome, changed_by=host_staff, **outcome_answers())

    assert refusal_codes(late.value) == {ScholarshipRefusal.OUTCOME_LOCKED}


def test_a_manager_locks_an_outcome_from_its_page_and_an_officer_may_not(client, manager, officer):
    outcome = AlumniOutcomeFactory()
    url = reverse("scholarships:outcome_lock", kwargs={"pk": outcome.pk})

    client.force_login(officer)
    page = client.get(reverse("scholarships:outcome_detail", kwargs={"pk": outcome.pk}))
    assert page.status_code == 200 and url.encode() not in page.content
    assert client.post(url).status_code == 403

    client.force_login(manager)
    assert url.encode() in client.get(reverse("scholarships:outcome_detail", kwargs={"pk": outcome.pk})).content
    assert client.post(url).status_code == 302
    outcome.refresh_from_db()
    assert outcome.is_locked and outcome.locked_by == manager
    page = client.get(reverse("scholarships:outcome_detail", kwargs={"pk": outcome.pk}))
    assert b'data-locked="yes"' in page.content and b'id="history"' in page.content


# --- staff list, in both languages --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "id"])
def test_the_outcome_list_filters_by_call_milestone_country_gender_and_return(client, officer, language):
    call = CallFactory()
    AlumniOutcomeFactory(application=alumnus(call, applicant_name="Wayan Home"), milestone=1, returned_home=True)
    AlumniOutcomeFactory(
        application=alumnus(call, applicant_name="Joao Abroad", nationality=country("TL"), gender="male"),
        milestone=3,
        returned_home=False,
    )
    AlumniOutcomeFactory(application=alumnus(applicant_name="Other Call"), milestone=1)
    client.force_login(officer)
    client.cookies["django_language"] = language
    url = reverse("scholarships:outcome_list")

    def names(query):
        response = client.get(url + query)
        assert response.status_code == 200
        assert f'<html lang="{language}"'.encode() in response.content
        return {name for name in ("Wayan Home", "Joao Abroad", "Other Call") if name.encode() in response.content}

    assert names("") == {"Wayan Home", "Joao Abroad", "Other Call"}
    assert names(f"?call={call.pk}") == {"Wayan Home", "Joao Abroad"}
    assert names("?milestone=3") == {"Joao Abroad"}
    assert names("?country=TL") == {"Joao Abroad"}
    assert names("?gender=male") == {"Joao Abroad"}
    assert names("?returned=false") == {"Joao Abroad"}
    assert names("?returned=true") == {"Wayan Home", "Other Call"}
    # Unfiltered, the question stands open: "Any" is chosen, not an answer.
    page = client.get(url).content.decode()
    returned = re.search(r'<select name="returned"[^>]*>(.*?)</select>', page, re.S).group(1)
    with translation.override(language):
        options = [translation.gettext(word) for word in ("Any", "Yes", "No")]
    assert re.findall(r"<option[^>]*>([^<]*)</option>", returned) == options
    assert re.search(r'<option value="" selected>', returned)


def test_outcome_answers_are_checked_next_to_their_field(host, host_staff):
    scholar = alumnus(CallFactory(host=host), completed_on=years_ago(1, days=5))
    with pytest.raises(ValidationError) as refused:
        services.alumni_outcome_record(
            application=scholar,
            milestone=1,
            recorded_by=host_staff,
            **outcome_answers(returned_home=None, employment_status="astronaut"),
        )
    assert set(refused.value.error_dict) == {"returned_home", "employment_status"}
    assert not AlumniOutcome.objects.exists()
    assert EmploymentStatus.SEEKING_WORK == "seeking_work"


# --- at the same time (really concurrent on PostgreSQL) -----------------------------------------------------------


def test_two_runs_at_the_same_time_ask_each_milestone_once(reference_data_db):
    host = OrganisationFactory()
    ContactFactory(organisation=host, email="desk@host.example")
    call = CallFactory(host=host)
    for years in (1, 3, 5):
        alumnus(call, completed_on=years_ago(years))

    results = run_together(*(lambda: tasks.send_alumni_invitations(today().isoformat()) for _ in range(2)))

    assert sum(results) == 3
    assert sorted(AlumniInvitation.objects.values_list("milestone", flat=True)) == [1, 3, 5]
    assert OutboxMessage.objects.filter(kind=alumni.ALUMNI_OUTCOME_DUE).count() == 6  # each alumnus and the desk


def test_the_same_link_posted_twice_at_the_same_time_records_once(reference_data_db):
    scholar = alumnus(CallFactory(), completed_on=years_ago(1))
    run = alumni.AlumniInvitations(today())
    run.send()
    key = run.keys[scholar.pk, 1]

    results = run_together(
        lambda: services.alumni_outcome_record_by_link(key=key, **outcome_answers()),
        lambda: services.alumni_outcome_record_by_link(key=key, **outcome_answers(employment_status="other")),
    )

    recorded = [result for result in results if isinstance(result, AlumniOutcome)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(recorded) == 1 and len(refused) == 1
    assert refusal_codes(refused[0]) == {ScholarshipRefusal.LINK_USED}
    assert AlumniOutcome.objects.count() == 1
    assert AlumniOutcome.objects.get().employment_status == recorded[0].employment_status


# --- a new link, sent by an officer -------------------------------------------------------------------------------


def test_an_officer_emails_a_new_link_and_the_old_one_stops_working(
    run, host, officer, client, django_capture_on_commit_callbacks
):
    scholar = alumnus(CallFactory(host=host), completed_on=years_ago(1, days=40), email="lost@mail.example")
    run(today() - datetime.timedelta(days=40))
    old_key = key_sent_to("lost@mail.example")
    mail.outbox.clear()

    # The first link expired unused: the scholar's page says so and offers a new one.
    with time_machine.travel(timezone.now() + datetime.timedelta(days=alumni.link_days() + 1)):
        client.force_login(officer)
        page = client.get(reverse("scholarships:application_detail", args=[scholar.pk])).content.decode()
        assert 'id="alumni"' in page and "Link expired on" in page
        invitation = AlumniInvitation.objects.get(application=scholar, milestone=1)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("scholarships:invitation_renew", args=[invitation.pk]))
        assert response.status_code == 302 and response["Location"].endswith(f"/{scholar.pk}/#alumni")

        new_key = key_sent_to("lost@mail.example")
        assert new_key != old_key
        assert services.link_refusal(services.invitation_for_key(old_key)).code == ScholarshipRefusal.LINK_INVALID
        assert services.link_refusal(services.invitation_for_key(new_key)) is None
        services.alumni_outcome_record_by_link(key=new_key, **outcome_answers())
    outcome = AlumniOutcome.objects.get(application=scholar, milestone=1)
    assert outcome.by_alumnus


def test_no_new_link_once_the_outcome_is_recorded_and_never_by_a_partner(run, host, host_staff, officer, client):
    scholar = alumnus(CallFactory(host=host), completed_on=years_ago(1), email="done@mail.example")
    run(today())
    invitation = AlumniInvitation.objects.get(application=scholar, milestone=1)
    url = reverse("scholarships:invitation_renew", args=[invitation.pk])

    client.force_login(host_staff)
    assert client.post(url).status_code == 404  # the workspace is not theirs
    services.alumni_outcome_record(application=scholar, milestone=1, recorded_by=host_staff, **outcome_answers())

    with pytest.raises(ValidationError) as refused:
        services.alumni_link_renew(invitation=invitation, renewed_by=officer)
    assert refusal_codes(refused.value) == {Refused.DUPLICATE}
    client.force_login(officer)
    page = client.get(reverse("scholarships:application_detail", args=[scholar.pk])).content.decode()
    assert url not in page
    response = client.post(url, follow=True)
    assert "nothing left to ask the alumnus" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.used_at is not None
