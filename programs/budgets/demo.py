"""Demonstration budgets for ``manage.py load_demo``: monthly exchange rates into the reporting currency for the
last two years (so every total converts), and on the first demo programmes budget lines for last year and this
year in three currencies (USD, IDR, EUR), one revised with its reason, and expenditures against them: one line
spent past its budget, and a partner paid more than 30 days ago whose receipt is missing (a risk flag). A
programme that already has budget lines is left as it is, so a second run changes nothing."""

import datetime
from decimal import ROUND_HALF_EVEN, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from cooperation import exchange, money_flows
from cooperation.dates import add_months
from cooperation.money_flows import Category
from cooperation.reference.models import Currency, ExchangeRate
from programs.budgets import services
from programs.budgets.models import BudgetStatus, BudgetType
from programs.models import Programme

# Roughly what one unit was worth in US dollars; each month moves a little around it. The budgets' own currencies
# come first; the others are those the other modules' demo records may use. A monthly rate is added only where no
# rate is already there (the exchange rates' own demo, whose Australian dollar rates stop early on purpose to show
# a missing rate, is left alone).
USD_VALUE = {
    "USD": Decimal(1),
    "IDR": Decimal("0.0000625"),
    "EUR": Decimal("1.08"),
    "JPY": Decimal("0.0067"),
    "GBP": Decimal("1.27"),
    "SGD": Decimal("0.74"),
    "CHF": Decimal("1.12"),
    "PHP": Decimal("0.018"),
}
RATE_SOURCE = "Demo rates (monthly)"
PROGRAMMES = 3
# Each demo programme's currencies: its own lines in these, its expenditures too.
CURRENCIES = (("USD", "IDR"), ("EUR", "USD"), ("IDR", "EUR"))
# A one-pixel PNG: the receipts the demo attaches.
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)
# Budget per year of each category, in US dollars (converted to the line's currency).
BUDGETS = {
    Category.FINANCIAL: Decimal(1500000),
    Category.TECHNICAL: Decimal(120000),
    Category.CULTURAL: Decimal(40000),
    Category.IN_KIND: Decimal(400000),
    Category.STAFF: Decimal(60000),
    Category.TRAVEL: Decimal(12000),
}
FORMS = {
    "is_financial": Category.FINANCIAL,
    "is_technical": Category.TECHNICAL,
    "is_cultural": Category.CULTURAL,
    "is_in_kind": Category.IN_KIND,
}


def _in(code: str, usd: Decimal) -> Decimal:
    return (usd / USD_VALUE[code]).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)


def _known_days(code: str, reporting: str) -> list[datetime.date]:
    pair = Q(from_currency=code, to_currency=reporting) | Q(from_currency=reporting, to_currency=code)
    return list(ExchangeRate.objects.filter(pair).values_list("on", flat=True))


def _rates(run) -> int:
    """A rate on the first of each month of the last two years, from each demo currency into the reporting one,
    where no rate of that pair applies to the day yet."""
    reporting = exchange.reporting_currency()
    if reporting not in USD_VALUE:
        run.log(f"  no demo rates: the reporting currency {reporting} is not one of {', '.join(USD_VALUE)}")
        return 0
    first = run.today.replace(day=1)
    months = [add_months(first, -offset) for offset in range(24, -1, -1)]
    oldest = datetime.timedelta(days=exchange.max_age_days())
    made = 0
    for code in USD_VALUE:
        if code == reporting:
            continue
        known = _known_days(code, reporting)  # rates from elsewhere (the exchange rates' own demo)
        for index, on in enumerate(months):
            if any(on - oldest <= day <= on for day in known):
                continue
            wiggle = Decimal(1) + Decimal((index % 5) - 2) * Decimal("0.005")
            value = (USD_VALUE[code] / USD_VALUE[reporting] * wiggle).quantize(Decimal("0.0000000001"))
            ExchangeRate.objects.create(
                on=on,
                from_currency_id=code,
                to_currency_id=reporting,
                rate=value,
                source=RATE_SOURCE,
                created_by=run.users["officer"],
            )
            made += 1
    return made


