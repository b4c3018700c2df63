"""The zh-Hans catalogue is complete, and the committed .mo matches the .po (no gettext needed to run)."""

import ast
import gettext
from pathlib import Path

import gongzhi

LOCALE = Path(gongzhi.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def _entries(po: Path) -> list[dict]:
    """A small .po reader: one dict per entry with msgctxt, msgid, msgid_plural, msgstr, fuzzy."""
    entries, current, key = [], None, None
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current is not None:
                entries.append(current)
            current, key = None, None
            continue
        if current is None:
            current = {"msgctxt": None, "msgid": "", "msgid_plural": None, "msgstr": "", "fuzzy": False}
        if line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] = (current[key] or "") + ast.literal_eval(line)
        else:
            name, _, value = line.partition(" ")
            key = "msgstr" if name.startswith("msgstr") else name
            if name == "msgstr[0]" or name == "msgstr" or not name.startswith("msgstr"):
                current[key] = ast.literal_eval(value)
    return [e for e in entries if e["msgid"]]


def test_every_msgid_has_a_chinese_translation():
    entries = _entries(LOCALE / "django.po")

    untranslated = [e["msgid"] for e in entries if not e["msgstr"] or e["fuzzy"]]

    assert len(entries) > 800
    assert untranslated == []


def test_compiled_catalogue_matches_the_po_file():
    with (LOCALE / "django.mo").open("rb") as fh:
        catalogue = gettext.GNUTranslations(fh)

    stale = []
    for e in _entries(LOCALE / "django.po"):
        if e["msgid_plural"]:
            got = catalogue.npgettext(e["msgctxt"], e["msgid"], e["msgid_plural"], 1) if e["msgctxt"] else (
                catalogue.ngettext(e["msgid"], e["msgid_plural"], 1))
        else:
            got = catalogue.pgettext(e["msgctxt"], e["msgid"]) if e["msgctxt"] else catalogue.gettext(e["msgid"])
        if got != e["msgstr"]:
            stale.append(e["msgid"])

    assert stale == [], "run: python -m gongzhi compilemessages -l zh_Hans --ignore=.venv"
