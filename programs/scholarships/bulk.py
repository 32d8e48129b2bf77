"""Generated scholarship calls and their applications, and exchange activities (see ``generate_bulk``).

20,020 applications at scale 1.0 to about 400 calls of the generated technical programmes, hosted by a partner
taking part in the programme. Each application's status fits its call: an upcoming call has none yet, an open one
has only applications under review, and a call closed for long enough has awarded at most its places, with the
scholars accepting, enrolling and completing as the days since the award allow (a few declined, withdrew or
were terminated). Every award was proposed by an officer and approved by a manager.

About 2,000 exchange activities at scale 1.0 under the technical and cultural programmes (trainings, internships
and joint research; cultural exchanges and events), hosted by a partner of the programme: planned, ongoing or
completed as their dates say (a few cancelled), with participants counted by gender once they began.
"""

import datetime
from decimal import Decimal

from django.db.models import Q

from cooperation.dates import add_months
from cooperation.reference.codes import OrganisationRole
from programs.bulk import CURRENCIES, CURRENCY_WEIGHTS, generated_programmes, participants
from programs.scholarships.models import (
    ActivityKind,
    Application,
    ApplicationStatus,
    Call,
    Criterion,
    ExchangeActivity,
    ExchangeStatus,
    Gender,
    Level,
    StipendFrequency,
)

ORDER = 50
APPLICATIONS_AT_FULL_SCALE = 20_020
CALLS_AT_FULL_SCALE = 400
ACTIVITIES_AT_FULL_SCALE = 2_000
TECHNICAL_KINDS = (ActivityKind.TRAINING, ActivityKind.INTERNSHIP, ActivityKind.JOINT_RESEARCH)
CULTURAL_KINDS = (ActivityKind.CULTURAL_EXCHANGE, ActivityKind.CULTURAL_EVENT)
CITIES = (("ID", "Yogyakarta"), ("ID", "Makassar"), ("ID", "Kupang"), ("TL", "Dili"), ("PH", "Davao"), ("JP", "Osaka"))
A = ApplicationStatus
FIELDS = ("Public health", "Civil engineering", "Agronomy", "Education", "Economics", "Marine science", "Law")
CRITERIA = (("Academic merit", Decimal("0.5")), ("Motivation", Decimal("0.3")), ("Development impact", Decimal("0.2")))
FIRST_NAMES = ("Siti", "Budi", "Ana", "João", "Maria", "Nguyen", "Rizky", "Dewi", "Tomas", "Leilani", "Agus", "Putri")
LAST_NAMES = ("Rahmawati", "Santoso", "da Silva", "Soares", "Tran", "Pratama", "Lestari", "Kaupa", "Ximenes", "Reyes")
COUNTRIES = ("ID", "TL", "PH", "PG", "FJ", "KH", "LA", "MM", "VN")
STIPEND = {"IDR": Decimal(9_000_000), "USD": Decimal(900), "EUR": Decimal(850), "JPY": Decimal(140_000)}
UNDER_REVIEW = ((A.SUBMITTED, 50), (A.ELIGIBLE, 25), (A.INELIGIBLE, 10), (A.SHORTLISTED, 10), (A.WITHDRAWN, 5))
NOT_AWARDED = ((A.ELIGIBLE, 35), (A.INELIGIBLE, 30), (A.SHORTLISTED, 25), (A.WITHDRAWN, 10))
# Days after the call closes by which the awards are decided.
DECIDED_AFTER = 45
NOTES = {
    A.INELIGIBLE: "Does not meet the nationality or degree requirement.",
    A.WITHDRAWN: "The applicant withdrew.",
    A.DECLINED: "Accepted another offer.",
    A.TERMINATED: "Left the programme for health reasons.",
}


def _spread(total: int, weights: list[float]) -> list[int]:
    """``total`` split in proportion to ``weights``, in whole numbers adding up to ``total``."""
    whole = sum(weights)
    counts = [int(total * weight / whole) for weight in weights]
    for index in range(total - sum(counts)):
        counts[index % len(counts)] += 1
    return counts


