"""What a module's measure returns (see ``cooperation.registry.Measure``): kept in the kernel so that the modules
computing figures and the results framework reading them need not know each other."""

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class MeasuredValue:
    """What a measure computed over a span: the value, its parts by (dimension code, value code) — ``("sex",
    "female")`` → 120 — and the page listing the records behind it."""

    value: Decimal
    breakdown: dict[tuple[str, str], Decimal] = field(default_factory=dict)
    records_url: str = ""