def _categories(programme) -> list[str]:
    forms = [category for flag, category in FORMS.items() if getattr(programme, flag)]
    return [*forms, Category.STAFF, Category.TRAVEL]


def _lines(programme, codes, officer, today) -> dict:
    currencies = Currency.objects.in_bulk(codes)
    lines = {}
    for year in (today.year - 1, today.year):
        for position, category in enumerate(_categories(programme)):
            code = codes[position % len(codes)]
            lines[(year, category)] = services.line_create(
                programme=programme,
                created_by=officer,
                category=category,
                period_start=datetime.date(year, 1, 1),
                period_end=datetime.date(year, 12, 31),
                amount=_in(code, BUDGETS[category]),
                currency=currencies[code],
                budget_type=BudgetType.ORIGINAL,
                status=BudgetStatus.COMMITTED if year < today.year else BudgetStatus.INDICATIVE,
                description=f"{category.label} {year}",
            )
    return lines


def _partner(programme):
    participation = programme.participations.select_related("organisation").order_by("pk").first()
    return participation.organisation if participation else None


def _expenditures(programme, codes, lines, officer, today) -> int:
    currencies = Currency.objects.in_bulk(codes)
    partner = _partner(programme)
    travel = lines[(today.year, Category.TRAVEL)]
    made = 0
    # Staff and travel costs over the last months, the travel line of this year spent past its budget.
    for months_ago, category, usd, with_receipt in (
        (10, Category.STAFF, Decimal(4800), True),
        (7, Category.STAFF, Decimal(5100), True),
        (4, Category.TRAVEL, Decimal(6500), True),
        (2, Category.TRAVEL, Decimal(7200), True),
        (2, Category.STAFF, Decimal(5000), False),  # a partner paid, its receipt not in: a risk flag
        (0, Category.TRAVEL, Decimal(350), False),  # paid this week: the receipt is not due yet
    ):
        spent_on = min(add_months(today, -months_ago), today)
        line = lines.get((spent_on.year, category))
        code = line.currency_id if line else codes[0]
        paid_partner = partner if not with_receipt and months_ago else None
        services.expenditure_create(
            programme=programme,
            recorded_by=officer,
            budget_line=line if category == Category.TRAVEL and line == travel else None,
            spent_on=spent_on,
            amount=_in(code, usd),
            currency=currencies[code],
            category=category,
            payee=paid_partner.name if paid_partner else f"Demo supplier {made + 1}",
            payee_organisation=paid_partner,
            reference=f"{programme.code}-EXP-{made + 1:02d}",
            receipt=SimpleUploadedFile(f"receipt-{made + 1}.png", PIXEL, "image/png") if with_receipt else None,
        )
        made += 1
    return made


def _budgeted_programmes() -> list:
    """The programmes whose loans, tranches, stipends or goods already move money come first, so their budgets show
    the modules' actuals beside the expenditures."""
    with_flows = list(dict.fromkeys(flow.programme_id for flow in money_flows.flows(None)))
    programmes = Programme.objects.in_bulk(with_flows)
    chosen = [programmes[pk] for pk in with_flows if pk in programmes][:PROGRAMMES]
    others = Programme.objects.exclude(pk__in=[programme.pk for programme in chosen]).order_by("code")
    return [*chosen, *others[: PROGRAMMES - len(chosen)]]


def load(*, run) -> str:
    rates = _rates(run)
    officer = run.users["officer"]
    built, spent = 0, 0
    for index, programme in enumerate(_budgeted_programmes()):
        if programme.budget_lines.exists():
            continue
        codes = CURRENCIES[index % len(CURRENCIES)]
        lines = _lines(programme, codes, officer, run.today)
        staff = lines[(run.today.year, Category.STAFF)]
        services.line_update(
            line=staff,
            updated_by=run.users["manager"],
            reason="Two more field staff from July",
            amount=(staff.amount * Decimal("1.25")).quantize(Decimal(1)),
            budget_type=BudgetType.REVISED,
        )
        spent += _expenditures(programme, codes, lines, officer, run.today)
        built += 1
        run.log(f"  budget of {programme.code} in {' and '.join(codes)}")
    return f"Budgets: {built} programmes budgeted, {spent} expenditures, {rates} exchange rates."
