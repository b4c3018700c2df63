"""信息公开脱敏 — remove names, phone numbers, ID numbers and door numbers from text shown to the public.

``redact(text, names=…)`` replaces:
- ID numbers (18 digits with a final digit or X, and old 15-digit ones) → ``[身份证号]``
- mobile and landline numbers, also written with spaces or dashes → ``[电话]``
- door numbers: "3栋2单元501室", "5号楼302", "12-3-401", "501室", "2单元" … → ``[门牌]``
- e-mail addresses → ``[邮箱]``
- names: every registry name of the community and the contact's name (longest first), and names
  introduced by "我叫 / 本人 / 联系人 / 姓名" → the surname and ``*`` (张三 → 张*); "王先生" stays (no name).
"""

import re
from collections.abc import Iterable

from gongzhi.core.masking import mask_name

ID_PLACEHOLDER, PHONE_PLACEHOLDER, DOOR_PLACEHOLDER, MAIL_PLACEHOLDER = (
    "[身份证号]",
    "[电话]",
    "[门牌]",
    "[邮箱]",
)

_D = r"[0-9０-９]"
_ID = re.compile(rf"(?<![0-9０-９])(?:{_D}{{17}}[0-9０-９XxＸｘ]|{_D}{{15}})(?![0-9０-９A-Za-z])")
_MOBILE = re.compile(r"(?<![0-9])(?:\+?86[\s-]?)?1[3-9][0-9](?:[\s-]?[0-9]{4}){2}(?![0-9])")
_LANDLINE = re.compile(r"(?<![0-9])(?:[(（]?0[0-9]{2,3}[)）]?[\s-]?)?[2-9][0-9]{6,7}(?![0-9元万千百平米人户次年个块])")
_MAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_NUM = r"(?:[0-9０-９]+|[一二三四五六七八九十]+)"
_DOOR = re.compile(
    rf"{_NUM}\s*(?:号楼|栋|幢|座|号院)\s*(?:{_NUM}\s*(?:单元|门|梯)\s*)?(?:{_NUM}\s*(?:室|号|房|户)?)?"
    rf"|{_NUM}\s*(?:单元|梯)\s*(?:{_NUM}\s*(?:室|号|房|户)?)?"
    r"|(?<![0-9])[0-9]{1,3}-[0-9]{1,2}-[0-9]{3,4}(?![0-9])"
    r"|(?<![0-9])[0-9]{3,4}\s*(?:室|房|号房)"
)
_INTRO = re.compile(
    r"(我叫|我是|本人|联系人|姓名|名字叫|户主)([：:\s]*)([\u4e00-\u9fa5]{2,4}?)(?=[，,。.；;\s、]|$|[0-9]|电话|手机|住)"
)


def community_names(community_id: int | None) -> frozenset[str]:
    """Names of the community's residents, read fresh: a name registered a minute ago must be removed too.

    Callers redacting many texts of one community in one go pass the result on (``names=``).
    """
    if community_id is None:
        return frozenset()
    from gongzhi.registry.models import Resident

    return frozenset(
        n for n in Resident.objects.filter(community_id=community_id).values_list("name", flat=True) if len(n) >= 2
    )


def _mask_names(text: str, names: frozenset[str]) -> str:
    if not names:
        return text
    lengths = sorted({len(n) for n in names}, reverse=True)
    out: list[str] = []
    i = 0
    while i < len(text):
        for n in lengths:
            piece = text[i : i + n]
            if len(piece) == n and piece in names:
                out.append(mask_name(piece))
                i += n
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def redact(text: str, *, names: Iterable[str] = ()) -> str:
    if not text:
        return ""
    text = _MAIL.sub(MAIL_PLACEHOLDER, text)
    text = _ID.sub(ID_PLACEHOLDER, text)
    text = _MOBILE.sub(PHONE_PLACEHOLDER, text)
    text = _DOOR.sub(DOOR_PLACEHOLDER, text)
    text = _LANDLINE.sub(PHONE_PLACEHOLDER, text)
    text = _INTRO.sub(lambda m: m.group(1) + m.group(2) + mask_name(m.group(3)), text)
    return _mask_names(text, frozenset(n for n in names if n and len(n) >= 2))


def redact_for_community(text: str, *, community_id: int | None, extra_names: Iterable[str] = ()) -> str:
    return redact(text, names=community_names(community_id) | frozenset(extra_names))
