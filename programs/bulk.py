"""Generated programmes, their partners' participations, countries, sectors and objectives (see
``generate_bulk``).

About 800 programmes at scale 1.0, started over the last five years or about to start, each with four to ten of
the generated partners: funders and an accountable agency from abroad or the capital, implementers in the field.
Codes start with ``MARK``; the modules' generators find their programmes (financial ones for loans, in-kind ones
for shipments, ...) and the partners taking part through the database, with ``generated_programmes`` and
``participants``.
"""

import datetime
from collections import defaultdict
from decimal import Decimal

from cooperation import exchange
from cooperation.dates import add_months
from cooperation.reference.codes import ActivityStatus, OrganisationRole, OrganisationType
from cooperation.reference.models import ExchangeRate, Sector
from partners.bulk import MARK
from partners.models import Organisation
from programs.models import Objective, Participation, Programme, ProgrammeObjective

ORDER = 20
PROGRAMMES_AT_FULL_SCALE = 800
CURRENCIES = ("IDR", "USD", "EUR", "JPY")
CURRENCY_WEIGHTS = (45, 35, 12, 8)
# A typical amount in each currency's units, scaled by a random factor where used.
TYPICAL_AMOUNT = {
    "IDR": Decimal(15_000_000_000),
    "USD": Decimal(1_000_000),
    "EUR": Decimal(900_000),
    "JPY": Decimal(150_000_000),
}
# Units of each currency one US dollar bought around the start of the generated years (as a treasury quotes them),
# and whether the rate is entered per dollar (USD to the currency) or per unit of the currency (to USD).
DOLLAR_RATES = {"IDR": (Decimal(14_200), True), "JPY": (Decimal(110), True), "EUR": (Decimal("1.12"), False)}
RATE_YEARS = 7
RECIPIENT_COUNTRIES = ("ID", "ID", "ID", "ID", "TL", "PH", "PG", "FJ", "KH", "LA", "MM", "VN")
# (financial, technical, cultural, in-kind) with weights: the forms a national portfolio mixes.
FORM_MIXES = (
    ((True, False, False, False), 30),
    ((False, True, False, False), 18),
    ((False, False, True, False), 6),
    ((False, False, False, True), 16),
    ((True, True, False, False), 8),
    ((False, True, True, False), 6),
    ((True, False, False, True), 6),
    ((False, True, False, True), 5),
    ((False, False, True, True), 5),
)
THEMES = (
    "Clean water for",
    "Rural roads in",
    "Disaster recovery in",
    "Primary health care in",
    "Teacher training in",
    "Smallholder credit in",
    "Renewable energy for",
    "Coastal resilience in",
    "Women's enterprise in",
    "Cultural heritage of",
    "Vocational skills in",
    "Food security in",
)
PLACES = (
    "Nusa Tenggara Timur",
    "Central Sulawesi",
    "Aceh",
    "Papua",
    "Maluku",
    "West Java",
    "Lombok",
    "Kalimantan Barat",
    "Timor-Leste",
    "Mindanao",
    "Bougainville",
    "the Mekong delta",
)
FUNDERS = {
    OrganisationType.GOVERNMENT,
    OrganisationType.MULTILATERAL,
    OrganisationType.FOUNDATION,
    OrganisationType.INTERNATIONAL_NGO,
}


def generated_programmes(**forms):
    """The generated programmes (``is_financial=True`` and the like narrow them), as a queryset."""
    return Programme.objects.filter(code__startswith=MARK, **forms)


def participants(programmes) -> dict[int, list[tuple[int, int]]]:
    """For each of ``programmes`` (a queryset), its partners as ``(organisation id, IATI role)``, in a stable order."""
    taking_part = defaultdict(list)
    rows = Participation.objects.filter(programme__in=programmes).order_by("programme_id", "role", "organisation_id")
    for programme_id, organisation_id, role in rows.values_list("programme_id", "organisation_id", "role"):
        taking_part[programme_id].append((organisation_id, role))
    return taking_part


def money(run, currency: str, low: float, high: float) -> Decimal:
    """A round amount in ``currency``: the typical amount times a factor between ``low`` and ``high``."""
    amount = TYPICAL_AMOUNT[currency] * Decimal(str(round(run.random.uniform(low, high), 3)))
    step = {"IDR": Decimal(1_000_000), "JPY": Decimal(10_000)}.get(currency, Decimal(1_000))
    return max(step, (amount / step).to_integral_value() * step)


