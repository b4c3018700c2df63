"""Masks shown everywhere by default: 350102********1234, 138****5678."""


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
