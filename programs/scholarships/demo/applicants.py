"""Demonstration applicants, listed best-ranked first within each call, with where their story ends."""

import datetime
from dataclasses import dataclass

from programs.scholarships.demo.calls import LAW, RADIO_1, RADIO_2, WATER, F, M, S, X
from programs.scholarships.models import (
    ApplicationStatus,
    Gender,
    ReportStatus,
)


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
