"""Phone numbers: mainland mobiles (1[3-9]x, 11 digits) and landlines (0591-87654321)."""

import re
import unicodedata

MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}$")


class InvalidPhone(ValueError):
    pass


def normalize(raw: str) -> str:
    # NFKC: full-width digits, brackets and plus signs (as typed with a Chinese input method) become ASCII.
    value = re.sub(r"[\s()]", "", unicodedata.normalize("NFKC", raw or ""))
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if MOBILE.match(value):
        return value
    if LANDLINE.match(value):
        return value
    raise InvalidPhone(raw)
