"""Fill the zh-Hans catalogue from the apps' fragments (gongzhi/<app>/locale_zh.po).

    python scripts/merge_po_fragments.py            # run by `make messages` after makemessages

Only msgids the catalogue already has (i.e. that the code uses) are touched; a fragment's translation
fills an empty or fuzzy entry and never overwrites a reviewed one. Prints what it did and how many
msgids are still untranslated.
"""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "gongzhi/locale/zh_Hans/LC_MESSAGES/django.po"


def main() -> int:
    po = polib.pofile(str(CATALOGUE), wrapwidth=120)
    known = {(e.msgctxt, e.msgid): e for e in po if not e.obsolete}
    filled = 0
    for fragment in sorted(ROOT.glob("gongzhi/*/locale_zh.po")):
        for entry in polib.pofile(str(fragment)):
            target = known.get((entry.msgctxt, entry.msgid))
            if target is None or not (entry.msgstr or entry.msgstr_plural):
                continue
            if target.translated() and "fuzzy" not in target.flags:
                continue
            target.msgstr, target.msgstr_plural = entry.msgstr, dict(entry.msgstr_plural)
            if "fuzzy" in target.flags:
                target.flags.remove("fuzzy")
            filled += 1
    po.save(str(CATALOGUE))
    missing = [e.msgid for e in po.untranslated_entries() + po.fuzzy_entries() if not e.obsolete]
    print(f"merge_po_fragments: filled {filled}; untranslated or fuzzy: {len(missing)}")
    for msgid in missing[:40]:
        print("   ", msgid[:100])
    return 0


if __name__ == "__main__":
    sys.exit(main())
