"""Demonstration scholarships and exchange activities for ``manage.py load_demo``.

Calls upcoming, open and closed on the technical programmes that `partner`'s and `partner2`'s organisations
take part in; applications in every status, reviewed (one reviewer recused), awards proposed by the officer and
approved by the manager, scholars enrolled by their host's partner user, progress reports accepted, returned and
waiting, stipend tranches paid, approved and scheduled; exchange activities of every kind. Everything goes
through the services with the roles the pages use. Dates count back from today.

Natural keys make a second run change nothing: a call's title, an applicant's email within a call, an
activity's title.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count
from django.utils import timezone

from cooperation.reference.models import Country, Currency
from partners.selectors import user_organisation_ids
from programs.models import Programme
from programs.scholarships import services
from programs.scholarships.models import (
    ActivityKind,
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    ExchangeActivity,
    ExchangeStatus,
    Gender,
    Level,
    ReportStatus,
    StipendFrequency,
)
from programs.scholarships.reminders import send_scholarship_reminders
from programs.scholarships.selectors import call_list
from programs.scholarships.services.applications import email_key
from programs.scholarships.terms import add_months

S = ApplicationStatus
F, M, X = Gender.FEMALE, Gender.MALE, Gender.OTHER


def _days_ago(today: datetime.date, days: int) -> datetime.date:
    return today - datetime.timedelta(days=days)


# --- calls ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoCall:
    title: str  # the demo call's natural key
    programme: str
    host: str  # acronym of a partner taking part in the programme
    level: Level
    opens_days_ago: int  # negative: still to come
    closes_days_ago: int
    awards: int
    stipend: tuple[str, str, StipendFrequency]  # amount per period, currency, frequency
    duration_months: int
    countries: tuple[str, ...]
    fields: tuple[str, ...]
    criteria: tuple[tuple[str, str], ...]  # name, weight
    description: str


WATER = "Postgraduate scholarships in water engineering, 2025 intake"
LAW = "Human rights law scholarships 2026"
RADIO_1 = "Community radio production course, first round"
RADIO_2 = "Community radio production course, second round"
SOLAR = "Solar mini-grid technicians' course"

MERIT_RUBRIC = (("Academic record", "3"), ("Motivation and plans", "2"), ("Relevance to the programme", "1"))
PRACTICE_RUBRIC = (("Experience in the field", "2"), ("Motivation", "1"))

CALLS = (
    DemoCall(
        WATER,
        "KSM-2025-005",
        "FHK",
        Level.MASTER,
        520,
        430,
        3,
        ("15000000.00", "IDR", StipendFrequency.QUARTERLY),
        24,
        ("TL", "KE"),
        ("Water engineering", "Sanitation engineering"),
        MERIT_RUBRIC,
        "Two-year master's scholarships for engineers from Timor-Leste and Kenya, with field research placed with "
        "Fundasaun Haburas Komunidade.",
    ),
    DemoCall(
        LAW,
        "KSM-2026-010",
        "YABN",
        Level.MASTER,
        80,
        20,
        3,
        ("1100.00", "EUR", StipendFrequency.MONTHLY),
        12,
        ("ID", "TL", "PH"),
        ("Human rights law", "Anti-discrimination law"),
        MERIT_RUBRIC,
        "One-year master's scholarships for lawyers who will staff the legal aid clinics, hosted by Yayasan Air "
        "Bersih Nusantara's legal aid unit.",
    ),
    DemoCall(
        RADIO_1,
        "KSM-2026-005",
        "FHK",
        Level.SHORT_COURSE,
        300,
        250,
        2,
        ("300.00", "EUR", StipendFrequency.MONTHLY),
        3,
        ("TL", "ID"),
        ("Radio journalism", "Broadcast engineering"),
        PRACTICE_RUBRIC,
        "A three-month course in community radio production and station maintenance.",
    ),
    DemoCall(
        RADIO_2,
        "KSM-2026-005",
        "FHK",
        Level.SHORT_COURSE,
        10,
        -35,
        2,
        ("300.00", "EUR", StipendFrequency.MONTHLY),
        3,
        ("TL", "ID"),
        ("Radio journalism", "Broadcast engineering"),
        PRACTICE_RUBRIC,
        "The second round of the community radio course, for the stations that went on air this year.",
    ),
    DemoCall(
        SOLAR,
        "KSM-2026-001",
        "YABN",
        Level.SHORT_COURSE,
        -20,
        -60,
        4,
        ("350.00", "USD", StipendFrequency.MONTHLY),
        4,
        ("ID", "TL"),
        ("Electrical engineering", "Renewable energy"),
        PRACTICE_RUBRIC,
        "Four months of training in installing and running solar mini-grids on the outer islands.",
    ),
)


# --- applications --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoReview:
    reviewer: str  # username
    scores: tuple[str, ...] = ()  # one per criterion, in the rubric's order; none: not scored yet
    conflict: str = ""  # a declared conflict of interest: the reviewer is recused


@dataclass(frozen=True)
class DemoReport:
    term: str
    months: int  # the period ends this many months after enrolment
    result: str
    outcome: ReportStatus  # accepted or returned by the officer, or submitted and waiting
    remarks: str = ""
    return_reason: str = ""


@dataclass(frozen=True)
class DemoApplicant:
    call: str
    name: str
    email: str  # with the call, the demo application's natural key
    nationality: str
    gender: Gender
    born: datetime.date
    institution: str
    degree: str
    field: str
    motivation: str
    ends: ApplicationStatus  # where its story ends
    submitted_days_ago: int
    reviews: tuple[DemoReview, ...] = ()
    attachments: tuple[str, ...] = ("curriculum-vitae.pdf",)
    proposed: bool = False  # shortlisted with an award proposal waiting for the manager
    reason: str = ""  # why it was found ineligible, declined, withdrawn or terminated
    enrolled_days_ago: int | None = None
    reports: tuple[DemoReport, ...] = ()
    tranches_paid: int = 0
    tranches_approved: int = 0  # approved after those paid, waiting for payment
    completed_days_ago: int | None = None


def scored(*scores: str) -> tuple[DemoReview, ...]:
    """The officer's and the manager's reviews, with the same scores (the ranking is what the demo shows)."""
    return DemoReview("officer", scores), DemoReview("manager", scores)


ACCEPTED, RETURNED, WAITING = ReportStatus.ACCEPTED, ReportStatus.RETURNED, ReportStatus.SUBMITTED
UNTL = "Universidade Nacional Timor Lorosa'e"

# Listed best-ranked first within each call: each story runs to its end before the next one is recorded, so
# shortlists and award proposals follow the ranking and need no reason for passing anyone over.
APPLICANTS = (
    # Water engineering (closed long ago): three scholars enrolled, one on the reserve list.
    DemoApplicant(
        WATER,
        "Ana Maria Ximenes",
        "ana.ximenes@mail.example",
        "TL",
        F,
        datetime.date(1996, 3, 14),
        UNTL,
        "BEng Civil Engineering",
        "Water engineering",
        "Gravity-fed water systems for the mountain villages of Ermera.",
        S.ENROLLED,
        480,
        scored("9", "8.5", "9"),
        ("curriculum-vitae.pdf", "transcript.pdf"),
        enrolled_days_ago=300,
        reports=(DemoReport("Semester 1", 6, "GPA 3.7", ACCEPTED, "All four modules passed."),),
        tranches_paid=3,
        tranches_approved=1,
    ),
    DemoApplicant(
        WATER,
        "Peter Otieno Ouma",
        "p.otieno@mail.example",
        "KE",
        M,
        datetime.date(1994, 11, 2),
        "Jomo Kenyatta University of Agriculture and Technology",
        "BSc Civil Engineering",
        "Water engineering",
        "Sand dams and rainwater harvesting for Turkana.",
        S.ENROLLED,
        470,
        scored("8.5", "8", "9"),
        ("curriculum-vitae.pdf", "transcript.pdf"),
        enrolled_days_ago=240,
        reports=(
            DemoReport("Semester 1", 6, "Pass", RETURNED, return_reason="The transcript lacks the hydraulics grade."),
            DemoReport("Semester 1", 6, "GPA 3.4", WAITING, "Transcript with every module attached."),
        ),
        tranches_paid=2,
    ),
    DemoApplicant(
        WATER,
        "Natércia Soares",
        "natercia.soares@mail.example",
        "TL",
        F,
        datetime.date(1998, 6, 30),
        UNTL,
        "BEng Environmental Engineering",
        "Sanitation engineering",
        "Faecal sludge management for Dili's growing neighbourhoods.",
        S.ENROLLED,
        460,
        scored("8", "8", "8"),
        enrolled_days_ago=200,
        tranches_paid=2,
    ),
    DemoApplicant(
        WATER,
        "Faith Wambui Njeri",
        "faith.njeri@mail.example",
        "KE",
        F,
        datetime.date(1997, 1, 19),
        "University of Nairobi",
        "BSc Environmental Engineering",
        "Water engineering",
        "Groundwater quality monitoring in the Rift Valley.",
        S.SHORTLISTED,
        450,
        scored("7", "7.5", "7"),
    ),
    DemoApplicant(
        WATER,
        "Domingos Pereira",
        "domingos.pereira@mail.example",
        "TL",
        M,
        datetime.date(1990, 8, 8),
        "Dili Institute of Technology",
        "Diploma in Surveying",
        "Water engineering",
        "Better surveys for irrigation channels.",
        S.INELIGIBLE,
        445,
        reason="A bachelor's degree in engineering is required; the applicant holds a diploma.",
    ),
    # Human rights law (closed last month): awards being made.
    DemoApplicant(
        LAW,
        "Dewi Lestari",
        "dewi.lestari@mail.example",
        "ID",
        F,
        datetime.date(1995, 9, 21),
        "Universitas Nusa Cendana",
        "Bachelor of Laws",
        "Human rights law",
        "Defending land rights of indigenous communities in Nusa Tenggara Timur.",
        S.ACCEPTED,
        60,
        scored("9.5", "9", "9"),
        ("curriculum-vitae.pdf", "recommendation-letter.pdf"),
    ),
    DemoApplicant(
        LAW,
        "Maria Clara Santos",
        "mc.santos@mail.example",
        "PH",
        F,
        datetime.date(1996, 4, 5),
        "University of the Philippines",
        "Juris Doctor",
        "Anti-discrimination law",
        "Legal aid for Muslim communities refused housing in Mindanao.",
        S.AWARDED,
        58,
        scored("9", "9", "8.5"),
    ),
    DemoApplicant(
        LAW,
        "Agustinus Bere",
        "agus.bere@mail.example",
        "ID",
        M,
        datetime.date(1993, 12, 1),
        "Universitas Gadjah Mada",
        "Bachelor of Laws",
        "Human rights law",
        "Paralegal networks for remote villages.",
        S.DECLINED,
        55,
        scored("9", "8.5", "8.5"),
        reason="Took up a place at another university.",
    ),
    DemoApplicant(
        LAW,
        "Alexandre Guterres",
        "a.guterres@mail.example",
        "TL",
        X,
        datetime.date(1994, 7, 17),
        UNTL,
        "Licenciatura em Direito",
        "Anti-discrimination law",
        "Access to justice for people with disabilities.",
        S.SHORTLISTED,
        50,
        scored("8.5", "8", "8"),
        proposed=True,
    ),
    DemoApplicant(
        LAW,
        "Rizky Pratama",
        "rizky.pratama@mail.example",
        "ID",
        M,
        datetime.date(1997, 2, 28),
        "Universitas Airlangga",
        "Bachelor of Laws",
        "Human rights law",
        "Documenting discrimination cases for strategic litigation.",
        S.SHORTLISTED,
        48,
        scored("7.5", "8", "7"),
    ),
    DemoApplicant(
        LAW,
        "Joy Mercado",
        "joy.mercado@mail.example",
        "PH",
        F,
        datetime.date(1998, 10, 10),
        "Ateneo de Manila University",
        "Juris Doctor",
        "Anti-discrimination law",
        "Legal literacy for women domestic workers.",
        S.ELIGIBLE,
        45,
        (
            DemoReview("officer", ("7", "7", "6.5")),
            DemoReview("manager", conflict="I supervised the applicant's internship at our Manila office."),
        ),
    ),
    DemoApplicant(
        LAW,
        "Yohana Kase",
        "yohana.kase@mail.example",
        "ID",
        F,
        datetime.date(1999, 5, 12),
        "Universitas Katolik Widya Mandira",
        "Bachelor of Laws",
        "Human rights law",
        "Protection of migrant workers from East Nusa Tenggara.",
        S.ELIGIBLE,
        40,
        (DemoReview("officer"),),
    ),
    DemoApplicant(
        LAW,
        "Hendrik Lumban Tobing",
        "hendrik.tobing@mail.example",
        "ID",
        M,
        datetime.date(1982, 3, 3),
        "Universitas Sumatera Utara",
        "Bachelor of Laws",
        "Human rights law",
        "Training prosecutors in hate-crime cases.",
        S.INELIGIBLE,
        35,
        reason="The call is for lawyers within ten years of their first degree.",
    ),
    DemoApplicant(
        LAW,
        "Fatima Abdullah",
        "fatima.abdullah@mail.example",
        "PH",
        F,
        datetime.date(1997, 8, 25),
        "Mindanao State University",
        "Bachelor of Laws",
        "Anti-discrimination law",
        "Legal aid for displaced families in Marawi.",
        S.SUBMITTED,
        22,
        attachments=("curriculum-vitae.pdf", "transcript.pdf", "recommendation-letter.pdf"),
    ),
    # Community radio, first round: one finished, one stopped.
    DemoApplicant(
        RADIO_1,
        "Jacinta da Silva",
        "jacinta.silva@mail.example",
        "TL",
        F,
        datetime.date(2000, 1, 9),
        "Radio Comunidade Maliana",
        "Secondary school certificate",
        "Radio journalism",
        "Producing a weekly programme on farmers' markets.",
        S.COMPLETED,
        280,
        scored("8", "9"),
        enrolled_days_ago=215,
        reports=(DemoReport("Course", 3, "Completed with merit", ACCEPTED, "Produced six programmes on air."),),
        tranches_paid=3,
        completed_days_ago=118,
    ),
    DemoApplicant(
        RADIO_1,
        "Mateus Amaral",
        "mateus.amaral@mail.example",
        "TL",
        M,
        datetime.date(1999, 5, 2),
        "Radio Comunidade Baucau",
        "Diploma in Electronics",
        "Broadcast engineering",
        "Keeping the station's transmitter running.",
        S.TERMINATED,
        275,
        scored("7.5", "8"),
        enrolled_days_ago=215,
        tranches_paid=1,
        reason="Stopped attending after the fourth week despite two reminders from the host.",
    ),
    # Community radio, second round (open now).
    DemoApplicant(
        RADIO_2,
        "Lúcia Belo",
        "lucia.belo@mail.example",
        "TL",
        F,
        datetime.date(2001, 11, 23),
        "Radio Comunidade Same",
        "Secondary school certificate",
        "Radio journalism",
        "A programme in Tetum for young listeners.",
        S.ELIGIBLE,
        8,
        (DemoReview("officer"),),
    ),
    DemoApplicant(
        RADIO_2,
        "Wayan Sudarsana",
        "wayan.sudarsana@mail.example",
        "ID",
        M,
        datetime.date(1998, 7, 7),
        "Radio Komunitas Sumba",
        "Diploma in Telecommunications",
        "Broadcast engineering",
        "Solar power for a community transmitter.",
        S.SUBMITTED,
        6,
        attachments=("curriculum-vitae.pdf", "station-letter.pdf"),
    ),
    DemoApplicant(
        RADIO_2,
        "Zelia Fernandes",
        "zelia.fernandes@mail.example",
        "TL",
        X,
        datetime.date(2002, 2, 14),
        "Radio Comunidade Lospalos",
        "Secondary school certificate",
        "Radio journalism",
        "Stories from the eastern villages.",
        S.SUBMITTED,
        3,
        attachments=(),
    ),
    DemoApplicant(
        RADIO_2,
        "Nelson Tilman",
        "nelson.tilman@mail.example",
        "TL",
        M,
        datetime.date(2000, 9, 30),
        "Radio Comunidade Ermera",
        "Secondary school certificate",
        "Radio journalism",
        "A news service for coffee growers.",
        S.WITHDRAWN,
        7,
        reason="Took a job at Radio Timor-Leste.",
    ),
)

REVIEWED = ("eligible", "review")
AWARDED = (*REVIEWED, "shortlist", "propose", "approve")
ENROLLED = (*AWARDED, "accept", "enrol", "report", "pay")
PATHS = {
    S.SUBMITTED: (),
    S.INELIGIBLE: ("ineligible",),
    S.ELIGIBLE: REVIEWED,
    S.SHORTLISTED: (*REVIEWED, "shortlist", "propose"),
    S.AWARDED: AWARDED,
    S.ACCEPTED: (*AWARDED, "accept"),
    S.DECLINED: (*AWARDED, "decline"),
    S.ENROLLED: ENROLLED,
    S.COMPLETED: (*ENROLLED, "complete"),
    S.TERMINATED: (*ENROLLED, "terminate"),
    S.WITHDRAWN: ("withdraw",),
}


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and a few lines of text: small, real, and readable by any viewer."""
    text = " ".join(f"({_escape(line)}) Tj T*" for line in [title, "", *lines])
    stream = f"BT /F1 12 Tf 16 TL 72 760 Td {text} ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R "
        b"/Resources << /Font << /F1 4 0 R >> >> >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def _attachment(demo: DemoApplicant, name: str) -> SimpleUploadedFile:
    title = name.removesuffix(".pdf").replace("-", " ").capitalize()
    lines = [demo.name, demo.institution, demo.degree, f"Field: {demo.field}", demo.motivation]
    return SimpleUploadedFile(name, demo_pdf(title, lines), content_type="application/pdf")