def _shares(run, codes: list[str]) -> dict[str, str]:
    """Percentages adding up to 100 for two or more codes (IATI needs them then), none for one."""
    if len(codes) < 2:
        return {}
    first = run.random.choice((50, 60, 70, 80))
    rest = 100 - first
    parts = [first] + [rest // (len(codes) - 1)] * (len(codes) - 1)
    parts[1] += 100 - sum(parts)
    return {code: str(part) for code, part in zip(codes, parts, strict=True)}


def _status(run, start: datetime.date, end: datetime.date) -> tuple[int, datetime.date | None, datetime.date | None]:
    if start > run.today:
        return ActivityStatus.PIPELINE, None, None
    actual_start = min(run.today, start + datetime.timedelta(days=run.random.randint(0, 45)))
    if end < run.today:
        return ActivityStatus.CLOSED, actual_start, max(actual_start, end)
    return ActivityStatus.IMPLEMENTATION, actual_start, None


def generate(*, run) -> None:
    organisations = list(
        Organisation.objects.filter(name__startswith=MARK).order_by("pk").values_list("pk", "kind", "country_id")
    )
    funders = [pk for pk, kind, country in organisations if kind in FUNDERS and country != "ID"] or [
        pk for pk, *_rest in organisations
    ]
    funder_set = set(funders)
    field_partners = [pk for pk, _kind, _country in organisations if pk not in funder_set] or funders
    sectors = list(Sector.objects.order_by("code").values_list("code", flat=True)[:120])
    mixes = [mix for mix, weight in FORM_MIXES for _ in range(weight)]
    ids = run.ids(Programme)
    programmes = run.table(
        Programme,
        (
            "id", "code", "title", "description", "title_indonesian", "publish_to_iati",
            "is_financial", "is_technical", "is_cultural", "is_in_kind", "status",
            "planned_start", "planned_end", "actual_start", "actual_end", "country_percentages", "sector_percentages",
            "budget_amount", "budget_currency_id", "responsible_officer_id", "created_by_id",
            "created_at", "updated_at",
        ),
    )  # fmt: skip
    countries_of = run.table(Programme.recipient_countries.through, ("programme_id", "country_id"))
    sectors_of = run.table(Programme.sectors.through, ("programme_id", "sector_id"))
    objectives = run.table(ProgrammeObjective, ("programme_id", "objective"))
    participations = run.table(
        Participation, ("programme_id", "organisation_id", "role", "committed_amount", "created_at", "updated_at")
    )
    officer = run.users["officer"].pk
    first_start = run.today.replace(year=run.today.year - 5)
    last_start = run.today + datetime.timedelta(days=180)
    for number in range(1, run.count(PROGRAMMES_AT_FULL_SCALE, minimum=8) + 1):
        pk = next(ids)
        # The first programmes cover every form, so even the smallest scale gives each module somewhere to go.
        mix = FORM_MIXES[number - 1][0] if number <= 4 else run.random.choice(mixes)
        start = run.day_between(first_start, last_start)
        end = add_months(start, run.random.randint(24, 84))
        status, actual_start, actual_end = _status(run, start, end)
        currency = run.random.choices(CURRENCIES, CURRENCY_WEIGHTS)[0]
        title = f"{run.random.choice(THEMES)} {run.random.choice(PLACES)}"
        countries = sorted(set(run.random.sample(RECIPIENT_COUNTRIES, run.random.choice((1, 1, 1, 2, 3)))))
        programme_sectors = sorted(run.random.sample(sectors, run.random.choice((1, 2, 3))))
        created = run.moment(start - datetime.timedelta(days=run.random.randint(30, 200)))
        programmes.add(
            pk, f"{MARK}P-{number:05d}", title, f"{title}: a generated programme.", "", number % 4 == 0,
            *mix, status, start, end, actual_start, actual_end,
            _shares(run, countries), _shares(run, programme_sectors),
            money(run, currency, 2, 40), currency, officer, officer, created, created,
        )  # fmt: skip
        for country in countries:
            countries_of.add(pk, country)
        for sector in programme_sectors:
            sectors_of.add(pk, sector)
        for objective in run.random.sample(list(Objective), run.random.choice((1, 1, 2))):
            objectives.add(pk, objective.value)
        funding = run.random.sample(funders, min(len(funders), run.random.choice((1, 1, 2))))
        implementing = run.random.sample(
            [partner for partner in field_partners if partner not in funding],
            min(len(field_partners), run.random.randint(3, 8)),
        )
        roles = [(partner, OrganisationRole.FUNDING) for partner in funding]
        roles.append((implementing[0], OrganisationRole.ACCOUNTABLE))
        roles += [(partner, OrganisationRole.IMPLEMENTING) for partner in implementing[1:]]
        for partner, role in roles:
            committed = money(run, currency, 0.5, 10) if role == OrganisationRole.FUNDING else None
            participations.add(pk, partner, role.value, committed, created, created)
    _exchange_rates(run)


def _exchange_rates(run) -> None:
    """A rate on the first of every month for each generated currency against the reporting currency, as a treasury
    enters them, from seven years back to this month: with the rates' allowed age (31 days by default) every day of
    the generated years converts. Pairs and days that already have a rate keep it."""
    reporting = exchange.reporting_currency()
    if reporting not in CURRENCIES:
        return
    first = run.today.replace(year=run.today.year - RATE_YEARS, day=1)
    taken = set(ExchangeRate.objects.filter(on__gte=first).values_list("on", "from_currency_id", "to_currency_id"))
    rates = run.table(ExchangeRate, ("on", "from_currency_id", "to_currency_id", "rate", "source", "created_by_id"))
    officer = run.users["officer"].pk
    for code in CURRENCIES:
        if code == reporting or code not in DOLLAR_RATES or reporting != "USD":
            continue
        rate, per_dollar = DOLLAR_RATES[code]
        month = first
        while month <= run.today:
            pair = ("USD", code) if per_dollar else (code, "USD")
            if (month, *pair) not in taken:
                rates.add(month, *pair, rate.quantize(Decimal("0.0001")), f"{MARK}monthly treasury rates", officer)
            rate *= Decimal(str(round(run.random.uniform(0.985, 1.017), 4)))
            month = add_months(month, 1)