class CallWriter:
    def __init__(self, run):
        self.run = run
        self.parties = participants(generated_programmes(is_technical=True))
        self.programme_ids = sorted(self.parties)
        self.officer, self.manager = run.users["officer"].pk, run.users["manager"].pk
        self.call_ids = run.ids(Call)
        self.calls = run.table(
            Call,
            (
                "id", "programme_id", "title", "description", "host_id", "fields_of_study", "level", "opens_on",
                "closes_on", "awards_available", "stipend_amount", "stipend_currency_id", "stipend_frequency",
                "duration_months", "responsible_officer_id", "created_by_id", "created_at", "updated_at",
            ),
        )  # fmt: skip
        self.eligible = run.table(Call.eligible_countries.through, ("call_id", "country_id"))
        self.criteria = run.table(Criterion, ("call_id", "name", "weight", "position"))
        self.applications = run.table(
            Application,
            (
                "call_id", "applicant_name", "email", "email_key", "nationality_id", "gender", "date_of_birth",
                "current_institution", "degree", "field_of_study", "motivation", "status", "status_note",
                "submitted_by_id", "submitted_on", "award_proposed_by_id", "award_proposed_at",
                "award_proposal_note", "awarded_by_id", "awarded_at", "enrolled_on", "enrolment_confirmed_by_id",
                "completed_on", "created_at", "updated_at",
            ),
        )  # fmt: skip
        self.applicant_number = 0

    def call(self, number: int) -> dict:
        """Write one call and return what its applications need to know of it."""
        run, today = self.run, self.run.today
        programme = run.random.choice(self.programme_ids)
        taking_part = self.parties[programme]
        hosts = [pk for pk, role in taking_part if role != OrganisationRole.FUNDING] or [taking_part[0][0]]
        if number % 25 == 0:  # upcoming
            opens = today + datetime.timedelta(days=run.random.randint(5, 60))
        else:
            opens = today - datetime.timedelta(days=round(5 * 365 * run.random.random() ** 1.3))
        closes = opens + datetime.timedelta(days=run.random.randint(30, 90))
        currency = run.random.choices(CURRENCIES, CURRENCY_WEIGHTS)[0]
        fields = sorted(run.random.sample(FIELDS, run.random.randint(1, 3)))
        countries = sorted(run.random.sample(COUNTRIES, run.random.randint(2, 5)))
        level = run.random.choice((Level.MASTER, Level.MASTER, Level.DOCTORAL, Level.BACHELOR, Level.SHORT_COURSE))
        duration = 6 if level == Level.SHORT_COURSE else run.random.choice((12, 18, 24, 36, 48))
        pk, awards = next(self.call_ids), run.random.randint(2, 15)
        created = run.moment(opens - datetime.timedelta(days=run.random.randint(14, 60)))
        self.calls.add(
            pk, programme, f"{level.label} scholarships in {', '.join(fields)} ({opens.year}) #{number}",
            "Generated call for applications.", hosts[0] if len(hosts) == 1 else run.random.choice(hosts), fields,
            level.value, opens, closes, awards, STIPEND[currency], currency,
            StipendFrequency.MONTHLY.value, duration, self.officer, self.officer, created, created,
        )  # fmt: skip
        for country in countries:
            self.eligible.add(pk, country)
        for position, (name, weight) in enumerate(CRITERIA):
            self.criteria.add(pk, name, weight, position)
        return {"pk": pk, "opens": opens, "closes": closes, "fields": fields, "countries": countries,
                "duration": duration, "awards": awards}  # fmt: skip

    def write_applications(self, call: dict, count: int) -> None:
        run, today = self.run, self.run.today
        decided = call["closes"] + datetime.timedelta(days=DECIDED_AFTER) <= today
        holders = min(call["awards"], count) if decided else 0
        for index in range(count):
            self.applicant_number += 1
            number = self.applicant_number
            if index < holders:
                status, award = self._award(call)
            else:
                choices = NOT_AWARDED if decided else UNDER_REVIEW
                status = run.random.choices([status for status, _w in choices], [w for _s, w in choices])[0]
                award = {}
            submitted = run.day_between(call["opens"], min(call["closes"], today))
            first, last = run.random.choice(FIRST_NAMES), run.random.choice(LAST_NAMES)
            email = f"applicant{number}@mail.bulk.example"
            created = run.moment(submitted)
            self.applications.add(
                call["pk"], f"{first} {last}", email, email, run.random.choice(call["countries"]),
                run.random.choice((Gender.FEMALE, Gender.FEMALE, Gender.MALE, Gender.MALE, Gender.OTHER)).value,
                today - datetime.timedelta(days=run.random.randint(20 * 365, 40 * 365)),
                "Universitas Generated", "Bachelor", run.random.choice(call["fields"]),
                "I want to bring what I learn back to my community.", status.value, NOTES.get(status, ""),
                self.officer, submitted, award.get("proposed_by"), award.get("proposed_at"),
                "Ranked first on the rubric." if award else "", award.get("awarded_by"), award.get("awarded_at"),
                award.get("enrolled_on"), award.get("enrolment_confirmed_by"), award.get("completed_on"),
                created, max(created, award.get("awarded_at") or created),
            )  # fmt: skip

    def _award(self, call: dict) -> tuple[A, dict]:
        """An award holder's status and award fields, as far as the days since the award allow."""
        run, today = self.run, self.run.today
        awarded_on = call["closes"] + datetime.timedelta(days=run.random.randint(15, DECIDED_AFTER))
        proposed_at = run.moment(awarded_on - datetime.timedelta(days=run.random.randint(1, 10)))
        award = {
            "proposed_by": self.officer,
            "proposed_at": proposed_at,
            "awarded_by": self.manager,
            "awarded_at": max(proposed_at, run.moment(awarded_on)),
        }
        answered_on = awarded_on + datetime.timedelta(days=run.random.randint(5, 20))
        enrolled_on = awarded_on + datetime.timedelta(days=run.random.randint(30, 90))
        if answered_on > today:
            return A.AWARDED, award
        if run.random.random() < 0.06:
            return A.DECLINED, award
        if enrolled_on > today:
            return A.ACCEPTED, award
        award |= {"enrolled_on": enrolled_on, "enrolment_confirmed_by": self.officer}
        ends_on = add_months(enrolled_on, call["duration"])
        if run.random.random() < 0.04:
            return A.TERMINATED, award
        if ends_on <= today:
            return A.COMPLETED, award | {"completed_on": ends_on}
        return A.ENROLLED, award


