"""Factories for the scholarships module, and helpers that walk an application through its services.

The model factories build rows directly (fast, for reads and pages); ``open_call``, ``submit``, ``scored``,
``shortlisted``, ``awarded``, ``accepted`` and ``enrolled`` go through the services, so every check on
the way is the real one. Dates are relative to today, because the services refuse dates in the future.
"""

import datetime
import io
from decimal import Decimal

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from cooperation.roles import Role
from programs.models import Participation
from programs.scholarships import services
from programs.scholarships.models import (
    ActivityKind,
    AlumniOutcome,
    Application,
    ApplicationStatus,
    Attachment,
    Call,
    Criterion,
    EmploymentStatus,
    ExchangeActivity,
    Gender,
    Level,
    Milestone,
    Participant,
    ProgressReport,
    ReminderKind,
    ReminderLog,
    Review,
    Score,
    StipendFrequency,
    StipendTranche,
)
from programs.scholarships.services import online
from tests.factories import MembershipFactory, OrganisationFactory, ProgrammeFactory, UserFactory, country, currency


def one_page_pdf() -> bytes:
    """A real, plain PDF document: one blank A4 page, nothing else."""
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


PDF_BYTES = one_page_pdf()


def today() -> datetime.date:
    return timezone.localdate()


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def pdf(name: str = "transcript.pdf", content: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def take_part(programme, organisation) -> None:
    Participation.objects.get_or_create(programme=programme, organisation=organisation, defaults={"role": 4})


class CallFactory(factory.django.DjangoModelFactory):
    """An open call on a technical programme in which its host takes part, with a two-line rubric."""

    class Meta:
        model = Call
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Master's scholarships in water engineering {n}")
    host = factory.SubFactory(OrganisationFactory)
    fields_of_study = factory.LazyFunction(lambda: ["Water engineering", "Public health"])
    level = Level.MASTER
    opens_on = factory.LazyFunction(lambda: days_ago(30))
    closes_on = factory.LazyFunction(lambda: days_ago(-30))
    awards_available = 2
    stipend_amount = Decimal("1000.00")
    stipend_currency = factory.LazyFunction(lambda: currency("USD"))
    stipend_frequency = StipendFrequency.MONTHLY
    duration_months = 12
    created_by = factory.SubFactory(UserFactory, role=Role.OFFICER)

    @factory.post_generation
    def setup(self, create, extracted, **kwargs):
        if not create:
            return
        take_part(self.programme, self.host)
        self.eligible_countries.set([country(code) for code in ("ID", "TL", "PG")])
        if not self.criteria.exists():
            Criterion.objects.bulk_create(
                [
                    Criterion(call=self, name="Academic merit", weight=Decimal("3"), position=0),
                    Criterion(call=self, name="Motivation", weight=Decimal("1"), position=1),
                ]
            )


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    call = factory.SubFactory(CallFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = Decimal("1")


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    call = factory.SubFactory(CallFactory)
    applicant_name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"applicant{n}@mail.example")
    email_key = factory.LazyAttribute(lambda a: a.email.strip().lower())
    nationality = factory.LazyFunction(lambda: country("ID"))
    gender = Gender.FEMALE
    date_of_birth = datetime.date(1998, 4, 12)
    current_institution = "Universitas Nusa Cendana"
    degree = "BSc Civil Engineering"
    field_of_study = "Water engineering"
    motivation = "To design rainwater harvesting for dry islands."
    status = ApplicationStatus.SUBMITTED
    submitted_by = factory.SubFactory(UserFactory, role=Role.OFFICER)
    submitted_on = factory.LazyFunction(today)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    application = factory.SubFactory(ApplicationFactory)
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="cv.pdf"))
    original_name = "cv.pdf"
    size = len(PDF_BYTES)
    uploaded_by = factory.SubFactory(UserFactory, role=Role.OFFICER)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory)
    reviewer = factory.SubFactory(UserFactory, role=Role.OFFICER)
    assigned_by = factory.SubFactory(UserFactory, role=Role.OFFICER)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Score

    review = factory.SubFactory(ReviewFactory)
    criterion = factory.LazyAttribute(lambda s: s.review.application.call.criteria.first())
    score = Decimal("7.0")


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.ENROLLED)
    term_label = "Semester 1"
    period_end = factory.LazyFunction(lambda: days_ago(1))
    result = "GPA 3.6"
    submitted_by = factory.SubFactory(UserFactory, role=Role.PARTNER)


class StipendTrancheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StipendTranche

    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.ENROLLED)
    number = factory.Sequence(lambda n: n + 1)
    due_on = factory.LazyFunction(today)
    amount = Decimal("1000.00")
    currency = factory.LazyFunction(lambda: currency("USD"))


class ReminderLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderLog

    kind = ReminderKind.PROGRESS_REPORT_DUE
    application = factory.SubFactory(ApplicationFactory, status=ApplicationStatus.ENROLLED)
    due_on = factory.LazyFunction(today)


class ExchangeActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeActivity
        skip_postgeneration_save = True

    programme = factory.SubFactory(ProgrammeFactory, is_cultural=True)
    title = factory.Sequence(lambda n: f"Batik and weaving exchange {n}")
    kind = ActivityKind.CULTURAL_EXCHANGE
    starts_on = factory.LazyFunction(lambda: days_ago(20))
    ends_on = factory.LazyFunction(lambda: days_ago(10))
    country = factory.LazyFunction(lambda: country("ID"))
    city = "Yogyakarta"
    host = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory, role=Role.OFFICER)

    @factory.post_generation
    def host_takes_part(self, create, extracted, **kwargs):
        if create:
            take_part(self.programme, self.host)


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    activity = factory.SubFactory(ExchangeActivityFactory)
    name = factory.Faker("name")
    gender = Gender.FEMALE
    organisation = "Sanggar Tari"


