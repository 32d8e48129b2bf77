"""Values computed from the records: an indicator fed by a measure (``Indicator.measure``) gets its value in each
report from the records of the report's period, never typed. Filled whenever a draft or returned report is opened,
saved or submitted, so the partner sees (and the reviewer approves) the figure as the records stand then."""

from decimal import ROUND_HALF_EVEN, Decimal

from programs.results.measures import measure
from programs.results.models import MAX_VALUE, VALUE_DIGITS, ActualValue, Breakdown, Indicator, Report, ReportStatus

STEP = Decimal(1).scaleb(-VALUE_DIGITS["decimal_places"])
OPEN = (ReportStatus.DRAFT, ReportStatus.RETURNED)


def _stored(number) -> Decimal:
    """A computed figure as a value is stored: 4 decimals, within the column's range."""
    return min(Decimal(number).quantize(STEP, rounding=ROUND_HALF_EVEN), MAX_VALUE)


def fill_computed(report: Report, *, by=None) -> None:
    """Store, for every indicator of ``report`` computed from the records, its value over the report's period (an
    ``ActualValue`` marked ``computed``) and its breakdown by the indicator's own dimensions. A report no longer
    open (submitted, approved) keeps the values it was sent with."""
    if report.status not in OPEN:
        return
    indicators = list(
        Indicator.objects.filter(result__programme_id=report.period.programme_id, reporter_id=report.organisation_id)
        .exclude(measure="")
        .select_related("result", "currency")
        .prefetch_related("dimensions__values")
    )
    if not indicators:
        return
    actuals = {actual.indicator_id: actual for actual in report.values.prefetch_related("breakdown")}
    for indicator in indicators:
        measured = measure(indicator, report.period.starts_on, report.period.ends_on)
        value = _stored(measured.value)
        values = {
            (dimension.code, value.code): value.pk
            for dimension in indicator.dimensions.all()
            for value in dimension.values.all()
        }
        parts = {values[key]: _stored(part) for key, part in measured.breakdown.items() if key in values}
        actual = actuals.get(indicator.pk)
        stored = {part.dimension_value_id: part.value for part in actual.breakdown.all()} if actual else {}
        records = measured.records_url[:500]
        if actual is None or (actual.value, actual.text, actual.computed, actual.records_url) != (
            value,
            "",
            True,
            records,
        ):
            actual = actual or ActualValue(report=report, indicator=indicator)
            actual.value, actual.text, actual.computed, actual.records_url = value, "", True, records
            actual._history_user = by
            actual.save()
        if stored != parts:
            actual.breakdown.exclude(dimension_value_id__in=parts).delete()
            for value_id, part in parts.items():
                Breakdown.objects.update_or_create(actual=actual, dimension_value_id=value_id, defaults={"value": part})
