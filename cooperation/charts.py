"""What every server-drawn SVG chart shares (the dashboard's bar charts, an indicator's progress chart)."""


class ChartAnchors:
    """The ids a chart's SVG gives its title and description (``aria-labelledby``), from its ``slug``."""

    slug: str

    @property
    def title_id(self) -> str:
        return f"chart-{self.slug}-title"

    @property
    def desc_id(self) -> str:
        return f"chart-{self.slug}-desc"
