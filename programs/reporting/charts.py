"""Geometry of server-rendered horizontal bar charts: the template only draws what is computed here.

Charts are plain SVG so the dashboard needs no JavaScript and no external
library, prints well and works offline. Each label sits above its bar, so a
narrow phone screen keeps the whole width for the bar and the text stays
readable when the SVG scales down. ``display`` is the value already formatted
in the active language.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from cooperation.charts import ChartAnchors

LABEL_MAX_CHARS = 48


@dataclass(frozen=True)
class ChartRow:
    label: str
    value: int | Decimal
    display: str


@dataclass(frozen=True)
class Bar:
    label: str  # full label, for the tooltip and the table alternative
    short_label: str  # what fits on one line of the SVG
    value: int | Decimal  # what the bar stands for, for the table alternative and the export
    display: str
    label_y: int
    y: int
    width: float
    value_x: float
    value_y: int


@dataclass(frozen=True)
class BarChart(ChartAnchors):
    slug: str
    title: str
    bars: list[Bar]
    width: int
    height: int
    bar_height: int


def _shorten(label: str) -> str:
    return label if len(label) <= LABEL_MAX_CHARS else label[: LABEL_MAX_CHARS - 1].rstrip() + "…"


def horizontal_bar_chart(
    rows: Iterable[ChartRow],
    *,
    slug: str,
    title: str,
    width: int = 360,
    value_width: int = 56,
    label_height: int = 16,
    bar_height: int = 16,
    gap: int = 10,
) -> BarChart:
    """Lay out one labelled bar per row; the largest value fills the width left of its value text."""
    rows = list(rows)
    largest = max((row.value for row in rows), default=0)
    track = width - value_width
    row_height = label_height + bar_height + gap
    bars = []
    for index, row in enumerate(rows):
        top = gap + index * row_height
        # Round so the SVG stays small; a tiny non-zero value still shows a sliver.
        length = round(track * float(row.value) / float(largest), 1) if largest > 0 else 0.0
        if row.value > 0:
            length = max(length, 1.0)
        bar_y = top + label_height
        bars.append(
            Bar(
                label=row.label,
                short_label=_shorten(row.label),
                value=row.value,
                display=row.display,
                label_y=top + label_height - 4,
                y=bar_y,
                width=length,
                value_x=length + 6,
                value_y=bar_y + bar_height - 4,
            )
        )
    return BarChart(
        slug=slug,
        title=title,
        bars=bars,
        width=width,
        height=gap + max(len(rows), 1) * row_height,
        bar_height=bar_height,
    )
