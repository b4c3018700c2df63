"""Masks shown everywhere by default: 350102********1234, 138****5678."""

import re


def mask_id_number(number: str) -> str:
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def mask_phone(phone: str) -> str:
    if not phone:
        return ""
    if len(phone) == 11 and phone.isdigit():
        return phone[:3] + "****" + phone[-4:]
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:-4].rstrip("0123456789") + "****" + phone[-4:] if "-" in phone else "****" + phone[-4:]


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***; used on public pages."""
    if not name:
        return ""
    return name[0] + "*" * max(len(name) - 1, 1)


_ID_IN_TEXT = re.compile(r"(?<![0-9])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_MOBILE_IN_TEXT = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def redact_identifiers(text: str) -> str:
    """Mask every ID number and mobile number written into free text (an audit reason, a note)."""
    if not text:
        return text
    text = _ID_IN_TEXT.sub(lambda m: mask_id_number(m.group().upper()), text)
    return _MOBILE_IN_TEXT.sub(lambda m: mask_phone(m.group()), text)


def contains_identifier(text: str) -> bool:
    """Does ``text`` hold an ID number or a mobile number?"""
    return bool(text) and bool(_ID_IN_TEXT.search(text) or _MOBILE_IN_TEXT.search(text))
