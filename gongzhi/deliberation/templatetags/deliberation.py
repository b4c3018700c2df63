"""Filters for deliberation pages."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(fen) -> str:
    """48000000 → "480,000.00": an amount in fen shown in yuan, exactly."""
    if fen in (None, ""):
        return ""
    value = (Decimal(int(fen)) / 100).quantize(Decimal("0.01"))
    return f"{value:,}"


@register.filter
def percent(ratio) -> str:
    """Decimal("0.8739") → "87.39%"."""
    if ratio is None:
        return "—"
    return f"{(Decimal(ratio) * 100).quantize(Decimal('0.01'))}%"
