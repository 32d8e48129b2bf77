"""Repayment schedules against amounts worked out by hand (see each test's comment)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cooperation.reference.models import Currency
from programs.finance.schedule import Amortization, Terms, add_months, build, due_dates, grant_element
from programs.finance.services import loan_terms, schedule_preview

D = Decimal
date = datetime.date


def terms(**overrides) -> Terms:
    values = {
        "principal": D("1000.00"),
        "minor_unit": 2,
        "annual_rate_percent": D("12"),
        "periods_per_year": 12,
        "installments": 3,
        "amortization": Amortization.ANNUITY,
        "grace_periods": 0,
        "first_due": date(2026, 2, 15),
    }
    values.update(overrides)
    return Terms(**values)


def table(rows) -> list[tuple]:
    return [(row.principal, row.interest, row.balance_after) for row in rows]


def test_annuity_pays_equal_installments_with_the_last_absorbing_rounding():
    # r = 1%; payment = 10 / (1 − 1.01⁻³) = 340.0221 → 340.02.
    # 1: interest 10.00, principal 330.02, balance 669.98
    # 2: interest 6.6998 → 6.70, principal 333.32, balance 336.66
    # 3: interest 3.3666 → 3.37, principal = the balance 336.66 (total 340.03)
    rows = build(terms())
    assert table(rows) == [
        (D("330.02"), D("10.00"), D("669.98")),
        (D("333.32"), D("6.70"), D("336.66")),
        (D("336.66"), D("3.37"), D("0.00")),
    ]
    assert [row.total for row in rows] == [D("340.02"), D("340.02"), D("340.03")]


def test_equal_principal_repays_the_same_principal_and_declining_interest():
    # 1000.00 / 3 = 333.33 each; the last takes 333.34. Interest: 10.00, 6.6667 → 6.67, 3.3334 → 3.33.
    rows = build(terms(amortization=Amortization.EQUAL_PRINCIPAL))
    assert table(rows) == [
        (D("333.33"), D("10.00"), D("666.67")),
        (D("333.33"), D("6.67"), D("333.34")),
        (D("333.34"), D("3.33"), D("0.00")),
    ]


def test_bullet_pays_interest_only_and_the_principal_at_the_end():
    # Quarterly at 6%: r = 1.5%, 15.00 interest each quarter on the full 1000.00.
    rows = build(
        terms(amortization=Amortization.BULLET, annual_rate_percent=D("6"), periods_per_year=4, installments=4)
    )
    assert table(rows) == [
        (D("0"), D("15.00"), D("1000.00")),
        (D("0"), D("15.00"), D("1000.00")),
        (D("0"), D("15.00"), D("1000.00")),
        (D("1000.00"), D("15.00"), D("0.00")),
    ]
    assert [row.due_date for row in rows] == [
        date(2026, 2, 15),
        date(2026, 5, 15),
        date(2026, 8, 15),
        date(2026, 11, 15),
    ]


def test_grace_period_pays_interest_only_then_amortizes_over_the_rest():
    # One interest-only month (10.00), then the 3-installment annuity of the first test.
    rows = build(terms(installments=4, grace_periods=1))
    assert table(rows) == [
        (D("0"), D("10.00"), D("1000.00")),
        (D("330.02"), D("10.00"), D("669.98")),
        (D("333.32"), D("6.70"), D("336.66")),
        (D("336.66"), D("3.37"), D("0.00")),
    ]


def test_grace_period_on_equal_principal():
    # Two interest-only semesters at 4% (40.00), then 500.00 + 40.00 and 500.00 + 20.00.
    rows = build(
        terms(
            amortization=Amortization.EQUAL_PRINCIPAL,
            annual_rate_percent=D("8"),
            periods_per_year=2,
            installments=4,
            grace_periods=2,
        )
    )
    assert table(rows) == [
        (D("0"), D("40.00"), D("1000.00")),
        (D("0"), D("40.00"), D("1000.00")),
        (D("500.00"), D("40.00"), D("500.00")),
        (D("500.00"), D("20.00"), D("0.00")),
    ]


def test_zero_interest_annuity_splits_the_principal_and_charges_nothing():
    rows = build(terms(annual_rate_percent=D("0")))
    assert table(rows) == [
        (D("333.33"), D("0.00"), D("666.67")),
        (D("333.33"), D("0.00"), D("333.34")),
        (D("333.34"), D("0.00"), D("0.00")),
    ]


def test_yen_schedule_has_no_decimals():
    # 100,000 JPY at 10% a year, 3 annual installments.
    # payment = 10000 / (1 − 1.1⁻³) = 40211.48 → 40211
    # 1: interest 10000, principal 30211, balance 69789
    # 2: interest 6978.9 → 6979, principal 33232, balance 36557
    # 3: interest 3655.7 → 3656, principal 36557
    rows = build(terms(principal=D("100000"), minor_unit=0, annual_rate_percent=D("10"), periods_per_year=1))
    assert table(rows) == [
        (D("30211"), D("10000"), D("69789")),
        (D("33232"), D("6979"), D("36557")),
        (D("36557"), D("3656"), D("0")),
    ]
    assert all(value == value.to_integral_value() for row in rows for value in (row.principal, row.interest))


def test_kuwaiti_dinar_schedule_has_three_decimals():
    # payment 340.0221 → 340.022; interest 10.000, 6.69978 → 6.700, 3.36656 → 3.367.
    rows = build(terms(principal=D("1000.000"), minor_unit=3))
    assert table(rows) == [
        (D("330.022"), D("10.000"), D("669.978")),
        (D("333.322"), D("6.700"), D("336.656")),
        (D("336.656"), D("3.367"), D("0.000")),
    ]
    assert rows[1].interest.as_tuple().exponent == -3


def test_rounding_is_half_even():
    # 1% of 1000.50 is 10.005 → 10.00 (to the even cent); 1% of 1001.50 is 10.015 → 10.02.
    down = build(terms(principal=D("1000.50"), amortization=Amortization.BULLET, installments=2))
    up = build(terms(principal=D("1001.50"), amortization=Amortization.BULLET, installments=2))
    assert down[0].interest == D("10.00")
    assert up[0].interest == D("10.02")


def test_one_installment_repays_everything_at_once():
    rows = build(terms(installments=1, periods_per_year=1, annual_rate_percent=D("5")))
    assert table(rows) == [(D("1000.00"), D("50.00"), D("0.00"))]


def test_month_end_due_dates_keep_to_the_last_day_of_the_month():
    assert due_dates(date(2026, 1, 31), 12, 4) == [
        date(2026, 1, 31),
        date(2026, 2, 28),
        date(2026, 3, 31),
        date(2026, 4, 30),
    ]
    assert due_dates(date(2028, 1, 31), 12, 3) == [date(2028, 1, 31), date(2028, 2, 29), date(2028, 3, 31)]


def test_quarterly_semi_annual_and_annual_due_dates():
    assert due_dates(date(2026, 1, 31), 4, 4) == [
        date(2026, 1, 31),
        date(2026, 4, 30),
        date(2026, 7, 31),
        date(2026, 10, 31),
    ]
    assert due_dates(date(2026, 8, 31), 2, 3) == [date(2026, 8, 31), date(2027, 2, 28), date(2027, 8, 31)]
    assert due_dates(date(2028, 2, 29), 1, 5) == [
        date(2028, 2, 29),
        date(2029, 2, 28),
        date(2030, 2, 28),
        date(2031, 2, 28),
        date(2032, 2, 29),
    ]


def test_add_months_counts_from_the_anchor_backwards_too():
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert add_months(date(2026, 1, 15), -13) == date(2024, 12, 15)


def test_quarterly_annuity_interest_uses_a_quarter_of_the_annual_rate():
    # 8% a year quarterly: r = 2%. payment = 1000 × 0.02 / (1 − 1.02⁻²) = 515.0495 → 515.05
    # 1: interest 20.00, principal 495.05, balance 504.95; 2: interest 10.099 → 10.10, principal 504.95
    rows = build(terms(annual_rate_percent=D("8"), periods_per_year=4, installments=2))
    assert table(rows) == [(D("495.05"), D("20.00"), D("504.95")), (D("504.95"), D("10.10"), D("0.00"))]


# --- grant element ------------------------------------------------------------------------------------------------


def test_grant_element_of_a_zero_interest_bullet_loan_over_one_year():
    # 1000 repaid in one go 365 days later, discounted at 5%: PV = 1000 / 1.05 = 952.38; GE = 4.76%.
    rows = build(
        terms(
            amortization=Amortization.BULLET,
            annual_rate_percent=D("0"),
            periods_per_year=1,
            installments=1,
            first_due=date(2027, 1, 1),
        )
    )
    assert grant_element(rows, D("1000.00"), date(2026, 1, 1), D("5")) == D("4.76")


def test_grant_element_of_a_loan_at_the_discount_rate_is_zero():
    # 10% equal principal over two years, discounted at 10%: 600 / 1.1 + 550 / 1.21 = 1000 → GE 0.
    rows = build(
        terms(
            amortization=Amortization.EQUAL_PRINCIPAL,
            annual_rate_percent=D("10"),
            periods_per_year=1,
            installments=2,
            first_due=date(2027, 1, 1),
        )
    )
    assert [row.total for row in rows] == [D("600.00"), D("550.00")]
    assert grant_element(rows, D("1000.00"), date(2026, 1, 1), D("10")) == D("0.00")


def test_grant_element_standard_cases():
    # The same loan discounted at 5%: 600 / 1.05 + 550 / 1.1025 = 1070.29 → GE −7.03% (dearer than the market).
    dear = build(
        terms(
            amortization=Amortization.EQUAL_PRINCIPAL,
            annual_rate_percent=D("10"),
            periods_per_year=1,
            installments=2,
            first_due=date(2027, 1, 1),
        )
    )
    assert grant_element(dear, D("1000.00"), date(2026, 1, 1), D("5")) == D("-7.03")
    # Interest-free over two years at 5%: 500 / 1.05 + 500 / 1.1025 = 929.71 → GE 7.03%.
    free = build(
        terms(
            amortization=Amortization.EQUAL_PRINCIPAL,
            annual_rate_percent=D("0"),
            periods_per_year=1,
            installments=2,
            first_due=date(2027, 1, 1),
        )
    )
    assert grant_element(free, D("1000.00"), date(2026, 1, 1), D("5")) == D("7.03")


# --- the form's preview and a saved loan's terms ------------------------------------------------------------------

USD = Currency(code="USD", name="US Dollar", minor_unit=2)


def preview_fields(**overrides) -> dict:
    fields = {
        "principal": D("1000.00"),
        "currency": USD,
        "annual_rate": D("12"),
        "frequency": 12,
        "installments": 3,
        "amortization": "annuity",
        "grace_periods": 0,
        "disbursement_date": date(2026, 1, 15),
        "first_repayment_date": date(2026, 2, 15),
        "purpose": "ignored by the preview",
    }
    fields.update(overrides)
    return fields


def test_preview_shows_the_schedule_the_terms_give():
    rows = schedule_preview(**preview_fields())
    assert [row.total for row in rows] == [D("340.02"), D("340.02"), D("340.03")]
    assert [row.due_date for row in rows] == [date(2026, 2, 15), date(2026, 3, 15), date(2026, 4, 15)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"principal": D("0")}, "principal"),
        ({"principal": D("-5")}, "principal"),
        ({"principal": D("10.001")}, "principal"),
        ({"annual_rate": D("-1")}, "annual_rate"),
        ({"annual_rate": D("100.01")}, "annual_rate"),
        ({"installments": 0}, "installments"),
        ({"grace_periods": 3}, "grace_periods"),
        ({"first_repayment_date": date(2026, 1, 15)}, "first_repayment_date"),
        ({"first_repayment_date": date(2026, 1, 1)}, "first_repayment_date"),
        ({"frequency": 3}, "frequency"),
        ({"amortization": "balloon"}, "amortization"),
        ({"principal": None}, "principal"),
    ],
)
def test_preview_reports_bad_terms_by_field(overrides, field):
    with pytest.raises(ValidationError) as error:
        schedule_preview(**preview_fields(**overrides))
    assert field in error.value.message_dict


def test_preview_accepts_a_hundred_percent_rate_and_a_zero_rate():
    assert schedule_preview(**preview_fields(annual_rate=D("100")))[0].interest == D("83.33")
    assert schedule_preview(**preview_fields(annual_rate=D("0")))[0].interest == D("0.00")


@pytest.mark.django_db
def test_saved_loan_terms_use_its_currency_minor_unit():
    from tests.factories import currency
    from tests.programs.finance.factories import LoanFactory

    loan = LoanFactory(
        principal=D("500000"),
        currency=currency("JPY"),
        annual_rate=D("1.5"),
        installments=24,
        amortization="equal_principal",
        grace_periods=4,
    )
    loan_terms_ = loan_terms(loan)
    assert (loan_terms_.minor_unit, loan_terms_.periods_per_year, loan_terms_.grace_periods) == (0, 12, 4)
    assert loan_terms_.amortization is Amortization.EQUAL_PRINCIPAL
    rows = build(loan_terms_)
    assert sum(row.principal for row in rows) == D("500000")
    assert rows[4].principal == D("25000")
