"""The dashboard's named periods and the spans of days they stand for."""

import datetime

import pytest

from cooperation.date_spans import DateSpan
from programs.reporting.scope import PeriodPreset, describe_span, preset_span

D = datetime.date


@pytest.mark.parametrize(
    ("preset", "today", "start", "end"),
    [
        (PeriodPreset.THIS_MONTH, D(2026, 2, 14), D(2026, 2, 1), D(2026, 2, 28)),
        (PeriodPreset.LAST_MONTH, D(2026, 1, 14), D(2025, 12, 1), D(2025, 12, 31)),
        (PeriodPreset.THIS_QUARTER, D(2026, 5, 31), D(2026, 4, 1), D(2026, 6, 30)),
        (PeriodPreset.LAST_QUARTER, D(2026, 2, 1), D(2025, 10, 1), D(2025, 12, 31)),
        (PeriodPreset.LAST_QUARTER, D(2026, 12, 31), D(2026, 7, 1), D(2026, 9, 30)),
        (PeriodPreset.THIS_YEAR, D(2024, 2, 29), D(2024, 1, 1), D(2024, 12, 31)),
        (PeriodPreset.LAST_YEAR, D(2026, 1, 1), D(2025, 1, 1), D(2025, 12, 31)),
    ],
)
def test_named_periods_are_whole_calendar_months_quarters_and_years(preset, today, start, end):
    assert preset_span(preset, today) == DateSpan(start, end)


def test_a_span_holds_its_first_and_last_day_and_may_be_open():
    span = DateSpan(D(2026, 1, 1), D(2026, 6, 30))
    assert D(2026, 1, 1) in span and D(2026, 6, 30) in span
    assert D(2025, 12, 31) not in span and D(2026, 7, 1) not in span
    assert D(1990, 1, 1) in DateSpan(end=D(2026, 1, 1))
    assert D(2199, 1, 1) in DateSpan(start=D(2026, 1, 1))


def test_a_span_reads_as_its_dates():
    assert describe_span(DateSpan(D(2026, 1, 1), D(2026, 6, 30))) == "Jan. 1, 2026 to June 30, 2026"
    assert describe_span(DateSpan(start=D(2026, 1, 1))) == "from Jan. 1, 2026"
    assert describe_span(DateSpan(end=D(2026, 6, 30))) == "until June 30, 2026"