class _Story:
    """The steps of one application's story, each one service call by the role that does it on the pages."""

    def __init__(self, demo: DemoApplicant, application: Application, users: dict, today: datetime.date):
        self.demo, self.application, self.users, self.today = demo, application, users, today

    @property
    def officer(self):
        return self.users["officer"]

    @property
    def manager(self):
        return self.users["manager"]

    def _host_user(self):
        # The host institution's own staff confirm enrolment and report progress: `partner`'s or `partner2`'s.
        for username in ("partner", "partner2"):
            if self.application.call.host_id in user_organisation_ids(self.users[username]):
                return self.users[username]
        raise ValueError(f"No demo user works for the host of {self.demo.call}.")

    def eligible(self):
        services.application_mark_eligible(application=self.application, decided_by=self.officer)

    def ineligible(self):
        services.application_mark_ineligible(
            application=self.application, decided_by=self.officer, reason=self.demo.reason
        )

    def review(self):
        criteria = list(self.application.call.criteria.all())
        for planned in self.demo.reviews:
            reviewer = self.users[planned.reviewer]
            review = services.review_assign(application=self.application, reviewer=reviewer, assigned_by=self.officer)
            if planned.conflict:
                services.review_declare_conflict(review=review, reviewer=reviewer, note=planned.conflict)
            elif planned.scores:
                scores = dict(zip(criteria, planned.scores, strict=True))
                services.review_submit_scores(review=review, reviewer=reviewer, scores=scores)

    def shortlist(self):
        services.application_shortlist(application=self.application, decided_by=self.officer)

    def propose(self):
        if self.demo.ends == S.SHORTLISTED and not self.demo.proposed:
            return
        services.application_propose_award(application=self.application, proposed_by=self.officer)

    def approve(self):
        services.application_approve_award(application=self.application, approved_by=self.manager)
        if self.demo.enrolled_days_ago is not None:
            # The award was made weeks before the enrolment the story tells; the service stamps the moment it
            # runs, so the demo dates the award back (enrolment cannot come before the award).
            awarded = _days_ago(self.today, self.demo.enrolled_days_ago + 45)
            Application.objects.filter(pk=self.application.pk).update(
                awarded_at=timezone.make_aware(datetime.datetime.combine(awarded, datetime.time(10)))
            )

    def accept(self):
        services.application_accept_award(application=self.application, recorded_by=self.officer)

    def decline(self):
        services.application_decline_award(
            application=self.application, recorded_by=self._host_user(), reason=self.demo.reason
        )

    def enrol(self):
        services.application_confirm_enrolment(
            application=self.application,
            confirmed_by=self._host_user(),
            enrolled_on=_days_ago(self.today, self.demo.enrolled_days_ago),
        )

    def report(self):
        self.application.refresh_from_db()
        for planned in self.demo.reports:
            report = services.progress_report_submit(
                application=self.application,
                submitted_by=self._host_user(),
                term_label=planned.term,
                period_end=add_months(self.application.enrolled_on, planned.months),
                result=planned.result,
                remarks=planned.remarks,
            )
            if planned.outcome == ACCEPTED:
                services.progress_report_accept(report=report, accepted_by=self.officer)
            elif planned.outcome == RETURNED:
                services.progress_report_return(report=report, returned_by=self.officer, reason=planned.return_reason)

    def pay(self):
        tranches = list(self.application.tranches.order_by("number"))
        for tranche in tranches[: self.demo.tranches_paid + self.demo.tranches_approved]:
            services.tranche_approve(tranche=tranche, approved_by=self.manager)
        for tranche in tranches[: self.demo.tranches_paid]:
            services.tranche_pay(
                tranche=tranche,
                paid_by=self.officer,
                paid_on=min(tranche.due_on + datetime.timedelta(days=3), self.today),
                payment_reference=f"SCH-{self.application.pk}/{tranche.number}",
            )

    def complete(self):
        services.application_complete(
            application=self.application,
            completed_by=self.officer,
            completed_on=_days_ago(self.today, self.demo.completed_days_ago),
        )

    def terminate(self):
        services.application_terminate(
            application=self.application, terminated_by=self.officer, reason=self.demo.reason
        )

    def withdraw(self):
        services.application_withdraw(application=self.application, withdrawn_by=self.officer, reason=self.demo.reason)


