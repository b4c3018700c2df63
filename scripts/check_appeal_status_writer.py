"""CI check: gongzhi/appeals/workflow.py is the only module that writes Appeal.status.

Looks at the syntax tree of every module under gongzhi/ (migrations excepted) for
  * an assignment to ``<something appeal-ish>.status`` (``appeal.status = …``, ``self.appeal.status, x = …``),
  * ``setattr(<appeal-ish>, "status", …)``,
  * ``<appeal-ish query>.update(status=…)`` and ``bulk_update(…, ["status", …])``,
  * ``Appeal(status=…)`` / ``Appeal.objects.create(status=…)``,
where appeal-ish means the expression's source mentions "appeal" (a variable, ``Appeal.objects``,
``appeals_visible_to(…)``). Other models' ``status`` fields are not Appeal's and pass.

    python scripts/check_appeal_status_writer.py        # exit 1 and one line per offence
"""

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRITER = Path("gongzhi/appeals/workflow.py")
_APPEALISH = re.compile(r"appeal", re.IGNORECASE)
_KEYWORD_WRITES = ("update", "create", "get_or_create", "update_or_create")


def _mentions_appeal(node: ast.AST) -> bool:
    return bool(_APPEALISH.search(ast.unparse(node)))


def _targets(node: ast.AST) -> list[ast.AST]:
    if isinstance(node, ast.Assign):
        found = list(node.targets)
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        found = [node.target]
    else:
        return []
    flat: list[ast.AST] = []
    while found:
        target = found.pop()
        if isinstance(target, ast.Tuple | ast.List):
            found.extend(target.elts)
        else:
            flat.append(target)
    return flat


def _is_status_string(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value == "status"


def offences(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        for target in _targets(node):
            if isinstance(target, ast.Attribute) and target.attr == "status" \
                    and _mentions_appeal(target.value):
                found.append((node.lineno, "assigns Appeal.status"))
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        keywords = {k.arg for k in node.keywords}
        if isinstance(func, ast.Name) and func.id == "setattr" and len(node.args) >= 2 \
                and _is_status_string(node.args[1]) and _mentions_appeal(node.args[0]):
            found.append((node.lineno, "setattr(appeal, 'status', …)"))
        if isinstance(func, ast.Attribute) and _mentions_appeal(func.value):
            if func.attr in _KEYWORD_WRITES and "status" in keywords:
                found.append((node.lineno, f".{func.attr}(status=…) on appeals"))
            if func.attr == "bulk_update" and any(
                isinstance(arg, ast.List | ast.Tuple) and any(_is_status_string(e) for e in arg.elts)
                for arg in [*node.args, *(k.value for k in node.keywords)]
            ):
                found.append((node.lineno, "bulk_update of appeals' status"))
        if isinstance(func, ast.Name) and func.id == "Appeal" and "status" in keywords:
            found.append((node.lineno, "Appeal(status=…)"))
    return found


def main() -> int:
    if not (ROOT / WRITER).exists():
        print(f"{WRITER} does not exist yet: nothing to check")
        return 0
    failures = 0
    for path in sorted((ROOT / "gongzhi").rglob("*.py")):
        relative = path.relative_to(ROOT)
        if relative == WRITER or "migrations" in relative.parts:
            continue
        for line, what in offences(path):
            print(f"{relative}:{line}: {what} outside {WRITER}")
            failures += 1
    if failures:
        print(f"{failures} write(s) of Appeal.status outside {WRITER}: move them into a workflow transition")
        return 1
    print(f"Appeal.status is written only in {WRITER}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
