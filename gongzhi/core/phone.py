"""Phone numbers: mainland mobiles (1[3-9]x, 11 digits) and landlines (0591-87654321)."""

import re

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$")


class InvalidPhone(ValueError):
    pass


def normalize(raw: str) -> str:
    value = re.sub(r"[\s()（）]", "", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if MOBILE.match(value):
        return value
    if LANDLINE.match(value):
        return value if "-" in value else value
    raise InvalidPhone(raw)