def _create_call(demo: DemoCall, users, organisations, today: datetime.date) -> Call:
    amount, currency, frequency = demo.stipend
    return services.call_create(
        created_by=users["officer"],
        programme=Programme.objects.get(code=demo.programme),
        title=demo.title,
        description=demo.description,
        host=organisations[demo.host],
        level=demo.level,
        opens_on=_days_ago(today, demo.opens_days_ago),
        closes_on=_days_ago(today, demo.closes_days_ago),
        awards_available=demo.awards,
        stipend_amount=amount,
        stipend_currency=Currency.objects.get(code=currency),
        stipend_frequency=frequency,
        duration_months=demo.duration_months,
        eligible_countries=list(Country.objects.filter(code__in=demo.countries)),
        fields_of_study=demo.fields,
        criteria=[{"name": name, "weight": weight} for name, weight in demo.criteria],
        responsible_officer=users["officer"],
    )


def _create_application(demo: DemoApplicant, call: Call, users, today: datetime.date) -> Application:
    application = services.application_submit(
        call=call,
        submitted_by=users["officer"],
        applicant_name=demo.name,
        email=demo.email,
        nationality=Country.objects.get(code=demo.nationality),
        gender=demo.gender,
        date_of_birth=demo.born,
        current_institution=demo.institution,
        degree=demo.degree,
        field_of_study=demo.field,
        motivation=demo.motivation,
        attachments=[_attachment(demo, name) for name in demo.attachments],
        today=_days_ago(today, demo.submitted_days_ago),
    )
    story = _Story(demo, application, users, today)
    for step in PATHS[demo.ends]:
        getattr(story, step)()
    application.refresh_from_db()
    if application.status != demo.ends:
        raise ValueError(f"Demo application of {demo.email} ended {application.status}, not {demo.ends}.")
    return application


