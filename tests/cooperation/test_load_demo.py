"""`manage.py load_demo`: realistic data for every role, and a second run changes nothing."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import F, Max
from django.test import override_settings
from django.utils import timezone, translation

from cooperation.dates import add_months
from cooperation.reference.codes import ActivityStatus, OrganisationType
from cooperation.roles import Role, roles_of
from partners.models import Contact, Organisation
from partners.selectors import user_organisation_ids
from programs.finance import selectors as finance_selectors
from programs.finance.models import (
    AmortizationMethod,
    DayCountConvention,
    Frequency,
    Grant,
    Loan,
    LoanStatus,
    ReminderLog,
    Repayment,
    RepaymentStatus,
    Tranche,
    TrancheStatus,
)
from programs.models import CooperationForm, Participation, Programme, ProgrammeUpdate
from programs.results import selectors as results_selectors
from programs.results.models import ActualValue, Indicator
from programs.results.models import Report as ResultsReport
from programs.results.models import ReportStatus as ResultsReportStatus
from programs.scholarships import selectors as scholarship_selectors
from programs.scholarships.models import (
    ActivityKind,
    AlumniInvitation,
    AlumniOutcome,
    Application,
    ApplicationSource,
    ApplicationStatus,
    Attachment,
    CallStatus,
    ExchangeActivity,
    ExchangeStatus,
    Gender,
    Participant,
    ProgressReport,
    ReportStatus,
    Review,
    StipendTranche,
)
from programs.scholarships.models import ReminderKind as ScholarshipReminderKind
from programs.scholarships.models import ReminderLog as ScholarshipReminderLog
from programs.scholarships.models import TrancheStatus as StipendStatus
from programs.scholarships.services import report_gate
from programs.selectors import programme_list
from programs.shipments import selectors as shipment_selectors
from programs.shipments.models import (
    DelayAlertLog,
    EventKind,
    ItemCategory,
    ReceiptLine,
    Shipment,
    ShipmentItem,
    ShipmentStatus,
    ShipmentValue,
    TrackingEvent,
    TransportMode,
)
from programs.shipments.values import computed_values

pytestmark = pytest.mark.django_db

DEMO_USERS = {
    "admin": Role.ADMINISTRATOR,
    "manager": Role.MANAGER,
    "officer": Role.OFFICER,
    "auditor": Role.AUDITOR,
    "partner": Role.PARTNER,
    "partner2": Role.PARTNER,
}


def user(username: str):
    return get_user_model().objects.get(username=username)


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict:
    """Row counts of every table, latest change times, and the stored password hashes."""
    state = {}
    for model in apps.get_models():
        if not model._meta.managed:
            continue
        queryset = model._default_manager.all()
        state[model._meta.label] = queryset.count()
        if any(field.name == "updated_at" for field in model._meta.fields):
            state[f"{model._meta.label}.updated_at"] = queryset.aggregate(latest=Max("updated_at"))["latest"]
    state["passwords"] = dict(get_user_model().objects.values_list("username", "password"))
    return state


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for the module's tests in a transaction rolled back after the last of them (each test
    runs in a savepoint of its own, so none sees another's changes): loading it takes tens of seconds."""
    private_root = tmp_path_factory.mktemp("private")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings = override_settings(PRIVATE_MEDIA_ROOT=private_root, PASSWORD_HASHERS=hashers)
    with django_db_blocker.unblock(), settings, transaction.atomic(), translation.override("en"):
        try:
            yield load_demo(), private_root
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def demo(loaded_demo, settings):
    output, private_root = loaded_demo
    settings.PRIVATE_MEDIA_ROOT = private_root
    return output


def test_second_run_changes_nothing(demo):
    before = snapshot()
    load_demo()
    assert snapshot() == before


def test_demo_users_have_their_roles_and_the_demo_password(demo, client):
    users = {user.username: user for user in get_user_model().objects.filter(username__in=DEMO_USERS)}
    assert set(users) == set(DEMO_USERS)
    for username, role in DEMO_USERS.items():
        user = users[username]
        assert role in roles_of(user), username
        assert user.email and user.first_name and user.last_name
        assert user.check_password("kerjasama-demo"), username
        assert user.is_staff == (role is not Role.PARTNER)
    assert users["admin"].is_superuser
    assert not users["officer"].is_superuser
    assert client.login(username="partner2", password="kerjasama-demo")


