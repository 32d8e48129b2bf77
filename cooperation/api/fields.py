"""Serializer pieces shared by every API module."""

from decimal import Decimal

from cooperation.money import quantize

# Amounts leave the API as strings so no client turns them into floats.
AMOUNT_SCHEMA = {"type": "string", "format": "decimal", "example": "150000.00"}
NULLABLE_AMOUNT_SCHEMA = {**AMOUNT_SCHEMA, "nullable": True}


def amount_text(amount: Decimal | None, currency) -> str | None:
    """An amount as a decimal string with exactly its currency's minor unit (``"1500.00"``, ``"250000"`` JPY)."""
    if amount is None:
        return None
    return str(quantize(amount, currency))