# --- exchange activities -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoActivity:
    title: str  # the demo activity's natural key
    programme: str
    kind: ActivityKind
    host: str
    partners: tuple[str, ...]
    place: tuple[str, str]  # country code, city
    starts_days_ago: int  # negative: still to come
    days: int
    status: ExchangeStatus
    description: str
    counts: tuple[int, int, int] | None = None  # women, men, other or not stated, once reported
    outcomes: str = ""
    participants: tuple[tuple[str, Gender, str, str], ...] = ()  # name, gender, organisation, country


ACTIVITIES = (
    DemoActivity(
        "Paralegal training for village legal aid posts",
        "KSM-2026-010",
        ActivityKind.TRAINING,
        "YABN",
        ("AVD",),
        ("ID", "Kupang"),
        70,
        5,
        ExchangeStatus.COMPLETED,
        "Five days on discrimination law, interviewing clients and referring cases to the clinics.",
        (14, 9, 1),
        "Twenty-four paralegals certified; eleven villages now have a legal aid post.",
        (
            ("Maria Goreti Bria", F, "Desa Oelnasi", "ID"),
            ("Yakobus Nenabu", M, "Desa Baumata", "ID"),
            ("Ester Lakapu", F, "Desa Penfui", "ID"),
            ("Simon Tefa", M, "Desa Oesao", "ID"),
        ),
    ),
    DemoActivity(
        "Solar mini-grid internships",
        "KSM-2026-001",
        ActivityKind.INTERNSHIP,
        "Sakura Eng.",
        ("YABN",),
        ("ID", "Waingapu"),
        -40,
        90,
        ExchangeStatus.PLANNED,
        "Three months on the first mini-grid site with Sakura Engineering's installation team.",
    ),
    DemoActivity(
        "Drought-tolerant sorghum field trials",
        "KSM-2026-002",
        ActivityKind.JOINT_RESEARCH,
        "KIDR",
        ("UTN",),
        ("KE", "Machakos"),
        180,
        365,
        ExchangeStatus.ONGOING,
        "Kenyan and Indonesian researchers run paired trial plots in Machakos and Sumba.",
        (4, 5, 0),
        "First season harvested; yields under drought 40% above the local variety.",
        (
            ("Grace Wanjiru", F, "Kenya Institute for Dryland Research", "KE"),
            ("Samuel Kiprono", M, "Kenya Institute for Dryland Research", "KE"),
            ("Mercy Achieng", F, "Kenya Institute for Dryland Research", "KE"),
            ("Joseph Mwangi", M, "Kenya Institute for Dryland Research", "KE"),
            ("Wahyu Nugroho", M, "Universitas Teknologi Nusantara", "ID"),
            ("Ratih Kusumawati", F, "Universitas Teknologi Nusantara", "ID"),
            ("Bambang Setiawan", M, "Universitas Teknologi Nusantara", "ID"),
            ("Indah Permatasari", F, "Universitas Teknologi Nusantara", "ID"),
            ("Yosef Umbu Lede", M, "Universitas Teknologi Nusantara", "ID"),
        ),
    ),
    DemoActivity(
        "Gamelan and tais artists' residency",
        "KSM-2025-006",
        ActivityKind.CULTURAL_EXCHANGE,
        "FHK",
        ("DKT",),
        ("ID", "Yogyakarta"),
        330,
        28,
        ExchangeStatus.COMPLETED,
        "Timorese weavers and Javanese gamelan musicians live and work together for four weeks.",
        (7, 5, 0),
        "A joint piece performed at the Kraton; tais patterns now inspire a new batik line.",
        (
            ("Rosa Maria Tilman", F, "Cooperativa Tais Lautem", "TL"),
            ("Filomena da Cruz", F, "Cooperativa Tais Lautem", "TL"),
            ("Agostinho Freitas", M, "Cooperativa Tais Lautem", "TL"),
            ("Sri Handayani", F, "Sanggar Gamelan Wiji", "ID"),
            ("Ki Suparno", M, "Sanggar Gamelan Wiji", "ID"),
            ("Dwi Astuti", F, "Sanggar Gamelan Wiji", "ID"),
        ),
    ),
    DemoActivity(
        "Threads and bronze: closing exhibition in Dili",
        "KSM-2025-006",
        ActivityKind.CULTURAL_EVENT,
        "FHK",
        (),
        ("TL", "Dili"),
        300,
        3,
        ExchangeStatus.COMPLETED,
        "Three days of exhibition, performances and a tais market at the Palácio do Governo gardens.",
        (38, 26, 2),
        "About 1,200 visitors; the weavers' cooperative sold 140 tais.",
    ),
    DemoActivity(
        "Japanese culture day in Yogyakarta",
        "KSM-2026-008",
        ActivityKind.CULTURAL_EVENT,
        "UTN",
        ("OFCE",),
        ("ID", "Yogyakarta"),
        -25,
        1,
        ExchangeStatus.PLANNED,
        "Calligraphy, tea ceremony and a speech contest for the exchange schools' pupils.",
    ),
    DemoActivity(
        "Community radio production workshop",
        "KSM-2026-005",
        ActivityKind.TRAINING,
        "FHK",
        ("AVD",),
        ("TL", "Baucau"),
        3,
        10,
        ExchangeStatus.ONGOING,
        "Ten days of hands-on production for the five community stations' volunteers.",
    ),
    DemoActivity(
        "Geothermal plant operation internships",
        "KSM-2026-013",
        ActivityKind.INTERNSHIP,
        "KIDR",
        ("Sakura Eng.",),
        ("KE", "Naivasha"),
        -15,
        60,
        ExchangeStatus.CANCELLED,
        "Postponed to next year: the plant's maintenance shutdown leaves no one to supervise the interns.",
    ),
)