def test_logins_are_printed(demo):
    for username in DEMO_USERS:
        assert username in demo
    assert "kerjasama-demo" in demo


def test_partners_are_varied(demo):
    organisations = Organisation.objects.all()
    assert organisations.count() >= 12
    kinds = set(organisations.values_list("kind", flat=True))
    assert {
        OrganisationType.GOVERNMENT,
        OrganisationType.NATIONAL_NGO,
        OrganisationType.MULTILATERAL,
        OrganisationType.ACADEMIC,
    } <= kinds
    assert kinds & {
        OrganisationType.PRIVATE_SECTOR,
        OrganisationType.PRIVATE_SECTOR_PROVIDER,
        OrganisationType.PRIVATE_SECTOR_RECIPIENT,
    }
    assert {"ID", "TL", "PH", "JP", "AU", "KE"} <= set(organisations.values_list("country", flat=True))
    contacts = Contact.objects.all()
    assert contacts.filter(receives_reminders=True).exists()
    assert contacts.filter(receives_reminders=False).exists()
    assert contacts.filter(preferred_language="id").exists()
    assert not Organisation.objects.filter(contacts__isnull=True).exists()


def test_programmes_cover_every_form_status_mix_and_currency(demo):
    programmes = Programme.objects.all()
    assert programmes.count() >= 20
    for form in CooperationForm:
        assert any(p.has_form(form) for p in programmes), form
    assert len(set(programmes.values_list("status", flat=True))) >= 4
    assert ActivityStatus.CLOSED in set(programmes.values_list("status", flat=True))
    assert {"USD", "EUR", "JPY", "IDR"} <= set(programmes.values_list("budget_currency", flat=True))
    for programme in programmes.prefetch_related("objectives", "sectors", "participations", "recipient_countries"):
        assert programme.objectives.all(), programme.code
        assert programme.sectors.all(), programme.code
        assert programme.recipient_countries.all(), programme.code
        assert programme.participations.all(), programme.code
        assert programme.created_by.username == "officer"
        assert programme.history.first().history_user.username == "officer"
    assert Participation.objects.filter(committed_amount__isnull=False).exists()
    assert len(set(Participation.objects.values_list("role", flat=True))) >= 3


def test_updates_come_from_officers_and_partners(demo):
    updates = ProgrammeUpdate.objects.select_related("author")
    assert updates.count() >= 8
    authors = {update.author.username for update in updates}
    assert {"officer", "partner", "partner2"} <= authors
    assert updates.filter(organisation__isnull=False).exists()
    assert len(set(updates.values_list("reported_on", flat=True))) >= 5


def test_the_two_partner_users_work_for_different_organisations_with_different_programmes(demo):
    user_model = get_user_model()
    partner, partner2 = user_model.objects.get(username="partner"), user_model.objects.get(username="partner2")
    assert user_organisation_ids(partner) and user_organisation_ids(partner2)
    assert set(user_organisation_ids(partner)).isdisjoint(user_organisation_ids(partner2))
    mine = set(programme_list(user=partner).values_list("code", flat=True))
    theirs = set(programme_list(user=partner2).values_list("code", flat=True))
    assert mine - theirs and theirs - mine
    assert len(mine) < Programme.objects.count()


# --- financial cooperation ---------------------------------------------------------------------------------------

STARTED = {LoanStatus.DISBURSED, LoanStatus.REPAID, LoanStatus.WRITTEN_OFF}


def test_loans_cover_every_status_method_frequency_and_currency(demo):
    loans = Loan.objects.all()
    assert loans.count() >= 10
    assert set(loans.values_list("status", flat=True)) == set(LoanStatus.values)
    assert set(loans.values_list("amortization", flat=True)) == set(AmortizationMethod.values)
    assert set(loans.values_list("frequency", flat=True)) == set(Frequency.values)
    assert {"USD", "EUR", "JPY", "IDR"} <= set(loans.values_list("currency", flat=True))
    assert loans.filter(annual_rate=0, status__in=STARTED).exists()
    assert loans.filter(grace_periods__gt=0, status=LoanStatus.DISBURSED).exists()
    assert loans.filter(lender__isnull=False).exists() and loans.filter(lender__isnull=True).exists()
    assert all(loan.programme.is_financial for loan in loans.select_related("programme"))
    for loan in loans.filter(status__in=[LoanStatus.REJECTED, LoanStatus.CANCELLED, LoanStatus.WRITTEN_OFF]):
        assert loan.status_note, loan.reference
    assert "Finance: 16 loans" in demo


