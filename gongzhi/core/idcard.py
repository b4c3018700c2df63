"""居民身份证号码 — GB 11643-1999 citizen identification numbers.

18 characters: 6-digit address code, 8-digit birth date, 3-digit sequence (odd for men, even for women),
and a check character computed with ISO 7064 MOD 11-2.
"""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)


class InvalidIdNumber(ValueError):
    pass


@dataclass(frozen=True)
class IdInfo:
    number: str
    birth_date: dt.date
    gender: str  # "male" / "female"
    region_code: str


def check_char(first17: str) -> str:
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalize(raw: str) -> str:
    """Full-width digits and letters (as typed with a Chinese input method) become ASCII; spaces go."""
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", raw or "")).upper()


def parse(raw: str, *, today: dt.date | None = None) -> IdInfo:
    """Validate an ID number and derive birth date and gender. Raises InvalidIdNumber with a reason code."""
    number = normalize(raw)
    if len(number) != 18:
        raise InvalidIdNumber("length")
    if not _SHAPE.fullmatch(number):
        raise InvalidIdNumber("characters")
    try:
        birth = dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("birth_date") from None
    today = today or dt.date.today()  # noqa: DTZ011 - a calendar date, not an instant
    if birth > today or birth.year < 1880:
        raise InvalidIdNumber("birth_date")
    if check_char(number[:17]) != number[17]:
        raise InvalidIdNumber("checksum")
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return IdInfo(number=number, birth_date=birth, gender=gender, region_code=number[:6])


def make(region_code: str, birth_date: dt.date, sequence: int) -> str:
    """Build a valid number (for demo data): sequence 0..999, odd = male."""
    first17 = f"{region_code}{birth_date:%Y%m%d}{sequence:03d}"
    return first17 + check_char(first17)