def _reporter(activity: ExchangeActivity, users: dict):
    """The host's partner user reports their activity; the officer reports for hosts without a demo login."""
    for username in ("partner", "partner2"):
        if activity.host_id in user_organisation_ids(users[username]):
            return users[username]
    return users["officer"]


def _create_activity(demo: DemoActivity, users, organisations, today: datetime.date) -> ExchangeActivity:
    starts = _days_ago(today, demo.starts_days_ago)
    activity = services.activity_create(
        created_by=users["officer"],
        programme=Programme.objects.get(code=demo.programme),
        title=demo.title,
        kind=demo.kind,
        description=demo.description,
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=demo.days - 1),
        country=Country.objects.get(code=demo.place[0]),
        city=demo.place[1],
        host=organisations[demo.host],
        partners=[organisations[acronym] for acronym in demo.partners],
        status=demo.status,
    )
    if demo.counts is not None:
        women, men, other = demo.counts
        countries = {country.code: country for country in Country.objects.filter(code__in=["ID", "KE", "TL"])}
        services.activity_report(
            activity=activity,
            reported_by=_reporter(activity, users),
            women=women,
            men=men,
            other_gender=other,
            outcome_notes=demo.outcomes,
            participants=[
                {"name": name, "gender": gender, "organisation": organisation, "country": countries[code]}
                for name, gender, organisation, code in demo.participants
            ]
            or None,
        )
    return activity