def test_loans_count_interest_under_each_convention_some_from_a_broken_first_period(demo):
    broken = {
        loan.day_count
        for loan in Loan.objects.exclude(day_count=DayCountConvention.FULL_PERIODS)
        if add_months(loan.disbursement_date, 12 // loan.frequency) != loan.first_repayment_date
    }
    assert broken == {DayCountConvention.THIRTY_E_360, DayCountConvention.ACTUAL_365, DayCountConvention.ACTUAL_ACTUAL}
    assert Loan.objects.filter(day_count=DayCountConvention.ACTUAL_365, status=LoanStatus.DISBURSED).exists()


def test_loans_are_made_by_the_officer_and_approved_by_the_manager(demo):
    approved = Loan.objects.exclude(status__in=[LoanStatus.DRAFT, LoanStatus.SUBMITTED, LoanStatus.REJECTED])
    assert approved.count() >= 7
    for loan in approved.select_related("created_by", "approved_by"):
        assert (loan.created_by.username, loan.approved_by.username) == ("officer", "manager"), loan.reference
        assert loan.schedule.count() == loan.installments, loan.reference
    assert not Loan.objects.filter(status=LoanStatus.DRAFT).first().schedule.exists()
    history_users = set(Loan.history.values_list("history_user__username", flat=True))
    assert {"officer", "manager"} == history_users


def test_the_portfolio_has_current_loans_and_arrears_of_every_age(demo):
    manager = user("manager")
    active = finance_selectors.loan_list(user=manager).filter(status=LoanStatus.DISBURSED)
    days_late = sorted(active.values_list("max_days_past_due", flat=True))
    assert 0 in days_late
    assert any(1 <= days <= 10 for days in days_late), days_late
    assert any(30 < days <= 90 for days in days_late), days_late
    assert any(days > 90 for days in days_late), days_late
    assert active.filter(overdue_amount__gt=0).exists()

    summary = {row.currency.code: row for row in finance_selectors.portfolio_summary(user=manager)}
    assert summary["USD"].par30 > 0 and summary["USD"].par90 > 0
    assert summary["USD"].par30 > summary["USD"].par90
    assert summary["IDR"].par30 == 0 and summary["IDR"].outstanding_principal > 0


def test_repayments_are_partial_early_reversed_and_pending(demo):
    repayments = Repayment.objects.all()
    assert repayments.filter(status=RepaymentStatus.CONFIRMED).count() >= 10
    reversed_payment = repayments.get(status=RepaymentStatus.REVERSED)
    assert reversed_payment.reversal_reason and reversed_payment.reversed_by.username == "officer"
    pending = repayments.get(status=RepaymentStatus.PENDING)
    assert pending.recorded_by.username == "partner"
    assert pending in finance_selectors.pending_repayments(user=user("officer"))
    assert finance_selectors.loan_schedule(loan=pending.loan).filter(days_past_due__gt=30).exists()

    repaid = Loan.objects.get(status=LoanStatus.REPAID)
    last = repaid.schedule.order_by("number").last()
    assert repaid.closed_on < last.due_date  # paid off ahead of schedule
    partly_paid = [item for item in Loan.objects.get(pk=pending.loan_id).schedule.all() if item.total_paid > 0]
    assert any(not item.is_paid for item in partly_paid)


def test_both_partner_users_see_their_own_loans_and_grants(demo):
    seen = {}
    for username in ("partner", "partner2"):
        loans = finance_selectors.loan_list(user=user(username))
        assert loans.filter(status=LoanStatus.DISBURSED).exists(), username
        assert finance_selectors.grant_list(user=user(username)).exists(), username
        seen[username] = set(loans.values_list("pk", flat=True))
    assert seen["partner"].isdisjoint(seen["partner2"])
    assert len(seen["partner"]) < Loan.objects.count()


def test_grants_have_tranches_in_every_status(demo):
    grants = Grant.objects.all()
    assert grants.filter(kind=Grant.Kind.GRANT).count() >= 4
    assert grants.filter(kind=Grant.Kind.REMITTANCE).exists()
    assert set(Tranche.objects.values_list("status", flat=True)) == set(TrancheStatus.values)
    for tranche in Tranche.objects.filter(status__in=[TrancheStatus.APPROVED, TrancheStatus.PAID]):
        assert tranche.approved_by.username == "manager"
    assert not Tranche.objects.filter(status=TrancheStatus.PAID, paid_on__isnull=True).exists()
    uneven = grants.get(currency="USD", amount=250000)
    assert [str(t.amount) for t in uneven.tranches.order_by("number")] == ["83333.3400", "83333.3300", "83333.3300"]
    totals = finance_selectors.grant_list(user=user("manager")).get(pk=uneven.pk)
    assert totals.paid_total == totals.amount - totals.remaining_total > 0


def test_reminders_due_today_reach_both_portals(demo):
    assert ReminderLog.objects.filter(kind__startswith="overdue").exists()
    assert ReminderLog.objects.filter(kind__startswith="upcoming").exists()
    for username in ("partner", "partner2"):
        assert finance_selectors.notification_list(user=user(username)).exists(), username


# --- in-kind cooperation ------------------------------------------------------------------------------------------


def test_shipments_cover_every_status_mode_category_and_currency(demo):
    shipments = shipment_selectors.shipment_list(user=user("manager"))
    assert shipments.count() >= 10
    assert set(shipments.values_list("status", flat=True)) == set(ShipmentStatus.values)
    assert shipments.filter(status=ShipmentStatus.READY, dispatch_approved_by__isnull=False).exists()
    assert shipments.filter(status=ShipmentStatus.READY, dispatch_approved_by__isnull=True).exists()
    assert set(shipments.values_list("mode", flat=True)) == set(TransportMode.values)
    items = ShipmentItem.objects.all()
    assert set(items.values_list("category", flat=True)) == set(ItemCategory.values)
    assert {"USD", "EUR", "JPY"} <= set(items.values_list("currency", flat=True))
    soon = timezone.localdate() + datetime.timedelta(days=90)
    expiring = items.filter(expiry_date__lte=soon, expiry_date__gte=timezone.localdate())
    assert {ItemCategory.FOOD, ItemCategory.MEDICAL} <= set(expiring.values_list("category", flat=True))
    assert all(shipment.programme.is_in_kind for shipment in shipments)
    assert "Shipments: 16 (" in demo


def test_partner_has_a_shipment_on_the_road_to_confirm_from_its_waybill(demo):
    from programs.shipments import services as shipment_services

    partner = user("partner")
    on_the_road = shipment_selectors.shipment_list(user=partner).filter(status=ShipmentStatus.IN_TRANSIT)
    assert [s for s in on_the_road if shipment_services.receipt_refusal(s, partner) is None]


def test_shipments_are_prepared_by_the_officer_and_approved_by_the_manager(demo):
    approved = shipment_selectors.shipment_list(user=user("manager")).filter(dispatch_approved_by__isnull=False)
    assert approved.count() >= 8
    for shipment in approved.select_related("prepared_by", "dispatch_approved_by", "created_by"):
        assert (shipment.created_by.username, shipment.prepared_by.username) == ("officer", "officer")
        assert shipment.dispatch_approved_by.username == "manager"
    for shipment in approved.filter(dispatched_on__isnull=False):
        assert shipment.events.filter(kind=EventKind.STATUS_CHANGE, status_after="dispatched").exists()


def test_some_shipments_are_delayed_and_alerted_and_some_have_discrepancies(demo):
    shipments = shipment_selectors.shipment_list(user=user("manager"))
    delayed = shipments.filter(is_delayed=True)
    assert 2 <= delayed.count() <= 3
    assert set(DelayAlertLog.objects.values_list("shipment", flat=True)) == set(delayed.values_list("pk", flat=True))
    assert "3 delay alert(s) sent today" in demo
    discrepancies = shipment_selectors.discrepancy_list(user=user("officer"))
    assert discrepancies.filter(damaged__gt=0).exists() and discrepancies.filter(lost__gt=0).exists()
    assert all(line.reason for line in discrepancies)
    assert shipments.filter(status=ShipmentStatus.RECEIVED, has_discrepancy=True).exists()
    assert shipments.filter(status=ShipmentStatus.RECEIVED, has_discrepancy=False).exists()
    assert shipments.filter(status=ShipmentStatus.PARTIALLY_RECEIVED, has_discrepancy=True).exists()
    held = TrackingEvent.objects.filter(kind=EventKind.CUSTOMS_HOLD).values_list("shipment", flat=True)
    released = TrackingEvent.objects.filter(kind=EventKind.CUSTOMS_RELEASE).values_list("shipment", flat=True)
    assert shipments.filter(status=ShipmentStatus.IN_TRANSIT, pk__in=held).filter(pk__in=released).exists()


def test_every_demo_shipments_value_per_currency_matches_its_items_and_receipt_lines(demo):
    kept = {
        (row.shipment_id, row.currency_id): {"sent": row.sent, "good": row.good, "not_good": row.not_good}
        for row in ShipmentValue.objects.all()
    }
    assert kept == computed_values()
    assert any(row["not_good"] for row in kept.values())


def test_both_partner_users_have_shipments_to_see_and_to_confirm(demo):
    seen = {}
    for username in ("partner", "partner2"):
        shipments = shipment_selectors.shipment_list(user=user(username))
        assert not shipments.filter(status=ShipmentStatus.DRAFT).exists()
        to_confirm = shipments.filter(status__in=[ShipmentStatus.ARRIVED, ShipmentStatus.PARTIALLY_RECEIVED])
        assert to_confirm.exists(), username
        assert shipments.filter(receipts__received_by__username=username).exists(), username
        seen[username] = set(shipments.values_list("pk", flat=True))
    assert seen["partner"] and seen["partner2"] and seen["partner"].isdisjoint(seen["partner2"])


# --- technical and cultural cooperation ---------------------------------------------------------------------------


def partner_organisations() -> set[int]:
    return set(user_organisation_ids(user("partner"))) | set(user_organisation_ids(user("partner2")))


def test_scholarship_calls_are_open_closed_and_upcoming_with_rubrics(demo):
    calls = scholarship_selectors.call_list(user=user("manager"))
    assert set(calls.values_list("status", flat=True)) == set(CallStatus.values)
    assert set(calls.values_list("host", flat=True)) == partner_organisations()
    for call in calls.prefetch_related("criteria", "eligible_countries"):
        assert call.programme.is_technical, call.title
        assert len(call.criteria.all()) >= 2 and call.eligible_countries.all(), call.title
        assert call.awards_made <= call.awards_available, call.title
    assert "Scholarships: 6 calls (1 upcoming, 1 open, 4 closed); 25 applications" in demo


def test_the_open_call_takes_online_applications_and_has_one_confirmed(demo, client):
    [published] = scholarship_selectors.published_calls()
    assert published.status_on(timezone.localdate()) == CallStatus.OPEN and published.eligibility_questions
    assert client.get(f"/apply/{published.pk}/").status_code == 200
    [application] = Application.objects.filter(source="online")
    assert application.call == published and application.attachments.exists()


def test_applications_are_in_every_status_from_varied_applicants(demo):
    applications = Application.objects.all()
    assert set(applications.values_list("status", flat=True)) == set(ApplicationStatus.values)
    assert len(set(applications.values_list("nationality", flat=True))) >= 4
    assert set(applications.values_list("gender", flat=True)) == set(Gender.values)
    reasoned = [ApplicationStatus.INELIGIBLE, ApplicationStatus.WITHDRAWN, ApplicationStatus.TERMINATED]
    for application in applications.filter(status__in=reasoned):
        assert application.status_note, application.applicant_name
    paper = applications.filter(source=ApplicationSource.PAPER)
    assert all(application.submitted_by.username == "officer" for application in paper)
    online = applications.filter(source=ApplicationSource.ONLINE)
    assert online.exists() and not online.filter(submitted_by__isnull=False).exists()  # the applicant sent it


def test_attachments_are_small_pdf_files_in_the_private_folder(demo, settings):
    attachments = Attachment.objects.all()
    assert attachments.count() >= 10
    assert Application.objects.filter(attachments__isnull=True).exists()
    private_root = str(settings.PRIVATE_MEDIA_ROOT)
    for attachment in attachments:
        assert attachment.original_name.endswith(".pdf")
        assert attachment.file.path.startswith(private_root)
        with attachment.file.open("rb") as stored:
            content = stored.read()
        assert content.startswith(b"%PDF-") and content.rstrip().endswith(b"%%EOF")
        assert len(content) == attachment.size < 5000


def test_reviews_are_scored_with_one_reviewer_recused(demo):
    reviews = Review.objects.all()
    assert reviews.filter(completed_at__isnull=False).count() >= 20
    recused = reviews.get(conflict_declared_at__isnull=False)
    assert recused.conflict_note and not recused.scores.exists()
    assert reviews.filter(completed_at__isnull=True, conflict_declared_at__isnull=True, reviewer__username="officer")
    ranked = scholarship_selectors.ranking(user=user("officer"), call=recused.application.call)
    scores = [row.weighted_score for row in ranked if row.weighted_score is not None]
    assert len(scores) >= 5 and scores == sorted(scores, reverse=True)


def test_awards_are_proposed_by_the_officer_and_approved_by_the_manager(demo):
    awarded = Application.objects.filter(awarded_at__isnull=False).select_related("award_proposed_by", "awarded_by")
    assert awarded.count() >= 8
    for application in awarded:
        assert (application.award_proposed_by.username, application.awarded_by.username) == ("officer", "manager")
    pending = scholarship_selectors.award_proposals(user=user("manager"))
    assert pending.count() == 1 and pending.get().award_proposed_by.username == "officer"
    enrolled = Application.objects.filter(enrolled_on__isnull=False).select_related("enrolment_confirmed_by")
    assert {application.enrolment_confirmed_by.username for application in enrolled} == {"partner2"}
    assert all(timezone.localdate(application.awarded_at) <= application.enrolled_on for application in enrolled)


def test_stipends_and_progress_reports_show_every_state(demo):
    tranches = StipendTranche.objects.select_related("application__call", "approved_by")
    assert set(tranches.values_list("status", flat=True)) == set(StipendStatus.values)
    for tranche in tranches.filter(status__in=[StipendStatus.APPROVED, StipendStatus.PAID]):
        assert tranche.approved_by.username == "manager"
        assert report_gate(tranche)[1], tranche
    assert not tranches.filter(status=StipendStatus.PAID, paid_on__gt=timezone.localdate()).exists()
    reports = ProgressReport.objects.select_related("submitted_by")
    assert set(reports.values_list("status", flat=True)) == set(ReportStatus.values)
    assert {report.submitted_by.username for report in reports} == {"partner2"}
    assert all(report.return_reason for report in reports.filter(status=ReportStatus.RETURNED))
    kinds = set(ScholarshipReminderLog.objects.values_list("kind", flat=True))
    assert kinds == set(ScholarshipReminderKind.values)
    assert "3 reminder(s) sent today" in demo


def test_an_alumni_cohort_has_outcomes_at_one_and_three_years_and_a_link_waiting(demo):
    outcomes = AlumniOutcome.objects.select_related("recorded_by")
    assert sorted(outcomes.values_list("milestone", flat=True)) == [1, 1, 1, 1, 3, 3, 3]
    assert {outcome.recorded_by.username for outcome in outcomes if not outcome.by_alumnus} == {"partner2"}
    assert outcomes.filter(recorded_by__isnull=True).count() == 2  # through the alumni's private links
    waiting = AlumniInvitation.objects.filter(used_at__isnull=True)
    assert list(waiting.values_list("application__applicant_name", "milestone")) == [("Kennedy Otieno", 3)]
    rates = scholarship_selectors.alumni_rates(user=user("manager"))
    assert [rate.outcomes for rate in rates.total] == [4, 3, 0]
    assert "7 alumni outcomes" in demo


def test_each_partner_sees_its_own_scholars_and_their_personal_data_and_nobody_else_does(demo):
    seen = {}
    for username in ("partner", "partner2"):
        scholars = scholarship_selectors.scholar_list(user=user(username))
        assert scholars.exists(), username
        visible = scholarship_selectors.application_list(user=user(username))
        assert set(visible.values_list("pk", flat=True)) == set(scholars.values_list("pk", flat=True))
        assert scholarship_selectors.personal_data_ids(user=user(username), applications=visible) == set(
            scholars.values_list("pk", flat=True)
        )
        seen[username] = set(scholars.values_list("pk", flat=True))
    assert seen["partner"].isdisjoint(seen["partner2"])
    auditor_sees = scholarship_selectors.application_list(user=user("auditor"))
    assert auditor_sees.count() == Application.objects.count()
    assert not scholarship_selectors.personal_data_ids(user=user("auditor"), applications=auditor_sees)


def test_exchange_activities_of_every_kind_report_participants_by_gender(demo):
    activities = ExchangeActivity.objects.all()
    assert set(activities.values_list("kind", flat=True)) == set(ActivityKind.values)
    assert set(activities.values_list("status", flat=True)) == set(ExchangeStatus.values)
    reported = activities.exclude(women=0, men=0, other_gender=0)
    assert reported.count() >= 4 and all(activity.outcome_notes for activity in reported)
    assert reported.filter(other_gender__gt=0).exists()
    assert Participant.objects.values("activity").distinct().count() >= 3
    assert reported.filter(participants__isnull=True).exists()  # counts only, no list of names
    seen = {}
    for username in ("partner", "partner2"):
        mine = scholarship_selectors.activity_list(user=user(username))
        assert mine.exists(), username
        seen[username] = set(mine.values_list("pk", flat=True))
    assert seen["partner"].isdisjoint(seen["partner2"])


def test_every_shipments_timeline_reads_in_the_order_it_happened(demo):
    for shipment in Shipment.objects.all():
        recorded = list(shipment.events.order_by("pk").values_list("kind", "status_after"))
        timeline = list(shipment.events.order_by("occurred_at", "pk").values_list("kind", "status_after"))
        assert timeline == recorded, shipment.waybill


def test_history_names_the_demo_user_who_acted_or_the_system(demo):
    """Loans, repayments and memberships are made by demo users and recorded in their names; the accounts and
    their roles are made by the command itself, recorded as the system."""
    from programs.finance.models import Allocation, Installment

    partner = user("partner")
    assert {row.history_user for row in partner.history.all()} == {None}
    assert {row.history_user for row in partner.memberships.get().history.all()} == {user("admin")}
    approved = Installment.history.filter(history_type="+").values_list("history_user__username", flat=True)
    assert set(approved) == {"manager"}
    reversed_payment = Repayment.objects.get(status=RepaymentStatus.REVERSED)
    kept = Allocation.with_reversed.filter(repayment=reversed_payment)
    assert kept.exists() and {row.reversed_by.username for row in kept} == {"officer"}
    assert not reversed_payment.allocations.exists()


# --- results ------------------------------------------------------------------------------------------------------


def test_every_programme_has_a_results_framework_with_a_computed_indicator(demo):
    for programme in Programme.objects.all():
        indicators = Indicator.objects.filter(result__programme=programme)
        assert 3 <= indicators.count() <= 8, programme.code
        assert indicators.exclude(measure="").exists(), programme.code
        assert programme.reporting_periods.exists(), programme.code


def test_results_reports_are_approved_submitted_returned_draft_and_overdue(demo):
    assert set(ResultsReport.objects.values_list("status", flat=True)) == set(ResultsReportStatus.values)
    returned = ResultsReport.objects.filter(status=ResultsReportStatus.RETURNED)
    assert all(report.review_comment for report in returned)
    manager = user("manager")
    assert any(entry.overdue for entry in results_selectors.reports_due(user=manager))
    # The partner user's own organisation reports and has something to send.
    assert results_selectors.reports_due(user=user("partner"))
    # Reports of partners without a demo user were entered by the officer on their behalf and approved by another.
    behalf = ResultsReport.objects.filter(on_behalf=True, status=ResultsReportStatus.APPROVED)
    assert behalf.exists() and not behalf.filter(reviewed_by=F("submitted_by")).exists()


def test_computed_values_match_the_records_counted_by_hand(demo):
    # The partners taking part at a period's end: the demo's participations were made today, so the current
    # quarter's drafts count them all.
    today = timezone.localdate()
    engaged = ActualValue.objects.filter(
        computed=True, indicator__measure="programs.partners_engaged", report__period__ends_on__gte=today
    )
    assert engaged.exists()
    for actual in engaged.select_related("report__period__programme"):
        programme = actual.report.period.programme
        assert actual.value == Participation.objects.filter(programme=programme).count(), programme.code
    received = ActualValue.objects.filter(computed=True, indicator__measure="shipments.goods_received")
    for actual in received.select_related("report__period"):
        period = actual.report.period
        by_hand = sum(
            (
                line.good
                for line in ReceiptLine.objects.filter(
                    receipt__shipment__programme=period.programme,
                    receipt__received_on__range=(period.starts_on, period.ends_on),
                )
            ),
            Decimal(0),
        )
        assert actual.value == by_hand, period