# --- through the services -----------------------------------------------------------------------------------------


def staff(role=Role.OFFICER, **kwargs):
    return UserFactory(role=role, **kwargs)


def host_user(organisation):
    return MembershipFactory(organisation=organisation).user


def submit(call, *, by=None, email=None, nationality="ID", **overrides) -> Application:
    fields = {
        "applicant_name": "Maria da Costa",
        "email": email or f"applicant{Application.objects.count() + 1}-{call.pk}@mail.example",
        "nationality": country(nationality),
        "gender": Gender.FEMALE,
        "date_of_birth": datetime.date(1999, 2, 3),
        "current_institution": "Universidade Nacional Timor Lorosa'e",
        "degree": "BSc Civil Engineering",
        "field_of_study": "Water engineering",
        "motivation": "Clean water for rural Timor.",
    } | overrides
    return services.application_submit(call=call, submitted_by=by or staff(), **fields)


def send_online(call, *, email="maria@mail.example", client_ip="203.0.113.7", language="en", **overrides):
    """An application sent from ``call``'s public page, filled in a minute ago: (the waiting submission, the key of
    its confirmation link)."""
    now = timezone.now()
    fields = {
        "applicant_name": "Maria da Costa",
        "email": email,
        "nationality": country("TL"),
        "gender": Gender.FEMALE,
        "date_of_birth": datetime.date(1999, 2, 3),
        "current_institution": "Universidade Nacional Timor Lorosa'e",
        "degree": "BSc Civil Engineering",
        "field_of_study": "Water engineering",
        "motivation": "Clean water for rural Timor.",
        "answers": [True] * len(call.eligibility_questions),
        "attachments": [pdf("cv.pdf")],
        "started": online.form_started(now - datetime.timedelta(minutes=1)),
    } | overrides
    return online.online_application_send(call=call, language=language, client_ip=client_ip, now=now, **fields)


def scored(application, *scores, reviewer=None):
    """One completed review scoring the call's criteria in order with ``scores``."""
    reviewer = reviewer or staff()
    review = services.review_assign(application=application, reviewer=reviewer, assigned_by=staff())
    criteria = list(application.call.criteria.all())
    values = dict(zip(criteria, scores or [Decimal("7")] * len(criteria), strict=True))
    return services.review_submit_scores(review=review, reviewer=reviewer, scores=values)


def eligible(application, *scores) -> Application:
    services.application_mark_eligible(application=application, decided_by=staff())
    scored(application, *scores)
    return application


def shortlisted(application, *scores, reason="") -> Application:
    eligible(application, *scores)
    return services.application_shortlist(application=application, decided_by=staff(), reason=reason)


def awarded(application, *, proposer=None, approver=None) -> Application:
    if application.status != ApplicationStatus.SHORTLISTED:
        shortlisted(application)
    # A host already owing reports is flagged; the officer has seen it (the acknowledgement is tested on its own).
    services.application_propose_award(
        application=application, proposed_by=proposer or staff(), reason="Ranked.", risk_acknowledged=True
    )
    return services.application_approve_award(application=application, approved_by=approver or staff(Role.MANAGER))


def accepted(application) -> Application:
    if application.status != ApplicationStatus.AWARDED:
        awarded(application)
    return services.application_accept_award(application=application, recorded_by=staff())


def enrolled(application, *, on=None, by=None) -> Application:
    if application.status != ApplicationStatus.ACCEPTED:
        accepted(application)
    # Awards made today cannot be followed by an earlier enrolment: back-date the award for older enrolments.
    on = on or today()
    Application.objects.filter(pk=application.pk).update(
        awarded_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(9)))
    )
    application.refresh_from_db()
    return services.application_confirm_enrolment(
        application=application, confirmed_by=by or host_user(application.call.host), enrolled_on=on
    )


# --- alumni -------------------------------------------------------------------------------------------------------


def alumnus(call=None, *, completed_on=None, **fields) -> Application:
    """A scholar who completed on ``completed_on`` (default: three years and a month ago), built directly."""
    completed_on = completed_on or today() - datetime.timedelta(days=3 * 365 + 30)
    awarded_at = timezone.make_aware(datetime.datetime.combine(completed_on, datetime.time(9))) - datetime.timedelta(
        days=800
    )
    return ApplicationFactory(
        call=call or CallFactory(),
        status=ApplicationStatus.COMPLETED,
        awarded_at=awarded_at,
        award_proposed_by=UserFactory(role=Role.MANAGER),
        awarded_by=UserFactory(role=Role.MANAGER),
        enrolled_on=completed_on - datetime.timedelta(days=700),
        completed_on=completed_on,
        **fields,
    )


class AlumniOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AlumniOutcome

    application = factory.LazyFunction(alumnus)
    milestone = Milestone.ONE_YEAR
    returned_home = True
    employment_status = EmploymentStatus.EMPLOYED
    employer = "Dinas Pekerjaan Umum"
    works_with_partners = False
    recorded_at = factory.LazyFunction(timezone.now)


def outcome_answers(**overrides) -> dict:
    """What the outcome's questions take, as the services receive them."""
    return {
        "returned_home": True,
        "employment_status": EmploymentStatus.EMPLOYED,
        "sector": None,
        "employer": "Dinas Pekerjaan Umum",
        "works_with_partners": True,
    } | overrides
