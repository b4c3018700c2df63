"""Every row-level reason of the resident import has a Chinese translation in the registry_io catalogue."""

import re
from pathlib import Path

import gongzhi.registry as registry
from gongzhi.registry.importing import Msg

CATALOGUE = Path(registry.__file__).parent / "locale_zh_io.po"


def read_po(path: Path) -> dict[str, str]:
    """msgid → msgstr of a .po file (single forms; continuation lines joined)."""
    entries, key, current = {}, None, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r'^(msgid|msgstr|msgid_plural|msgstr\[0\]) "(.*)"$', line)
        if m:
            key = m[1]
            current[key] = m[2]
            if key in ("msgstr", "msgstr[0]"):
                entries[current["msgid"]] = current[key]
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
            if key in ("msgstr", "msgstr[0]"):
                entries[current["msgid"]] = current[key]
    return {k.replace('\\"', '"'): v for k, v in entries.items()}


def msgid(lazy) -> str:
    return lazy._args[0]  # the English msgid of a gettext_lazy proxy


def reasons() -> list[str]:
    found = []
    for value in vars(Msg).values():
        if isinstance(value, dict):
            found.extend(msgid(v) for v in value.values())
        elif hasattr(value, "_args"):
            found.append(msgid(value))
    return found


def test_every_row_reason_is_translated_into_chinese():
    catalogue = read_po(CATALOGUE)
    all_reasons = reasons()

    untranslated = [r for r in all_reasons if not re.search(r"[\u4e00-\u9fff]", catalogue.get(r, ""))]

    assert len(all_reasons) == 24
    assert untranslated == []


def test_placeholders_survive_translation():
    catalogue = read_po(CATALOGUE)

    broken = [msgid for msgid, msgstr in catalogue.items() if msgid and msgstr
              and sorted(re.findall(r"%\(\w+\)s", msgid)) != sorted(re.findall(r"%\(\w+\)s", msgstr))]

    assert broken == []
