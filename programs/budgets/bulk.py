"""Generated budget lines and expenditures (see ``generate_bulk``).

Every generated programme gets a budget line a year for each of its forms of cooperation (their actuals come
from the modules' records) and for staff and travel, in the programme's budget currency: committed for the years
begun, indicative for those to come. Expenditures are recorded against the staff and travel lines only, dated
within their line's year and never after today, so a form's actuals are never counted twice; a few pay a
partner that has not sent its receipt yet. The programmes' budget summaries are computed last.
"""

import datetime
from decimal import Decimal

from cooperation.dates import add_days, add_months
from cooperation.money_flows import Category
from programs.budgets import summaries
from programs.budgets.models import BudgetLine, BudgetStatus, BudgetType, Expenditure
from programs.bulk import generated_programmes, participants

ORDER = 70
FORM_CATEGORIES = (
    ("is_financial", Category.FINANCIAL),
    ("is_technical", Category.TECHNICAL),
    ("is_cultural", Category.CULTURAL),
    ("is_in_kind", Category.IN_KIND),
)
COST_CATEGORIES = (Category.STAFF, Category.TRAVEL)
PAYEES = {
    Category.STAFF: ("Programme coordinator", "Monitoring consultant", "Field engineer"),
    Category.TRAVEL: ("Garuda Indonesia", "Hotel Santika", "Field visit allowances"),
}
# A cost line's share of the programme's yearly budget, and how much of a cost line each expenditure spends.
COST_SHARE = Decimal("0.08")
EXPENDITURES_PER_LINE = (2, 8)


def generate(*, run) -> None:
    programmes = generated_programmes()
    parties = participants(programmes)
    rows = programmes.order_by("pk").values_list(
        "pk",
        "planned_start",
        "planned_end",
        "budget_amount",
        "budget_currency_id",
        *(flag for flag, _ in FORM_CATEGORIES),
    )
    officer = run.users["officer"].pk
    line_ids = run.ids(BudgetLine)
    lines = run.table(
        BudgetLine,
        ("id", "programme_id", "category", "period_start", "period_end", "amount", "currency_id", "budget_type",
         "status", "description", "created_by_id", "created_at", "updated_at"),
    )  # fmt: skip
    expenditures = run.table(
        Expenditure,
        ("programme_id", "budget_line_id", "spent_on", "amount", "currency_id", "category", "payee",
         "payee_organisation_id", "reference", "recorded_by_id", "created_at", "updated_at"),
    )  # fmt: skip
    for programme, start, end, budget, currency, *flags in rows:
        quantum = Decimal(1) if currency == "JPY" else Decimal("0.01")
        forms = [category for (_flag, category), on in zip(FORM_CATEGORIES, flags, strict=True) if on]
        years = []
        first = start
        while first <= end:
            years.append((first, min(end, add_days(add_months(first, 12), -1))))
            first = add_months(first, 12)
        yearly = (budget / len(years)).quantize(quantum)
        created = run.moment(min(run.today, start - datetime.timedelta(days=30)))
        partners = [pk for pk, _role in parties[programme]]
        for year_start, year_end in years:
            status = BudgetStatus.COMMITTED if year_start <= run.today else BudgetStatus.INDICATIVE
            cost_amount = (yearly * COST_SHARE).quantize(quantum)
            form_amount = ((yearly - cost_amount * len(COST_CATEGORIES)) / len(forms)).quantize(quantum)
            for category in [*forms, *COST_CATEGORIES]:
                line = next(line_ids)
                amount = cost_amount if category in COST_CATEGORIES else form_amount
                lines.add(
                    line, programme, category.value, year_start, year_end, amount, currency, BudgetType.ORIGINAL.value,
                    status.value, f"{category.label} {year_start.year}", officer, created, created,
                )  # fmt: skip
                if category not in COST_CATEGORIES or year_start > run.today:
                    continue
                count = run.random.randint(*EXPENDITURES_PER_LINE)
                each = (amount / count * Decimal(str(round(run.random.uniform(0.5, 1.0), 2)))).quantize(quantum)
                for number in range(count):
                    spent_on = run.day_between(year_start, min(year_end, run.today))
                    paid_partner = run.random.random() < 0.1 and partners
                    recorded = run.moment(spent_on)
                    expenditures.add(
                        programme, line, spent_on, max(quantum, each), currency, category.value,
                        run.random.choice(PAYEES[category]),
                        run.random.choice(partners) if paid_partner else None,
                        f"INV-{line}-{number + 1}",
                        officer, recorded, recorded,
                    )  # fmt: skip
    # The dashboard's budget summaries, which the services keep current, are made here from what was written (the
    # budgets come last among the modules, so every money flow is in).
    run.flush()
    summaries.rebuild()
