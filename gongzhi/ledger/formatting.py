"""Amounts are integers in the smallest unit; these turn them into what people read."""

from django.utils.translation import gettext as _

from .enums import Currency


def format_amount(currency: str, amount: int) -> str:
    sign = "-" if amount < 0 else ""
    n = abs(int(amount))
    if currency in (Currency.CNY, Currency.VOUCHER):
        return f"{sign}¥{n // 100:,}.{n % 100:02d}"
    if currency == Currency.TIME:
        hours, minutes = divmod(n, 60)
        if hours and minutes:
            text = _("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
        elif hours:
            text = _("%(hours)s h") % {"hours": hours}
        else:
            text = _("%(minutes)s min") % {"minutes": minutes}
        return sign + text
    return sign + _("%(points)s points") % {"points": n}