# --- loading -------------------------------------------------------------------------------------------------------


def load_demo_scholarships(
    users: dict, organisations: dict, today: datetime.date, *, log: Callable[[str], None]
) -> str:
    """Create the demo calls, applications and activities that are missing, send the reminders owed today,
    and return the summary line."""
    calls = {}
    for demo in CALLS:
        call = Call.objects.filter(title=demo.title).first()
        if call is None:
            call = _create_call(demo, users, organisations, today)
            log(f"  scholarship call {call} created")
        calls[demo.title] = call
    for demo in APPLICANTS:
        call = calls[demo.call]
        if Application.objects.filter(call=call, email_key=email_key(demo.email)).exists():
            continue
        application = _create_application(demo, call, users, today)
        log(f"  application of {application.applicant_name} created ({application.get_status_display()})")
    for demo in ACTIVITIES:
        if ExchangeActivity.objects.filter(title=demo.title).exists():
            continue
        activity = _create_activity(demo, users, organisations, today)
        log(f"  exchange activity {activity} created")
    # The same service as the daily job: each reminder is logged and sent once.
    reminders = send_scholarship_reminders(today=today)
    return _summary(users["manager"], today, len(reminders))


def _summary(manager, today: datetime.date, reminders_sent: int) -> str:
    call_states = Counter(call_list(user=manager, today=today).values_list("status", flat=True))
    by_status = dict(Application.objects.order_by().values_list("status").annotate(count=Count("pk")))
    states = ", ".join(f"{call_states[state]} {state.label.lower()}" for state in CallStatus if state in call_states)
    statuses = ", ".join(f"{by_status[status]} {status.label.lower()}" for status in S if status in by_status)
    activities = ExchangeActivity.objects.order_by().values("kind").distinct().count()
    return (
        f"Scholarships: {sum(call_states.values())} calls ({states or 'none'}); "
        f"{sum(by_status.values())} applications ({statuses or 'none'}); "
        f"{ExchangeActivity.objects.count()} exchange activities of {activities} kinds; "
        f"{reminders_sent} reminder(s) sent today."
    )
