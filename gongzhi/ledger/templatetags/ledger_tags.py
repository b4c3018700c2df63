from django import template

from ..formatting import format_amount

register = template.Library()


@register.filter
def amount(value, currency: str) -> str:
    """{{ account.balance|amount:account.currency }} → "120 points", "1 h 30 min", "¥12.34"."""
    if value is None or value == "":
        return ""
    return format_amount(currency, int(value))