def generate(*, run) -> None:
    _activities(run)
    writer = CallWriter(run)
    if not writer.programme_ids:
        return
    calls = [writer.call(number) for number in range(1, run.count(CALLS_AT_FULL_SCALE, minimum=2) + 1)]
    receiving = [call for call in calls if call["opens"] <= run.today]
    weights = [run.random.uniform(0.3, 1.7) for _ in receiving]
    for call, count in zip(receiving, _spread(run.count(APPLICATIONS_AT_FULL_SCALE), weights), strict=True):
        writer.write_applications(call, count)


def _activities(run) -> None:
    programmes = generated_programmes().filter(Q(is_technical=True) | Q(is_cultural=True))
    parties = participants(programmes)
    cultural = set(programmes.filter(is_cultural=True).values_list("pk", flat=True))
    programme_ids = sorted(parties)
    if not programme_ids:
        return
    activities = run.table(
        ExchangeActivity,
        (
            "programme_id", "title", "kind", "starts_on", "ends_on", "country_id", "city", "host_id", "women", "men",
            "other_gender", "status", "created_by_id", "created_at", "updated_at",
        ),
    )  # fmt: skip
    officer = run.users["officer"].pk
    for number in range(1, run.count(ACTIVITIES_AT_FULL_SCALE) + 1):
        programme = run.random.choice(programme_ids)
        kind = run.random.choice(CULTURAL_KINDS if programme in cultural else TECHNICAL_KINDS)
        starts = run.today + datetime.timedelta(days=run.random.randint(-5 * 365, 120))
        ends = starts + datetime.timedelta(days=run.random.choice((2, 5, 10, 30, 90)))
        if run.random.random() < 0.04:
            status = ExchangeStatus.CANCELLED
        elif starts > run.today:
            status = ExchangeStatus.PLANNED
        else:
            status = ExchangeStatus.COMPLETED if ends < run.today else ExchangeStatus.ONGOING
        began = status in (ExchangeStatus.ONGOING, ExchangeStatus.COMPLETED)
        women, men, other = (run.random.randint(3, 40), run.random.randint(3, 40), run.random.randint(0, 2))
        country, city = run.random.choice(CITIES)
        created = run.moment(starts - datetime.timedelta(days=run.random.randint(20, 90)))
        activities.add(
            programme, f"{kind.label} in {city} #{number}", kind.value, starts, ends, country, city,
            run.random.choice(parties[programme])[0], *((women, men, other) if began else (0, 0, 0)),
            status.value, officer, created, created,
        )  # fmt: skip
