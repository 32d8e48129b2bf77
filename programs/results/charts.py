"""Geometry of an indicator's small chart, drawn by the server as plain SVG: one column per reporting period, a
bar for the approved actual and a mark for the target. The template only draws what is computed here, and shows
the same figures as a table for those who do not see the chart.

``display`` values are already formatted in the active language."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats

from cooperation.charts import ChartAnchors
from programs.results.models import Unit

CHART_WIDTH = 360
PLOT_HEIGHT = 120
LABEL_HEIGHT = 18
TOP = 8
MOST_LABELS = 8  # period labels written under the columns; the table lists every period


@dataclass(frozen=True)
class ChartColumn:
    label: str  # the period, as the table shows it
    short_label: str  # under the column ("" where columns are too narrow for every label)
    label_x: float
    target_display: str
    actual_display: str
    bar_x: float
    bar_y: float
    bar_height: float
    bar_width: float
    bar_end: float
    target_y: float | None  # None: no target for this period
    has_actual: bool


@dataclass(frozen=True)
class IndicatorChart(ChartAnchors):
    slug: str
    title: str
    width: int
    height: int
    baseline_y: int
    label_y: int
    columns: list[ChartColumn]

    @property
    def has_values(self) -> bool:
        return any(column.has_actual or column.target_y is not None for column in self.columns)


def shown_value(value: Decimal | None) -> str:
    """A value as people write it (90, 12.5, never 9E+1) in the reader's number format; a dash for none."""
    if value is None:
        return "—"
    return formats.number_format(format(value.normalize(), "f"), use_l10n=True, force_grouping=True)


def _y(value: Decimal, largest: Decimal) -> float:
    return (
        round(TOP + PLOT_HEIGHT - float(value) / float(largest) * PLOT_HEIGHT, 1) if largest > 0 else TOP + PLOT_HEIGHT
    )


def indicator_chart(progress, *, slug: str, title: str) -> IndicatorChart:
    """The chart of one ``selectors.IndicatorProgress``: its points (period, target, actual) side by side."""
    points = progress.points
    indicator = progress.indicator
    # The scale reaches the largest of the values, the targets and the overall target; a percentage reaches 100.
    values = [value for point in points for value in (point.target, point.actual) if value is not None]
    values += [value for value in (indicator.target_value, progress.baseline) if value is not None]
    if indicator.unit == Unit.PERCENTAGE:
        values.append(Decimal(100))
    largest = max(values or [Decimal(0)])
    count = max(len(points), 1)
    step = CHART_WIDTH / count
    bar_width = round(max(step * 0.6, 2), 1)
    every = -(-count // MOST_LABELS)  # label one column in ``every``
    bottom = TOP + PLOT_HEIGHT
    columns = []
    for index, point in enumerate(points):
        left = index * step
        actual_y = _y(point.actual, largest) if point.actual is not None else bottom
        columns.append(
            ChartColumn(
                label=f"{formats.date_format(point.period.starts_on)} – {formats.date_format(point.period.ends_on)}",
                short_label=formats.date_format(point.period.starts_on, "M y") if index % every == 0 else "",
                label_x=round(left + step / 2, 1),
                target_display=shown_value(point.target),
                actual_display=shown_value(point.actual),
                bar_x=round(left + (step - bar_width) / 2, 1),
                bar_y=actual_y,
                bar_height=round(bottom - actual_y, 1),
                bar_width=bar_width,
                bar_end=round(left + (step + bar_width) / 2, 1),
                target_y=_y(point.target, largest) if point.target is not None else None,
                has_actual=point.actual is not None,
            )
        )
    return IndicatorChart(
        slug=slug,
        title=title,
        width=CHART_WIDTH,
        height=bottom + LABEL_HEIGHT,
        baseline_y=bottom,
        label_y=bottom + LABEL_HEIGHT - 4,
        columns=columns,
    )
